import { describe, expect, it } from 'vitest';
import {
  MAX_CHANNELS,
  MAX_DECODED_SAMPLES,
  MAX_SAMPLE_RATE,
  MIN_SAMPLE_RATE,
  type WavHeader,
  wavHeaderProblem,
} from './wav-header.js';

/** 1 s of 16 kHz mono 16-bit PCM. */
const GOOD: WavHeader = {
  encoding: 1,
  numChannels: 1,
  sampleRate: 16_000,
  bitsPerSample: 16,
  blockAlign: 2,
  declaredDataBytes: 32_000,
  dataBytes: 32_000,
};
const check = (changes: Partial<WavHeader>) => wavHeaderProblem({ ...GOOD, ...changes }, 16_000);
const U16 = [0, 1, 0xffff];
const U32 = [0, 1, 0xffff_ffff];

describe('WAV header checks', () => {
  it('accepts ordinary files: speech, CD, studio and multichannel float, µ-law, IMA ADPCM', () => {
    expect(check({})).toBeUndefined();
    expect(check({ sampleRate: 44_100, numChannels: 2, blockAlign: 4 })).toBeUndefined();
    expect(check({ sampleRate: 96_000, bitsPerSample: 24, blockAlign: 3 })).toBeUndefined();
    expect(
      check({ encoding: 3, numChannels: 8, bitsPerSample: 32, blockAlign: 32 }),
    ).toBeUndefined();
    expect(
      check({ encoding: 7, sampleRate: 8000, bitsPerSample: 8, blockAlign: 1 }),
    ).toBeUndefined();
    expect(check({ encoding: 17, bitsPerSample: 4, blockAlign: 256 })).toBeUndefined();
    expect(check({ sampleRate: MIN_SAMPLE_RATE })).toBeUndefined();
    expect(check({ sampleRate: MAX_SAMPLE_RATE })).toBeUndefined();
    expect(check({ numChannels: MAX_CHANNELS, blockAlign: 2 * MAX_CHANNELS })).toBeUndefined();
  });

  it('refuses a sample rate outside 8–384 kHz: 1 Hz would resample 16 000-fold', () => {
    for (const sampleRate of [...U32, MIN_SAMPLE_RATE - 1, MAX_SAMPLE_RATE + 1]) {
      expect(check({ sampleRate })).toEqual({
        field: 'sample rate',
        value: sampleRate,
        accepted: '8000 to 384000 Hz',
      });
    }
  });

  it('refuses 0 channels and more than 64', () => {
    for (const numChannels of [0, MAX_CHANNELS + 1, 0xffff]) {
      expect(check({ numChannels, blockAlign: 2 * numChannels })).toMatchObject({
        field: 'channels',
        value: numChannels,
      });
    }
    expect(
      check({ encoding: 17, bitsPerSample: 4, numChannels: 2, blockAlign: 512 }),
    ).toMatchObject({ field: 'channels', accepted: '1 for IMA ADPCM' });
  });

  it('refuses bit depths the encoding does not have', () => {
    for (const bitsPerSample of [...U16, 4, 12, 17, 64]) {
      expect(check({ bitsPerSample })).toMatchObject({
        field: 'bits per sample',
        value: bitsPerSample,
        accepted: '8, 16, 24, 32 for format code 1',
      });
    }
    expect(check({ encoding: 3, bitsPerSample: 16 })).toMatchObject({
      accepted: '32, 64 for format code 3',
    });
    expect(check({ encoding: 6, bitsPerSample: 16 })).toMatchObject({ field: 'bits per sample' });
  });

  it('refuses a block align that contradicts channels × bytes per sample', () => {
    for (const blockAlign of [...U16, 3, 4]) {
      expect(check({ blockAlign })).toEqual({
        field: 'block align',
        value: blockAlign,
        accepted: '2 (channels × bytes per sample)',
      });
    }
    expect(check({ numChannels: 2, blockAlign: 2 })).toMatchObject({ field: 'block align' });
    expect(check({ encoding: 17, bitsPerSample: 4, blockAlign: 4 })).toMatchObject({
      field: 'block align',
    });
  });

  it('bounds the samples decoded, before and after resampling', () => {
    // Real data sizes, not the declared one (a streaming placeholder may say 4 GB).
    expect(check({ declaredDataBytes: 0xffff_ffff })).toBeUndefined();
    const limit = MAX_DECODED_SAMPLES;
    expect(check({ dataBytes: 2 * limit })).toBeUndefined();
    expect(check({ dataBytes: 2 * limit + 2 })).toMatchObject({ field: 'duration' });
    // Every channel's samples count; at 8 kHz, the resampled ones (twice as many) do.
    expect(check({ numChannels: 2, blockAlign: 4, dataBytes: 2 * limit })).toBeUndefined();
    expect(check({ numChannels: 2, blockAlign: 4, dataBytes: 2 * limit + 4 })).toMatchObject({
      field: 'duration',
    });
    expect(check({ sampleRate: 8000, dataBytes: limit })).toBeUndefined();
    expect(check({ sampleRate: 8000, dataBytes: limit + 2 })).toMatchObject({ field: 'duration' });
  });
});
