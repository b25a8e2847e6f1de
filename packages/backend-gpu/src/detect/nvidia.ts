import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DeviceInfo } from '@npu-first/core';
import type { MachineRoots } from './machine-roots.js';

/** What the NVIDIA kernel driver (and `nvidia-smi`, when installed) say about this machine. */
export interface NvidiaDetection {
  readonly driverVersion?: string;
  readonly gpus: readonly DeviceInfo[];
  /** Why no NVIDIA GPU was found: the places looked at. */
  readonly absentBecause?: string;
}

/**
 * A cheap look for NVIDIA GPUs: the kernel driver's `/proc/driver/nvidia` files (no process
 * started), then `nvidia-smi` for names and memory if it is on the PATH.
 */
export async function detectNvidia(roots: MachineRoots, useSmi = true): Promise<NvidiaDetection> {
  const base = join(roots.proc, 'driver', 'nvidia');
  const version = await readFile(join(base, 'version'), 'utf8').catch(() => undefined);
  if (version === undefined) {
    return {
      gpus: [],
      absentBecause: `no NVIDIA kernel driver (${join(base, 'version')} does not exist)`,
    };
  }
  const driverVersion = /Kernel Module(?: for x86_64)?\s+([\d.]+)/.exec(version)?.[1];
  const fromSmi = useSmi ? await querySmi() : [];
  const gpus = fromSmi.length > 0 ? fromSmi : await gpusFromProc(join(base, 'gpus'));
  const driver = driverVersion ? `nvidia ${driverVersion}` : 'nvidia';
  return {
    ...(driverVersion ? { driverVersion } : {}),
    gpus: gpus.map((g) => ({ ...g, vendor: 'NVIDIA', driver })),
    ...(gpus.length === 0 ? { absentBecause: 'the NVIDIA driver is loaded but lists no GPU' } : {}),
  };
}

async function gpusFromProc(dir: string): Promise<DeviceInfo[]> {
  const buses = await readdir(dir).catch(() => [] as string[]);
  const gpus: DeviceInfo[] = [];
  for (const bus of buses.sort()) {
    const info = await readFile(join(dir, bus, 'information'), 'utf8').catch(() => '');
    const model = /^Model:\s*(.+)$/m.exec(info)?.[1]?.trim();
    gpus.push({ name: model ?? `NVIDIA GPU at ${bus}`, details: { bus } });
  }
  return gpus;
}

async function querySmi(): Promise<DeviceInfo[]> {
  try {
    // Imported here, not at the top: only machines with the NVIDIA driver get this far, and
    // node:child_process costs every other process ~4 ms to load.
    const { execFile } = await import('node:child_process');
    const { promisify } = await import('node:util');
    const { stdout } = await promisify(execFile)(
      'nvidia-smi',
      ['--query-gpu=name,memory.total,pci.bus_id', '--format=csv,noheader,nounits'],
      {
        timeout: 3000,
      },
    );
    return stdout
      .trim()
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((line) => {
        const [name = 'NVIDIA GPU', mib = '0', bus = ''] = line.split(',').map((s) => s.trim());
        return { name, memoryBytes: Number(mib) * 1024 * 1024, details: { bus } };
      });
  } catch {
    return [];
  }
}
