import { readFile } from 'node:fs/promises';
import { messageOf } from '@npu-first/core';
import wavefile from 'wavefile';
import { AudioFileError } from './audio-error.js';
import { isDecodable, wavHeaderProblem } from './wav-header.js';

const { WaveFile } = wavefile;
type WaveFile = InstanceType<typeof WaveFile>;

/** Decoded audio: mono float samples in [-1, 1] at `sampleRate`. */
export interface WavAudio {
  readonly samples: Float32Array;
  readonly sampleRate: number;
  readonly durationSec: number;
  /** The file as stored, before downmixing and resampling. */
  readonly source: {
    readonly sampleRate: number;
    readonly channels: number;
    readonly bitDepth: string;
  };
}

const EXTENSIBLE = 0xfffe;
const FLOAT = 3;
/** Data sizes at or above this are placeholders written by streaming encoders, not real sizes. */
const STREAMING_SIZE = 0x7fff_f000;
const INT32_FULL = 2 ** 31 - 1;
const CONVERT_HINT = 'convert it, e.g. `ffmpeg -i INPUT -ac 1 -ar 16000 -c:a pcm_s16le OUTPUT.wav`';

interface WavFields {
  fmt: {
    audioFormat: number;
    numChannels: number;
    sampleRate: number;
    bitsPerSample: number;
    blockAlign: number;
    subformat: number[];
  };
  data: { chunkSize: number; samples: Uint8Array };
}

/**
 * Reads a WAV file as mono float32 at `sampleRate` (default 16 kHz): channels are averaged,
 * any bit depth or encoding is converted to float, and other rates go through wavefile's
 * resampler. Throws {@link AudioFileError} for a missing, non-WAV, truncated or empty file, and
 * for a header out of range (see `wav-header.ts`) before decoding anything.
 */
export async function readWav(path: string, sampleRate = 16_000): Promise<WavAudio> {
  const wav = parse(path, await readBytes(path));
  const { fmt, data } = wav as unknown as WavFields;
  // WAVE_FORMAT_EXTENSIBLE keeps the encoding in the first field of its subformat GUID.
  const encoding = fmt.audioFormat === EXTENSIBLE ? (fmt.subformat[0] ?? 0) : fmt.audioFormat;
  if (!isDecodable(encoding)) {
    const reason = `its WAV encoding (format code ${encoding}) is not supported; ${CONVERT_HINT}`;
    throw new AudioFileError(path, 'unsupported', reason);
  }
  if (data.chunkSize < STREAMING_SIZE && data.samples.length < data.chunkSize) {
    const reason = `it is truncated: the header declares ${data.chunkSize} bytes of audio but only ${data.samples.length} are present; re-export or re-download it`;
    throw new AudioFileError(path, 'truncated', reason);
  }
  const source = { sampleRate: fmt.sampleRate, channels: fmt.numChannels, bitDepth: wav.bitDepth };
  if (data.samples.length === 0) {
    throw new AudioFileError(path, 'empty', 'it contains no audio samples');
  }
  const problem = wavHeaderProblem(
    {
      encoding,
      numChannels: fmt.numChannels,
      sampleRate: fmt.sampleRate,
      bitsPerSample: fmt.bitsPerSample,
      blockAlign: fmt.blockAlign,
      declaredDataBytes: data.chunkSize,
      dataBytes: data.samples.length,
    },
    sampleRate,
  );
  if (problem) {
    const reason = `its header is invalid: ${problem.field} ${problem.value} (accepted: ${problem.accepted}); ${CONVERT_HINT}`;
    throw new AudioFileError(path, 'bad-header', reason, { field: problem.field });
  }
  try {
    decompress(wav);
    const mono = downmix(wav, encoding, source.channels);
    const samples =
      source.sampleRate === sampleRate ? mono : resample(mono, source.sampleRate, sampleRate);
    return { samples, sampleRate, durationSec: samples.length / sampleRate, source };
  } catch (error) {
    const reason = `its audio cannot be decoded (${messageOf(error)}); ${CONVERT_HINT}`;
    throw new AudioFileError(path, 'unsupported', reason, { cause: error });
  }
}

async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new AudioFileError(path, 'missing', 'no such file; check the path', { cause: error });
    }
    const reason = code === 'EISDIR' ? 'it is a directory, not a WAV file' : messageOf(error);
    throw new AudioFileError(path, 'unreadable', reason, { cause: error });
  }
}

function parse(path: string, bytes: Uint8Array): WaveFile {
  try {
    return new WaveFile(bytes);
  } catch (error) {
    const reason = `it is not a WAV file (${messageOf(error)}); ${CONVERT_HINT}`;
    throw new AudioFileError(path, 'not-wav', reason, { cause: error });
  }
}

/** Decodes A-law, µ-law and IMA ADPCM to 16-bit PCM in place; other encodings stay. */
function decompress(wav: WaveFile): void {
  if (wav.bitDepth === '8a') wav.fromALaw();
  else if (wav.bitDepth === '8m') wav.fromMuLaw();
  else if (wav.bitDepth === '4') wav.fromIMAADPCM();
}

/**
 * Averages the channels into one Float32Array in [-1, 1]. Integer samples are scaled by
 * hand (÷ 2^(bits−1); 8-bit is unsigned): wavefile's own `toBitDepth('32f')` is ~25× slower.
 */
function downmix(wav: WaveFile, encoding: number, channels: number): Float32Array {
  const { samples, offset, scale } = interleaved(wav, encoding);
  const gain = scale / channels;
  const mono = new Float32Array(Math.floor(samples.length / channels));
  for (let i = 0, j = 0; i < mono.length; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += (samples[j++] ?? 0) - offset;
    mono[i] = sum * gain;
  }
  return mono;
}

function interleaved(wav: WaveFile, encoding: number) {
  if (encoding === FLOAT && wav.bitDepth === '32') {
    // Extensible 32-bit float: wavefile unpacks it as int32, whose bits are the floats.
    const ints = wav.getSamples(true, Int32Array) as unknown as Int32Array;
    return {
      samples: new Float32Array(ints.buffer, ints.byteOffset, ints.length),
      offset: 0,
      scale: 1,
    };
  }
  const samples = wav.getSamples(true, Float64Array) as Float64Array;
  return { samples, ...sampleScale(wav.bitDepth) };
}

function sampleScale(bitDepth: string): { offset: number; scale: number } {
  if (bitDepth === '32f' || bitDepth === '64') return { offset: 0, scale: 1 };
  const bits = ((Number.parseInt(bitDepth, 10) - 1) | 7) + 1; // container size: 12-bit is stored in 16
  return bits === 8 ? { offset: 128, scale: 1 / 128 } : { offset: 0, scale: 2 ** (1 - bits) };
}

/**
 * Resamples mono audio with wavefile's resampler (cubic, with its anti-alias filter), through
 * a 32-bit integer file: wavefile packs integers far faster than floats.
 */
function resample(samples: Float32Array, from: number, to: number): Float32Array {
  const wav = new WaveFile();
  wav.fromScratch(
    1,
    from,
    '32',
    Float64Array.from(samples, (s) => s * INT32_FULL),
  );
  wav.toSampleRate(to);
  return Float32Array.from(wav.getSamples(false, Float64Array), (s) => s / INT32_FULL);
}
