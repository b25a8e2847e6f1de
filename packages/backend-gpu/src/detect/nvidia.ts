import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DeviceInfo } from '@npu-first/core';
import type { MachineRoots } from './machine-roots.js';

/** What the NVIDIA kernel driver (and `nvidia-smi`, when installed) say about this machine. */
export interface NvidiaDetection {
  readonly driverVersion?: string;
  /** Where the kernel driver showed itself; absent when it did not. */
  readonly seenAt?: string;
  readonly gpus: readonly DeviceInfo[];
  /** Why no NVIDIA GPU was found: the places looked at. */
  readonly absentBecause?: string;
}

const detections = new Map<string, Promise<NvidiaDetection>>();

/**
 * A cheap look for NVIDIA GPUs: the kernel driver's `/proc/driver/nvidia` files (no process
 * started), then `nvidia-smi` for names and memory if it is on the PATH. Containers often hide
 * /proc/driver/nvidia while passing /dev/nvidiactl and /dev/nvidia<N> in: those count as the
 * driver too. Each device says in `details.nameFrom` where its name came from. `nvidia-smi`
 * describes the real machine, so it is not asked when the roots point elsewhere (fixtures).
 * Once per roots and process: the CUDA, Vulkan and WebGPU paths all ask.
 */
export function detectNvidia(
  roots: MachineRoots,
  useSmi = roots.proc === '/proc' && roots.dev === '/dev',
): Promise<NvidiaDetection> {
  const key = JSON.stringify([roots.proc, roots.dev, useSmi]);
  let detection = detections.get(key);
  if (!detection) {
    detection = detect(roots, useSmi);
    detections.set(key, detection);
  }
  return detection;
}

async function detect(roots: MachineRoots, useSmi: boolean): Promise<NvidiaDetection> {
  const base = join(roots.proc, 'driver', 'nvidia');
  // Synchronous: on machines without the driver this is the whole look (see listRenderNodes).
  const version = existsSync(join(base, 'version'))
    ? readFileSync(join(base, 'version'), 'utf8')
    : undefined;
  if (version === undefined) return fromDeviceNodes(roots, useSmi, join(base, 'version'));
  const driverVersion = /Kernel Module(?: for x86_64)?\s+([\d.]+)/.exec(version)?.[1];
  const fromSmi = useSmi ? await querySmi() : [];
  const gpus = fromSmi.length > 0 ? fromSmi : await gpusFromProc(join(base, 'gpus'));
  const driver = driverVersion ? `nvidia ${driverVersion}` : 'nvidia';
  return {
    ...(driverVersion ? { driverVersion } : {}),
    seenAt: join(base, 'version'),
    gpus: gpus.map((g) => ({ ...g, vendor: 'NVIDIA', driver })),
    ...(gpus.length === 0 ? { absentBecause: 'the NVIDIA driver is loaded but lists no GPU' } : {}),
  };
}

/** No /proc/driver/nvidia: a container may still pass the driver's device nodes in. */
async function fromDeviceNodes(
  roots: MachineRoots,
  useSmi: boolean,
  versionFile: string,
): Promise<NvidiaDetection> {
  const ctl = join(roots.dev, 'nvidiactl');
  const names = existsSync(ctl) ? readdirSync(roots.dev) : [];
  const nodes = names.filter((n) => /^nvidia\d+$/.test(n)).sort();
  if (nodes.length === 0) {
    return {
      gpus: [],
      absentBecause: `no NVIDIA kernel driver (${versionFile} does not exist, and no ${ctl} with ${join(roots.dev, 'nvidia<N>')})`,
    };
  }
  const fromSmi = useSmi ? await querySmi() : [];
  const gpus =
    fromSmi.length > 0
      ? fromSmi
      : nodes.map((n) => ({
          name: `NVIDIA GPU ${n.slice(6)}`,
          details: { nameFrom: join(roots.dev, n) },
        }));
  return { seenAt: ctl, gpus: gpus.map((g) => ({ ...g, vendor: 'NVIDIA', driver: 'nvidia' })) };
}

async function gpusFromProc(dir: string): Promise<DeviceInfo[]> {
  const buses = await readdir(dir).catch(() => [] as string[]);
  const gpus: DeviceInfo[] = [];
  for (const bus of buses.sort()) {
    const file = join(dir, bus, 'information');
    const info = await readFile(file, 'utf8').catch(() => '');
    const model = /^Model:\s*(.+)$/m.exec(info)?.[1]?.trim();
    gpus.push({ name: model ?? `NVIDIA GPU at ${bus}`, details: { bus, nameFrom: file } });
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
        return {
          name,
          memoryBytes: Number(mib) * 1024 * 1024,
          details: { bus, nameFrom: 'nvidia-smi' },
        };
      });
  } catch {
    return [];
  }
}
