import { mkdir, mkdtemp, readFile, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelDescriptor } from '@npu-first/core';
import { describe, expect, it } from 'vitest';
import { pickThreads } from './calibrate-threads.js';
import { chooseIntraOpThreads, readCpuTopology, SMALL_MODEL_BYTES } from './thread-choice.js';
import { readTuning, tuningCachePath, tuningKey, writeTuning } from './tuning-cache.js';

const cpu = { logicalCores: 16, physicalCores: 8, model: 'Fixture CPU' };
const big = 50 * 1024 * 1024;

describe('chooseIntraOpThreads', () => {
  it('lets the load option win, then the backend default, then the tuning cache', () => {
    expect(
      chooseIntraOpThreads({ option: 3, backendDefault: 5, cached: 2, modelBytes: big, cpu }),
    ).toEqual({ threads: 3, source: 'load option' });
    expect(chooseIntraOpThreads({ backendDefault: 5, cached: 2, modelBytes: big, cpu })).toEqual({
      threads: 5,
      source: 'backend default',
    });
    expect(chooseIntraOpThreads({ cached: 2, modelBytes: big, cpu })).toEqual({
      threads: 2,
      source: 'tuning cache',
    });
  });

  it('caps a cached count at the cores this machine has and ignores nonsense', () => {
    expect(chooseIntraOpThreads({ cached: 64, modelBytes: big, cpu }).threads).toBe(16);
    expect(chooseIntraOpThreads({ cached: 0, modelBytes: big, cpu }).source).toBe('physical cores');
  });

  it('gives small models at most two threads and others one per physical core', () => {
    expect(chooseIntraOpThreads({ modelBytes: SMALL_MODEL_BYTES, cpu })).toEqual({
      threads: 2,
      source: 'small model',
    });
    const oneCore = { ...cpu, logicalCores: 2, physicalCores: 1 };
    expect(chooseIntraOpThreads({ modelBytes: 1000, cpu: oneCore }).threads).toBe(1);
    expect(chooseIntraOpThreads({ modelBytes: big, cpu })).toEqual({
      threads: 8,
      source: 'physical cores',
    });
    expect(
      chooseIntraOpThreads({ modelBytes: big, cpu: { ...cpu, physicalCores: 0 } }).threads,
    ).toBe(1);
  });
});

describe('pickThreads', () => {
  it('takes the fewest threads within 2 % of the fastest', () => {
    expect(pickThreads({ 1: 10, 2: 6, 4: 5.95 })).toBe(2);
    expect(pickThreads({ 1: 0.15, 2: 0.2 })).toBe(1);
    expect(pickThreads({ 4: 1, 2: 3 })).toBe(4);
    expect(() => pickThreads({})).toThrow(RangeError);
  });
});

describe('readCpuTopology', () => {
  it('counts physical cores from a sysfs tree (SMT siblings share a core id)', async () => {
    const root = await mkdtemp(join(tmpdir(), 'npu-first-sys-'));
    for (const [cpuId, core] of [
      [0, 0],
      [1, 1],
      [2, 0],
      [3, 1],
    ]) {
      const topo = join(root, 'devices', 'system', 'cpu', `cpu${cpuId}`, 'topology');
      await mkdir(topo, { recursive: true });
      await writeFile(join(topo, 'physical_package_id'), '0\n');
      await writeFile(join(topo, 'core_id'), `${core}\n`);
    }
    const topology = readCpuTopology(root);
    expect(topology.physicalCores).toBe(Math.min(2, topology.logicalCores));
    expect(readCpuTopology(join(root, 'missing')).physicalCores).toBe(topology.logicalCores);
  });
});

describe('the tuning cache', () => {
  it('is placed by NPU_FIRST_TUNING_CACHE, XDG_CACHE_HOME or ~/.cache, and can be turned off', () => {
    expect(tuningCachePath({ NPU_FIRST_TUNING_CACHE: '/x/t.json' })).toBe('/x/t.json');
    expect(tuningCachePath({ NPU_FIRST_TUNING_CACHE: 'off' })).toBeUndefined();
    expect(tuningCachePath({ XDG_CACHE_HOME: '/c' })).toBe(join('/c', 'npu-first', 'tuning.json'));
    expect(tuningCachePath({})).toMatch(/\.cache[\\/]npu-first[\\/]tuning\.json$/);
  });

  it('keys a model by its content: an edited model is tuned afresh, a moved one is not', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'npu-first-tune-'));
    const path = join(dir, 'm.onnx');
    await writeFile(path, 'abc');
    const model: ModelDescriptor = { format: 'onnx', name: 'm.onnx', path, sizeBytes: 3 };
    const before = await tuningKey('cpu-onnxruntime', '1.30.0', cpu, model);
    expect(await tuningKey('cpu-onnxruntime', '1.30.0', cpu, model)).toBe(before);
    const moved = join(dir, 'moved.onnx');
    await writeFile(moved, 'abc');
    expect(await tuningKey('cpu-onnxruntime', '1.30.0', cpu, { ...model, path: moved })).toBe(
      before,
    );
    // Same size, new bytes (and a new modification time, as an edit gives it).
    await writeFile(path, 'abd');
    await utimes(path, new Date(), new Date(Date.now() + 5000));
    expect(await tuningKey('cpu-onnxruntime', '1.30.0', cpu, model)).not.toBe(before);
    expect(
      await tuningKey('cpu-onnxruntime', '1.30.0', { ...cpu, model: 'Other' }, model),
    ).not.toBe(await tuningKey('cpu-onnxruntime', '1.30.0', cpu, model));
    const bytes = (b: Uint8Array): ModelDescriptor => ({
      format: 'onnx',
      name: '<bytes>',
      bytes: b,
      sizeBytes: b.byteLength,
    });
    expect(await tuningKey('x', 'v', cpu, bytes(Uint8Array.of(1, 2)))).toBe(
      await tuningKey('x', 'v', cpu, bytes(Uint8Array.of(1, 2))),
    );
    expect(await tuningKey('x', 'v', cpu, bytes(Uint8Array.of(1, 2)))).not.toBe(
      await tuningKey('x', 'v', cpu, bytes(Uint8Array.of(1, 3))),
    );
  });

  it('stores and reads entries, and never throws on a missing or broken file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'npu-first-tune-'));
    const file = join(dir, 'sub', 'tuning.json');
    expect(await readTuning('k', file)).toBeUndefined();
    await writeTuning('k', { intraOpThreads: 2, medians: { 1: 3, 2: 2 }, at: 'now' }, file);
    expect((await readTuning('k', file))?.intraOpThreads).toBe(2);
    expect(JSON.parse(await readFile(file, 'utf8')).entries.k.medians).toEqual({ 1: 3, 2: 2 });
    await writeFile(file, '{ broken');
    expect(await readTuning('k', file)).toBeUndefined();
    expect(await readTuning('k', undefined)).toBeUndefined();
  });
});
