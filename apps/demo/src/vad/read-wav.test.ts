import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NpuFirstError } from '@npu-first/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import wavefile from 'wavefile';
import { AudioFileError, type AudioProblem } from './audio-error.js';
import { readWav } from './read-wav.js';

const SAMPLE = fileURLToPath(new URL('../../samples/speech.wav', import.meta.url));
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'npu-first-wav-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes a WAV made with wavefile and returns its path. */
async function wav(
  name: string,
  channels: number,
  rate: number,
  bitDepth: string,
  samples: ArrayLike<number> | ArrayLike<number>[],
) {
  const file = new wavefile.WaveFile();
  file.fromScratch(channels, rate, bitDepth, samples as number[]);
  const path = join(dir, name);
  await writeFile(path, file.toBuffer());
  return path;
}

const sine = (n: number, rate: number, hz: number, amp: number) =>
  Float64Array.from({ length: n }, (_, i) => amp * Math.sin((2 * Math.PI * hz * i) / rate));

describe('readWav', () => {
  it('reads the speech sample: 16 kHz mono 16-bit, silent lead-in', async () => {
    const audio = await readWav(SAMPLE);
    expect(audio.source).toEqual({ sampleRate: 16_000, channels: 1, bitDepth: '16' });
    expect(audio.sampleRate).toBe(16_000);
    expect(audio.samples).toBeInstanceOf(Float32Array);
    expect(audio.samples.length).toBe(178_422);
    expect(audio.durationSec).toBeCloseTo(11.151, 3);
    expect(audio.samples.subarray(0, 8000).every((s) => s === 0)).toBe(true);
    const peak = audio.samples.reduce((m, s) => Math.max(m, Math.abs(s)), 0);
    expect(peak).toBeGreaterThan(0.1);
    expect(peak).toBeLessThanOrEqual(1);
  });

  it('keeps 16 kHz float samples as they are', async () => {
    const values = [0, 0.25, -0.5, 1, -1];
    const audio = await readWav(await wav('float.wav', 1, 16_000, '32f', values));
    expect(Array.from(audio.samples)).toEqual(values);
  });

  it('scales integer PCM to [-1, 1]: ÷ 2^(bits−1), 8-bit unsigned', async () => {
    const int16 = await readWav(
      await wav('int16.wav', 1, 16_000, '16', [0, 16_384, -32_768, 32_767]),
    );
    expect(Array.from(int16.samples)).toEqual([0, 0.5, -1, 32_767 / 32_768]);
    const int8 = await readWav(await wav('int8.wav', 1, 16_000, '8', [128, 192, 0, 255]));
    expect(Array.from(int8.samples)).toEqual([0, 0.5, -1, 127 / 128]);
    const int24 = await readWav(await wav('int24.wav', 1, 16_000, '24', [4_194_304, -8_388_608]));
    expect(Array.from(int24.samples)).toEqual([0.5, -1]);
  });

  it('decodes µ-law and A-law, and upsamples 8 kHz to 16 kHz', async () => {
    for (const codec of ['mulaw', 'alaw'] as const) {
      const file = new wavefile.WaveFile();
      file.fromScratch(
        1,
        8000,
        '16',
        Int16Array.from(sine(8000, 8000, 440, 0.5), (s) => s * 32_767),
      );
      if (codec === 'mulaw') file.toMuLaw();
      else file.toALaw();
      const path = join(dir, `${codec}.wav`);
      await writeFile(path, file.toBuffer());
      const audio = await readWav(path);
      expect(audio.source).toEqual({
        sampleRate: 8000,
        channels: 1,
        bitDepth: codec === 'mulaw' ? '8m' : '8a',
      });
      expect(audio.samples.length).toBe(16_000);
      expect(rms(audio.samples.subarray(1000, 15_000))).toBeCloseTo(0.5 / Math.SQRT2, 2);
    }
  });

  it('downmixes channels by averaging', async () => {
    const audio = await readWav(
      await wav('stereo.wav', 2, 16_000, '32f', [
        [0.5, 1, -1],
        [0.25, -1, 0],
      ]),
    );
    expect(Array.from(audio.samples)).toEqual([0.375, 0, -0.5]);
    expect(audio.source.channels).toBe(2);
  });

  it('reads WAVE_FORMAT_EXTENSIBLE 32-bit float, which wavefile takes for integers', async () => {
    const values = Float32Array.of(0.5, -0.25, 1, 0.125, 0, -1);
    const file = new wavefile.WaveFile();
    file.fromScratch(3, 16_000, '32', new Int32Array(values.buffer)); // the floats' bits
    Object.assign(file.fmt, { audioFormat: 0xfffe });
    (file.fmt as { subformat: number[] }).subformat[0] = 3; // KSDATAFORMAT_SUBTYPE_IEEE_FLOAT
    const path = join(dir, 'extensible-float.wav');
    await writeFile(path, file.toBuffer());
    const audio = await readWav(path);
    expect(audio.source).toEqual({ sampleRate: 16_000, channels: 3, bitDepth: '32' });
    expect(audio.samples).toHaveLength(2); // frames (0.5, −0.25, 1) and (0.125, 0, −1)
    expect(audio.samples[0]).toBeCloseTo(1.25 / 3, 6);
    expect(audio.samples[1]).toBeCloseTo(-0.875 / 3, 6);
  });

  it('rejects encodings wavefile cannot decode', async () => {
    const file = new wavefile.WaveFile();
    file.fromScratch(1, 16_000, '16', [1, 2, 3]);
    Object.assign(file.fmt, { audioFormat: 85 }); // MPEG layer 3
    const path = join(dir, 'mp3-in-wav.wav');
    await writeFile(path, file.toBuffer());
    const error = await readWav(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AudioFileError);
    expect(error).toMatchObject({ problem: 'unsupported', code: 'INVALID_INPUT' });
    expect((error as Error).message).toContain('format code 85');
  });

  it('resamples 48 kHz stereo 24-bit to 16 kHz mono, keeping pitch and level', async () => {
    const tone = sine(48_000, 48_000, 440, 0.5);
    const audio = await readWav(await wav('48k.wav', 2, 48_000, '24', [tone, tone].map(to24)));
    expect(audio.source).toEqual({ sampleRate: 48_000, channels: 2, bitDepth: '24' });
    expect(audio.samples.length).toBe(16_000);
    const body = audio.samples.subarray(1000, 15_000); // clear of filter edges
    expect(rms(body)).toBeCloseTo(0.5 / Math.SQRT2, 2);
    let crossings = 0;
    for (let i = 1; i < body.length; i++)
      if ((body[i - 1] ?? 0) < 0 !== (body[i] ?? 0) < 0) crossings++;
    // 440 Hz crosses zero 880 times a second; the body is 0.875 s long.
    expect(crossings).toBeGreaterThanOrEqual(768);
    expect(crossings).toBeLessThanOrEqual(772);
  });
});

describe('readWav errors', () => {
  async function failure(path: string): Promise<AudioFileError> {
    const error = await readWav(path).then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!AudioFileError.isInstance(error)) throw new Error(`expected AudioFileError, got ${error}`);
    expect(NpuFirstError.isInstance(error)).toBe(true);
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.path).toBe(path);
    expect(error.message).toContain(path);
    expect(error.toJSON()).toMatchObject({ code: 'INVALID_INPUT', input: 'audio', path });
    return error;
  }
  const expectProblem = async (path: string, problem: AudioProblem, text: string) => {
    const error = await failure(path);
    expect(error.problem).toBe(problem);
    expect(error.message).toContain(text);
  };

  it('a missing file', async () => {
    await expectProblem(join(dir, 'nope.wav'), 'missing', 'no such file');
  });

  it('a directory', async () => {
    await expectProblem(dir, 'unreadable', 'is a directory');
  });

  it('a file that is not a WAV', async () => {
    const path = join(dir, 'notes.wav');
    await writeFile(path, 'just some text, not audio at all\n');
    await expectProblem(path, 'not-wav', 'not a WAV file');
    const empty = join(dir, 'zero-bytes.wav');
    await writeFile(empty, '');
    await expectProblem(empty, 'not-wav', 'not a WAV file');
  });

  it('a truncated WAV', async () => {
    const bytes = await readFile(SAMPLE);
    const cut = join(dir, 'cut.wav');
    await writeFile(cut, bytes.subarray(0, 1001));
    await expectProblem(cut, 'truncated', 'only 957 are present');
    const headerOnly = join(dir, 'header-only.wav');
    await writeFile(headerOnly, bytes.subarray(0, 44));
    await expectProblem(headerOnly, 'truncated', 'declares 356844 bytes');
    const noData = join(dir, 'no-data.wav');
    await writeFile(noData, bytes.subarray(0, 30));
    await expectProblem(noData, 'not-wav', 'not a WAV file');
  });

  it('a header out of range, refused before decoding (1 Hz would resample to gigabytes)', async () => {
    const bytes = Buffer.from(await readFile(SAMPLE)).subarray(0, 20_044);
    bytes.writeUInt32LE(20_000, 40); // the data size of what is kept
    const oneHz = join(dir, 'one-hz.wav');
    bytes.writeUInt32LE(1, 24);
    await writeFile(oneHz, bytes);
    const error = await failure(oneHz);
    expect(error).toMatchObject({ problem: 'bad-header', field: 'sample rate' });
    expect(error.message).toContain('sample rate 1 (accepted: 8000 to 384000 Hz)');
    expect(error.toJSON()).toMatchObject({ field: 'sample rate', problem: 'bad-header' });
    const noChannels = join(dir, 'no-channels.wav');
    bytes.writeUInt32LE(16_000, 24);
    bytes.writeUInt16LE(3, 22);
    await writeFile(noChannels, bytes);
    expect(await failure(noChannels)).toMatchObject({ field: 'block align' });
  });

  it('a WAV with no samples', async () => {
    await expectProblem(await wav('empty.wav', 1, 16_000, '16', []), 'empty', 'no audio samples');
  });
});

function rms(samples: Float32Array): number {
  return Math.sqrt(samples.reduce((sum, x) => sum + x * x, 0) / samples.length);
}

/** Float [-1, 1] to 24-bit integer sample values. */
function to24(samples: Float64Array): Int32Array {
  return Int32Array.from(samples, (s) => Math.round(s * 8_388_607));
}
