import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Ended, errorCode, runNode } from '../cli-process.js';

/**
 * `npu-first vad` on WAV files whose headers lie: every field at 0, 1 and its largest value,
 * fields that contradict each other, and the file cut at every header offset. Each must end
 * in INVALID_INPUT from a process that is alive and answers — a 20 KB file declaring 1 Hz once
 * resampled into 5.4 GB and died of heap exhaustion.
 */

/** Offsets of the fields of a canonical 44-byte header. */
const FIELDS = {
  riffSize: [4, 4],
  fmtSize: [16, 4],
  audioFormat: [20, 2],
  channels: [22, 2],
  sampleRate: [24, 4],
  byteRate: [28, 4],
  blockAlign: [32, 2],
  bitsPerSample: [34, 2],
  dataSize: [40, 4],
} as const;
type Field = keyof typeof FIELDS;

/** 20 000 bytes of 16 kHz mono 16-bit PCM (0.625 s of a quiet tone) behind a 44-byte header. */
function wav(changes: Partial<Record<Field, number>> = {}): Buffer {
  const bytes = Buffer.alloc(44 + 20_000);
  bytes.write('RIFF', 0);
  bytes.write('WAVE', 8);
  bytes.write('fmt ', 12);
  bytes.write('data', 36);
  const fields: Record<Field, number> = {
    riffSize: bytes.length - 8,
    fmtSize: 16,
    audioFormat: 1,
    channels: 1,
    sampleRate: 16_000,
    byteRate: 32_000,
    blockAlign: 2,
    bitsPerSample: 16,
    dataSize: 20_000,
    ...changes,
  };
  for (const [name, [offset, size]] of Object.entries(FIELDS)) {
    const value = fields[name as Field];
    if (size === 2) bytes.writeUInt16LE(value, offset);
    else bytes.writeUInt32LE(value, offset);
  }
  for (let i = 0; i < 10_000; i++) {
    bytes.writeInt16LE(Math.round(1000 * Math.sin(i / 10)), 44 + 2 * i);
  }
  return bytes;
}

const MAX = { 2: 0xffff, 4: 0xffff_ffff } as const;
/** Header variants the CLI must refuse, by name. */
const HOSTILE: Record<string, Buffer> = {};
for (const field of [
  'audioFormat',
  'channels',
  'sampleRate',
  'blockAlign',
  'bitsPerSample',
] as const) {
  const size = FIELDS[field][1];
  for (const value of [0, 1, MAX[size]]) {
    const buffer = wav({ [field]: value });
    // Values that happen to be valid are not hostile: channels 1 and PCM (format 1) are the default.
    if ((field === 'channels' || field === 'audioFormat') && value === 1) continue;
    HOSTILE[`${field}=${value}`] = buffer;
  }
}
Object.assign(HOSTILE, {
  // Sizes from 0x7fff_f000 up are streaming encoders' placeholders, read as "to the end".
  'dataSize=2 GB (declares more than the file holds)': wav({ dataSize: 0x7fff_0000 }),
  'dataSize=0': wav({ dataSize: 0 }),
  'dataSize=20 002': wav({ dataSize: 20_002 }),
  'stereo with mono block align': wav({ channels: 2 }),
  '24-bit with 16-bit block align': wav({ bitsPerSample: 24 }),
  'float with 16 bits': wav({ audioFormat: 3 }),
  'µ-law with 16 bits': wav({ audioFormat: 7 }),
  'IMA ADPCM stereo': wav({ audioFormat: 17, channels: 2, bitsPerSample: 4, blockAlign: 512 }),
  '7999 Hz': wav({ sampleRate: 7999 }),
  '384 001 Hz': wav({ sampleRate: 384_001 }),
  '65 channels': wav({ channels: 65, blockAlign: 130 }),
});
const CUTS = [0, 1, 4, 8, 11, 12, 16, 20, 24, 30, 35, 36, 40, 43, 44, 45, 1001, 20_043];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'npu-first-hostile-wav-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function vad(name: string, bytes: Buffer): Promise<Ended> {
  const path = join(dir, `${name.replace(/[^\w=.-]+/g, '_')}.wav`);
  await writeFile(path, bytes);
  return runNode(['vad', path, '--json'], { timeoutMs: 60_000 });
}

/** Runs `cases` a few at a time: each is a child process. */
async function each(cases: [string, Buffer][], expectEnd: (name: string, ended: Ended) => void) {
  const queue = [...cases];
  await Promise.all(
    Array.from({ length: 3 }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        expectEnd(next[0], await vad(...next));
      }
    }),
  );
}

function refused(name: string, ended: Ended): void {
  expect({ name, hung: ended.hung, signal: ended.signal, code: ended.code }).toEqual({
    name,
    hung: false,
    signal: null,
    code: 1,
  });
  expect({ name, error: errorCode(ended) }).toEqual({ name, error: 'INVALID_INPUT' });
}

describe('vad on hostile WAV headers', () => {
  it('the 20 KB file declaring 1 Hz: refused, naming the field and what is accepted', async () => {
    const ended = await vad('one-hz', wav({ sampleRate: 1, byteRate: 2 }));
    refused('1 Hz', ended);
    const { error } = JSON.parse(ended.stdout) as { error: Record<string, string> };
    expect(error).toMatchObject({ problem: 'bad-header', field: 'sample rate' });
    expect(error.message).toContain('sample rate 1 (accepted: 8000 to 384000 Hz)');
  });

  it('every field at 0, 1 and its maximum, and fields that contradict each other', async () => {
    await each(Object.entries(HOSTILE), refused);
  }, 300_000);

  it('the file cut at each header offset and inside the data', async () => {
    const whole = wav();
    await each(
      CUTS.map((at) => [`cut-${at}`, whole.subarray(0, at)]),
      refused,
    );
  }, 300_000);

  it('the untouched file still runs', async () => {
    const ended = await vad('ok', wav());
    expect(ended.code).toBe(0);
    expect(JSON.parse(ended.stdout)).toMatchObject({ audio: { sampleRate: 16_000 } });
  });
});
