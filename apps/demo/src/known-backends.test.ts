import cpuPlugin from '@npu-first/backend-cpu/plugin';
import gpuPlugin from '@npu-first/backend-gpu/plugin';
import npuPlugin from '@npu-first/backend-npu/plugin';
import { type BackendOptionsMap, KNOWN_BACKEND_IDS } from '@npu-first/core';
import { describe, expect, expectTypeOf, it } from 'vitest';

/**
 * Core keeps the first-party backend ids in one catalog (policies and `backendOptions` may name
 * them when they are not installed); this app depends on every first-party backend package,
 * so it is where the catalog is held to what the plugins really create.
 */
describe('the first-party backend catalog', () => {
  it('is exactly the ids the first-party plugins create', async () => {
    const created = [];
    for (const plugin of [cpuPlugin, gpuPlugin, npuPlugin])
      for (const backend of await plugin.createBackends()) created.push(backend.id);
    expect([...KNOWN_BACKEND_IDS].sort()).toEqual(created.sort());
  });

  it('is what BackendOptionsMap types', () => {
    expectTypeOf<(typeof KNOWN_BACKEND_IDS)[number]>().toEqualTypeOf<keyof BackendOptionsMap>();
  });

  it('gives every first-party backend an option check', async () => {
    for (const plugin of [cpuPlugin, gpuPlugin, npuPlugin])
      for (const backend of await plugin.createBackends())
        expect(typeof backend.checkOptions, backend.id).toBe('function');
  });
});
