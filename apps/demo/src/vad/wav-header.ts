/**
 * Sanity checks on a WAV file's `fmt ` and `data` headers, made before any sample is decoded
 * or resampled: a hostile header (a 1 Hz rate, 0 channels, a data size of 4 GB) must not turn
 * a 20 KB file into gigabytes of allocation.
 */

/** The header fields the checks read, as wavefile parsed them. */
export interface WavHeader {
  /** The encoding: the format code, or for WAVE_FORMAT_EXTENSIBLE its subformat's. */
  readonly encoding: number;
  readonly numChannels: number;
  readonly sampleRate: number;
  readonly bitsPerSample: number;
  readonly blockAlign: number;
  /** The audio bytes the `data` chunk declares. */
  readonly declaredDataBytes: number;
  /** The audio bytes actually in the file. */
  readonly dataBytes: number;
}

/** A header field that is out of range, with what is accepted. */
export interface WavHeaderProblem {
  readonly field: string;
  readonly value: number;
  readonly accepted: string;
}

/**
 * Sample rates accepted: 8 kHz (telephone speech, the lowest rate Silero VAD is trained on)
 * to 384 kHz (the highest that audio interfaces record). Within it, resampling to the VAD's
 * 16 kHz at most doubles the sample count; below it a hostile rate (1 Hz) would multiply it
 * by 16 000.
 */
export const MIN_SAMPLE_RATE = 8_000;
export const MAX_SAMPLE_RATE = 384_000;
/** Channels accepted: up to 64 (7th-order ambisonics, large multi-microphone rigs). */
export const MAX_CHANNELS = 64;
/**
 * Samples decoded at most, before and after resampling: 2^27, e.g. 2.3 h of 16 kHz mono or
 * 23 min of 48 kHz stereo. Decoding holds them as float64 (1 GiB at this bound), so a longer
 * recording is refused rather than allowed to exhaust memory.
 */
export const MAX_DECODED_SAMPLES = 2 ** 27;

const PCM = 1;
const FLOAT = 3;
const ALAW = 6;
const MULAW = 7;
const IMA_ADPCM = 17;

/** Bits per sample each encoding may have. */
const BITS: Readonly<Record<number, readonly number[]>> = {
  [PCM]: [8, 16, 24, 32],
  [FLOAT]: [32, 64],
  [ALAW]: [8],
  [MULAW]: [8],
  [IMA_ADPCM]: [4],
};

/** The encodings readWav decodes (PCM, IEEE float, A-law, µ-law, IMA ADPCM). */
export function isDecodable(encoding: number): boolean {
  return encoding in BITS;
}

/**
 * The first field of `header` that is out of range or inconsistent, or undefined when the
 * file can be decoded within {@link MAX_DECODED_SAMPLES}. The encoding itself is checked by
 * the caller ({@link isDecodable}); the data size only up to what is present (a short file
 * is the caller's `truncated`).
 */
export function wavHeaderProblem(
  header: WavHeader,
  targetRate: number,
): WavHeaderProblem | undefined {
  const { encoding, numChannels, sampleRate, bitsPerSample, blockAlign } = header;
  if (!(numChannels >= 1 && numChannels <= MAX_CHANNELS)) {
    return { field: 'channels', value: numChannels, accepted: `1 to ${MAX_CHANNELS}` };
  }
  if (!(sampleRate >= MIN_SAMPLE_RATE && sampleRate <= MAX_SAMPLE_RATE)) {
    return {
      field: 'sample rate',
      value: sampleRate,
      accepted: `${MIN_SAMPLE_RATE} to ${MAX_SAMPLE_RATE} Hz`,
    };
  }
  if (encoding === IMA_ADPCM && numChannels !== 1) {
    return { field: 'channels', value: numChannels, accepted: '1 for IMA ADPCM' };
  }
  const bits = BITS[encoding] ?? [];
  if (!bits.includes(bitsPerSample)) {
    return {
      field: 'bits per sample',
      value: bitsPerSample,
      accepted: `${bits.join(', ')} for format code ${encoding}`,
    };
  }
  const frames = frameCount(header);
  if (frames === undefined) {
    const expected =
      encoding === IMA_ADPCM
        ? 'above 4 (a block of 4 header bytes, then samples)'
        : `${numChannels * (bitsPerSample / 8)} (channels × bytes per sample)`;
    return { field: 'block align', value: blockAlign, accepted: expected };
  }
  const decoded = Math.max(frames * numChannels, Math.ceil((frames * targetRate) / sampleRate));
  if (decoded > MAX_DECODED_SAMPLES) {
    return {
      field: 'duration',
      value: Math.round(frames / sampleRate),
      accepted: `at most ${MAX_DECODED_SAMPLES} samples decoded (${Math.floor(MAX_DECODED_SAMPLES / numChannels / sampleRate)} s at ${sampleRate} Hz × ${numChannels} channels); split it into shorter files`,
    };
  }
  return undefined;
}

/**
 * Whole frames in the data present, or undefined when the block align contradicts the other
 * fields. IMA ADPCM blocks hold a 4-byte header per channel, then 2 samples a byte.
 */
function frameCount(header: WavHeader): number | undefined {
  const { encoding, numChannels, bitsPerSample, blockAlign, dataBytes } = header;
  if (encoding === IMA_ADPCM) {
    if (blockAlign <= 4) return undefined; // mono: wavefile decodes no other IMA ADPCM
    return Math.ceil(dataBytes / blockAlign) * ((blockAlign - 4) * 2 + 1);
  }
  if (blockAlign !== numChannels * (bitsPerSample / 8)) return undefined;
  return Math.floor(dataBytes / blockAlign);
}
