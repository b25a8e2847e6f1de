import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildDynamic, buildMlp, truncate, writeFixture } from '@npu-first/testkit';
import { dump } from 'npyjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './__fixtures__/run-cli.js';
import { writeSymbolicModel } from './__fixtures__/symbolic-model.js';

let dir: string;
let mlp: string;

const cli = runCli;

const npy = async (name: string, data: Float32Array, shape: number[]) => {
  const path = join(dir, name);
  await writeFile(path, Buffer.from(dump(data, shape)));
  return path;
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'npu-first-cli-'));
  mlp = await writeFixture(buildMlp(), dir);
});

describe('npu-first devices', () => {
  it('--json lists each backend with id, deviceKind, available, reason and devices', async () => {
    const { code, json } = await cli('devices', '--json');
    expect(code).toBe(0);
    const cpu = json.backends.find((b: { id: string }) => b.id === 'cpu-onnxruntime');
    expect(cpu).toMatchObject({
      deviceKind: 'cpu',
      available: true,
      package: '@npu-first/backend-cpu',
    });
    expect(cpu.devices[0].name).toEqual(expect.any(String));
    expect(typeof json.discoveryMs).toBe('number');
    // The example third-party plugin, installed beside the CLI, is discovered like ours.
    expect(json.backends.find((b: { id: string }) => b.id === 'cpu-onnxruntime-web')).toMatchObject(
      {
        deviceKind: 'cpu',
        available: true,
        package: 'npu-first-backend-wasm',
      },
    );
  });

  it('prints the tiers for a person', async () => {
    const { out } = await cli('devices');
    expect(out).toMatch(/npu-coreml .*unavailable/);
    expect(out).toContain('/sys/class/accel');
    expect(out).toMatch(/cpu-onnxruntime .*available/);
  });
});

describe('npu-first run', () => {
  it('--json prints outputs, placement with every attempt, and timings', async () => {
    const x = await npy('x.npy', new Float32Array(8).fill(0.25), [2, 4]);
    const { code, json } = await cli('run', mlp, '--input', `x=${x}`, '--json');
    expect(code).toBe(0);
    expect(json.outputs.y).toMatchObject({ type: 'float32', dims: [2, 3] });
    expect(json.outputs.y.preview).toHaveLength(6);
    const fixture = buildMlp();
    const expected = fixture.reference({
      x: { type: 'float32', data: new Float32Array(8).fill(0.25), dims: [2, 4] },
    });
    expect(json.outputs.y.preview[0]).toBeCloseTo(
      (expected.y as { data: Float32Array }).data[0] as number,
      5,
    );
    expect(json.placement.deviceKind).toBe('cpu');
    type Row = {
      backend: string | null;
      deviceKind: string;
      outcome: string;
      reason: string;
      measurement?: { msPerRun: number };
    };
    const attempts: Row[] = json.placement.attempts;
    // The NPU backend is installed: each NPU path is tried and passed over with what it checked.
    expect(
      attempts.filter((a) => a.deviceKind === 'npu').map((a) => [a.backend, a.outcome]),
    ).toEqual([
      ['npu-coreml', 'unavailable'],
      ['npu-openvino', 'unavailable'],
    ]);
    expect(attempts[1]?.reason).toMatch(/^no NPU: .*\/class\/accel/);
    // The GPU backend is installed: one attempt per GPU path, each passed over with a reason.
    const gpu = attempts.filter((a) => a.deviceKind === 'gpu');
    expect(gpu.filter((a) => a.outcome === 'unavailable').map((a) => a.backend)).toEqual([
      'gpu-onnxruntime-tensorrt',
      'gpu-onnxruntime-cuda',
      'gpu-onnxruntime-dml',
      'gpu-onnxruntime-coreml',
      'gpu-onnxruntime-webgpu',
    ]);
    for (const a of gpu) expect(a.reason.length).toBeGreaterThan(20);
    expect(attempts.find((a) => a.backend === 'cpu-llamacpp')).toMatchObject({
      outcome: 'rejected',
      reason: 'takes gguf models; this is onnx',
    });
    // Two CPU engines can serve it (the example wasm plugin is installed beside the CLI): both
    // are timed on the given input, and the one the rule picks from those figures serves.
    expect(json.placement.selection).toMatchObject({ method: 'trial', inputs: 'x float32 [2, 4]' });
    const timed = attempts.filter((a) => a.measurement);
    expect(timed.map((a) => a.backend)).toEqual(['cpu-onnxruntime', 'cpu-onnxruntime-web']);
    const [native, web] = timed.map((a) => a.measurement?.msPerRun as number) as [number, number];
    const nativeKept = native <= Math.min(native, web) * 1.1;
    expect(json.placement.backend).toBe(nativeKept ? 'cpu-onnxruntime' : 'cpu-onnxruntime-web');
    expect(timed.map((a) => a.outcome)).toEqual(
      nativeKept ? ['selected', 'passed-over'] : ['passed-over', 'selected'],
    );
    for (const a of json.placement.attempts)
      expect(Object.keys(a)).toEqual(
        expect.arrayContaining(['backend', 'deviceKind', 'outcome', 'reason', 'ms']),
      );
    expect(json.timings.runMs).toBeGreaterThanOrEqual(0);
  });

  it('fills inputs it is not given with random values, pinning symbolic dims with --dim', async () => {
    const path = await writeFixture(buildDynamic(), dir);
    const { code, json } = await cli('run', path, '--dim', 'batch=3', '--json');
    expect(code).toBe(0);
    expect(json.outputs.y.dims).toEqual([3, 3]);
    expect(json.inputs).toEqual({
      x: { source: 'random', type: 'float32', dims: [3, 3], symbolic: { batch: 3 } },
      k: { source: 'random', type: 'int64', dims: [3], symbolic: { batch: 3 } },
    });
  });

  it('shows the shape each input got and the symbolic dimension names it guessed', async () => {
    const path = await writeSymbolicModel(dir);
    const { code, json } = await cli('run', path, '--policy', 'cpu-onnxruntime', '--json');
    expect(code).toBe(0);
    // guessDim: 1 for the first dimension of a rank-4 input, 256 for the others.
    expect(json.inputs.x).toEqual({
      source: 'random',
      type: 'float32',
      dims: [1, 3, 256, 256],
      symbolic: {
        'p2o.DynamicDimension.0': 1,
        'p2o.DynamicDimension.1': 256,
        'p2o.DynamicDimension.2': 256,
      },
      guessed: ['p2o.DynamicDimension.0', 'p2o.DynamicDimension.1', 'p2o.DynamicDimension.2'],
    });
    const text = await cli(
      'run',
      path,
      '--policy',
      'cpu-onnxruntime',
      '--dim',
      'p2o.DynamicDimension.1=32',
    );
    expect(text.out).toContain(
      'x ← random  float32 [1, 3, 32, 256]  symbolic: p2o.DynamicDimension.0=1 (guessed), p2o.DynamicDimension.1=32, p2o.DynamicDimension.2=256 (guessed)',
    );
    expect(text.out).toContain('--dim name=N, e.g. --dim p2o.DynamicDimension.0=512');
    const x = await npy('x-sym.npy', new Float32Array(8), [2, 4]);
    const given = await cli('run', mlp, '--input', `x=${x}`, '--json');
    expect(given.json.inputs).toEqual({ x: { source: x, type: 'float32', dims: [2, 4] } });
  });

  it('exits non-zero with MODEL_CORRUPT for a truncated model', async () => {
    const cut = await writeFixture(truncate(buildMlp().bytes, 0.5), dir, 'cut.onnx');
    const { code, json } = await cli('run', cut, '--json');
    expect(code).toBe(1);
    expect(json.error).toMatchObject({ code: 'MODEL_CORRUPT', model: 'cut.onnx' });
  });

  it('exits non-zero with INVALID_INPUT naming the input for a wrong-shape .npy', async () => {
    const wrong = await npy('wrong.npy', new Float32Array(10), [2, 5]);
    const { code, json } = await cli('run', mlp, '--input', `x=${wrong}`, '--json');
    expect(code).toBe(1);
    expect(json.error).toMatchObject({ code: 'INVALID_INPUT', input: 'x' });
    expect(json.error.message).toContain('dimension 1 to be 4');
  });

  it('reports a missing model, a missing .npy and a non-.npy input plainly', async () => {
    expect((await cli('run', join(dir, 'none.onnx'), '--json')).json.error.code).toBe(
      'MODEL_NOT_FOUND',
    );
    const missing = await cli('run', mlp, '--input', `x=${join(dir, 'none.npy')}`, '--json');
    expect(missing.json.error).toMatchObject({ code: 'INVALID_INPUT', input: 'x' });
    const text = join(dir, 'text.npy');
    await writeFile(text, 'not numpy');
    expect((await cli('run', mlp, '--input', `x=${text}`, '--json')).json.error).toMatchObject({
      code: 'INVALID_INPUT',
      input: 'x',
    });
  });

  it('turns usage mistakes into INVALID_OPTION with exit code 2', async () => {
    expect((await cli('run', mlp, '--bogus', '--json')).json.error).toMatchObject({
      code: 'INVALID_OPTION',
      option: '--bogus',
    });
    for (const args of [
      ['--threads', 'zero'],
      ['--input', 'x'],
      ['--policy', 'order=;'],
    ]) {
      const { code, json } = await cli('run', mlp, ...args, '--json');
      expect(code).toBe(2);
      expect(json.error.code).toBe('INVALID_OPTION');
    }
  });

  it('follows --policy, and fails with every attempt listed when the policy leaves nothing', async () => {
    const { json } = await cli('run', mlp, '--policy', 'cpu-only', '--json');
    expect(json.placement.policy).toEqual({ source: 'option', text: 'cpu-only' });
    type Row = { deviceKind: string; outcome: string };
    const attempts: Row[] = json.placement.attempts;
    expect(attempts.filter((a) => a.outcome !== 'excluded').map((a) => a.deviceKind)).toEqual([
      'cpu',
      'cpu',
      'cpu',
    ]);
    // The GPU paths are installed but left out, and the trace says so.
    expect(
      attempts.filter((a) => a.deviceKind === 'gpu').every((a) => a.outcome === 'excluded'),
    ).toBe(true);
    const none = await cli('run', mlp, '--policy', 'exclude=cpu', '--json');
    expect(none.code).toBe(1);
    expect(none.json.error.code).toBe('ALL_BACKENDS_FAILED');
    expect(none.json.error.attempts.map((a: { outcome: string }) => a.outcome)).toContain(
      'excluded',
    );
  });
});

describe('npu-first vad', () => {
  it('finds the three sentences of the bundled recording, placed on the CPU', async () => {
    const { code, json } = await cli('vad', '--json');
    expect(code).toBe(0);
    expect(json.segments).toHaveLength(3);
    expect(json.segments[0].startSec).toBeCloseTo(0.5, 0);
    // Two CPU engines can serve it here; which is faster depends on the load of the moment
    // (a parallel test run can tip it), and both find the same three sentences.
    expect(['cpu-onnxruntime', 'cpu-onnxruntime-web']).toContain(json.placement.backend);
    expect(json.placement.selection).toMatchObject({ method: 'trial' });
    expect(json.placement.model.name).toBe('silero_vad_16k_op15.onnx');
    expect(json.windows).toBe(349);
  });

  it('prints segments, a timeline and the chain for a person', async () => {
    const { out } = await cli('vad');
    expect(out).toContain('3 segments');
    expect(out).toMatch(/npu-coreml +unavailable/);
    // Both CPU engines are timed on a real window of the recording; the figures are shown.
    expect(out).toContain(
      'Selection  measured on input float32 [1, 576], state float32 [2, 1, 128], sr int64 []',
    );
    expect(out).toMatch(/cpu-onnxruntime(-web)? +(selected|passed-over) .*ms a run/);
    expect(out.match(/ selected /g)).toHaveLength(1);
  });

  it('rejects a bad threshold and a file that is not audio', async () => {
    expect((await cli('vad', '--threshold', '2', '--json')).json.error.code).toBe('INVALID_OPTION');
    const notAudio = join(dir, 'notes.wav');
    await writeFile(notAudio, 'hello');
    const { code, json } = await cli('vad', notAudio, '--json');
    expect(code).toBe(1);
    expect(json.error).toMatchObject({ code: 'INVALID_INPUT', input: 'audio' });
  });
});

describe('npu-first calibrate', () => {
  it('times the thread counts, stores the fastest, and a later load uses it', async () => {
    const cache = join(dir, 'tuning.json');
    const before = process.env.NPU_FIRST_TUNING_CACHE;
    process.env.NPU_FIRST_TUNING_CACHE = cache;
    try {
      const { code, json } = await cli('calibrate', mlp, '--candidates', '1,2', '--json');
      expect(code).toBe(0);
      expect(Object.keys(json.medians)).toEqual(['1', '2']);
      expect(json).toMatchObject({ cached: true, cachePath: cache, inputs: { x: 'random' } });
      expect(json.loadNow).toEqual({ threads: json.threads, from: 'tuning cache' });
      const run = await cli('run', mlp, '--policy', 'cpu-onnxruntime', '--json');
      expect(run.json.placement.details.threads).toEqual({
        count: json.threads,
        why: 'tuning cache',
      });
      const plain = await cli('run', mlp, '--policy', 'cpu-onnxruntime');
      expect(plain.out).toContain(
        `Details    ${json.threads} intra-op thread${json.threads === 1 ? '' : 's'} (tuning cache) · onnxruntime-node cpu`,
      );
      const text = await cli('calibrate', mlp, '--candidates', '1');
      expect(text.out).toMatch(/1 thread .*← chosen/);
      expect(text.out).toContain(`Stored     ${cache}`);
    } finally {
      if (before === undefined) delete process.env.NPU_FIRST_TUNING_CACHE;
      else process.env.NPU_FIRST_TUNING_CACHE = before;
    }
  });

  it('times every backend that can serve the model, stores the verdicts, and run follows them', async () => {
    const before = { ...process.env };
    process.env.NPU_FIRST_PLACEMENT_CACHE = join(dir, 'placement.json');
    process.env.NPU_FIRST_TUNING_CACHE = join(dir, 'tuning-2.json');
    try {
      const x = await npy('x-cal.npy', new Float32Array(8).fill(0.5), [2, 4]);
      const { code, json } = await cli(
        'calibrate',
        mlp,
        '--input',
        `x=${x}`,
        '--candidates',
        '1',
        '--json',
      );
      expect(code).toBe(0);
      expect(json.devices.selection).toMatchObject({ method: 'trial', inputs: 'x float32 [2, 4]' });
      const ids = json.devices.candidates.map((c: { backend: string }) => c.backend);
      expect(ids).toEqual(['cpu-onnxruntime', 'cpu-onnxruntime-web']);
      for (const c of json.devices.candidates) expect(c.measurement.msPerRun).toBeGreaterThan(0);
      // The same inputs later: the load follows the stored verdicts, loading only the winner.
      const run = await cli('run', mlp, '--input', `x=${x}`, '--json');
      expect(run.json.placement.selection.method).toBe('cache');
      expect(run.json.placement.backend).toBe(json.devices.selected);
      const text = await cli('run', mlp, '--input', `x=${x}`);
      expect(text.out).toContain('Selection  verdicts from the placement cache (x float32 [2, 4])');
      expect(text.out).toMatch(/passed-over .*ms a run .*\(measured \d{4}-\d\d-\d\d\)/);
    } finally {
      for (const key of ['NPU_FIRST_PLACEMENT_CACHE', 'NPU_FIRST_TUNING_CACHE'] as const) {
        if (before[key] === undefined) delete process.env[key];
        else process.env[key] = before[key];
      }
    }
  });

  it('refuses bad thread counts and inputs that do not fit, with typed errors', async () => {
    const bad = await cli('calibrate', mlp, '--candidates', '0,2', '--json');
    expect(bad.code).toBe(2);
    expect(bad.json.error).toMatchObject({ code: 'INVALID_OPTION', option: '--candidates' });
    const wrong = await npy('wrong.npy', new Float32Array(3), [1, 3]);
    const shape = await cli('calibrate', mlp, '--input', `x=${wrong}`, '--json');
    expect(shape.json.error).toMatchObject({ code: 'INVALID_INPUT', input: 'x' });
  });
});

describe('npu-first bench', () => {
  it('--json measures a given model against the raw engine, with ratios', async () => {
    const { code, json } = await cli('bench', mlp, '--quick', '--only', 'silero', '--json');
    expect(code).toBe(0);
    const same = json.results.find(
      (r: { variant: string }) => r.variant === 'runtime (same config)',
    );
    expect(same).toMatchObject({ unit: 'ms', name: expect.stringContaining('mlp.onnx') });
    for (const key of ['median', 'p95', 'ratio']) expect(typeof same[key]).toBe('number');
    // Paired rounds give an interval around the ratio; a quick run judges no target.
    expect(same.ratioInterval).toHaveLength(2);
    expect(same.ratioInterval[0]).toBeLessThanOrEqual(same.ratio);
    expect(same.ratioInterval[1]).toBeGreaterThanOrEqual(same.ratio);
    expect(same.target).toMatchObject({ text: '≤ 1.02× raw', met: null });
    expect((await cli('bench', '--only', 'everything', '--json')).json.error).toMatchObject({
      code: 'INVALID_OPTION',
      option: '--only',
    });
  });
});

describe('the built binary', () => {
  it('exits with the error code in a real process and prints one JSON document', async () => {
    const bin = join(import.meta.dirname, '..', '..', 'dist', 'bin.js');
    const cut = await writeFixture(truncate(buildMlp().bytes, 0.3), dir, 'cut2.onnx');
    const run = promisify(execFile);
    const error = await run(process.execPath, [bin, 'run', cut, '--json']).catch(
      (e: { code: number; stdout: string }) => e,
    );
    expect((error as { code: number }).code).toBe(1);
    expect(JSON.parse((error as { stdout: string }).stdout).error.code).toBe('MODEL_CORRUPT');
    const ok = await run(process.execPath, [bin, 'vad', '--json'], {
      env: { ...process.env, NPU_FIRST_POLICY: 'cpu-only' },
    });
    expect(JSON.parse(ok.stdout).placement.policy).toEqual({ source: 'env', text: 'cpu-only' });
  });
});
