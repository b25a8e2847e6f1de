import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';

/** What decides a thread count: the machine's cores and its CPU model (the tuning cache's key). */
export interface CpuTopology {
  readonly logicalCores: number;
  /** Cores without SMT siblings (Linux sysfs); the logical count where that cannot be read. */
  readonly physicalCores: number;
  readonly model: string;
}

/** Reads the CPU's topology: logical cores from Node, physical cores from Linux sysfs. */
export function readCpuTopology(sysRoot = '/sys'): CpuTopology {
  const logicalCores = availableParallelism();
  const model = cpus()[0]?.model.trim() || `${process.arch} CPU`;
  let physicalCores = logicalCores;
  try {
    const base = join(sysRoot, 'devices', 'system', 'cpu');
    const cores = new Set<string>();
    for (const entry of readdirSync(base)) {
      if (!/^cpu\d+$/.test(entry)) continue;
      const topo = join(base, entry, 'topology');
      const pkg = readFileSync(join(topo, 'physical_package_id'), 'utf8').trim();
      const core = readFileSync(join(topo, 'core_id'), 'utf8').trim();
      cores.add(`${pkg}:${core}`);
    }
    if (cores.size > 0) physicalCores = Math.min(cores.size, logicalCores);
  } catch {
    // Not Linux, or sysfs hidden (containers): keep the logical count.
  }
  return { logicalCores, physicalCores, model };
}

/** At or below this size a model counts as small: per-operator thread hand-offs dominate its runs. */
export const SMALL_MODEL_BYTES = 2 * 1024 * 1024;

/** The most intra-op threads a small model gets by default. */
export const SMALL_MODEL_MAX_THREADS = 2;

/** Where a thread count came from, shown in `model.device.details.threadsFrom`. */
export type ThreadSource =
  | 'load option'
  | 'backend default'
  | 'tuning cache'
  | 'small model'
  | 'physical cores';

export interface ThreadChoiceInput {
  /** `threads` given to `load()`. */
  readonly option?: number | undefined;
  /** `threads` given to the backend's factory. */
  readonly backendDefault?: number | undefined;
  /** What calibration learnt for this model on this machine (the tuning cache). */
  readonly cached?: number | undefined;
  readonly modelBytes: number;
  readonly cpu: CpuTopology;
}

/**
 * Intra-op threads for an ONNX Runtime CPU session. The user's choice wins, then what a
 * calibration of this model on this machine found; otherwise:
 *
 * - a small model (≤ {@link SMALL_MODEL_BYTES}) gets at most {@link SMALL_MODEL_MAX_THREADS}:
 *   its operators are too short for more of ORT's workers to pay for the hand-off (Silero VAD
 *   on a 2-core machine, measured side by side: 2 threads 0.150 ms a run, 1 thread 0.160 ms);
 *   the cap itself is not verified on machines with more cores;
 * - any other model gets one thread per physical core, set explicitly. That is the count ORT
 *   means to use by default, but ORT's default also pins its workers to cores, which loses to
 *   the unpinned explicit count where Node's threads share those cores.
 */
export function chooseIntraOpThreads(input: ThreadChoiceInput): {
  threads: number;
  source: ThreadSource;
} {
  if (input.option !== undefined) return { threads: input.option, source: 'load option' };
  if (input.backendDefault !== undefined)
    return { threads: input.backendDefault, source: 'backend default' };
  if (input.cached !== undefined && Number.isInteger(input.cached) && input.cached >= 1)
    return { threads: Math.min(input.cached, input.cpu.logicalCores), source: 'tuning cache' };
  if (input.modelBytes <= SMALL_MODEL_BYTES)
    return {
      threads: Math.max(1, Math.min(SMALL_MODEL_MAX_THREADS, input.cpu.physicalCores)),
      source: 'small model',
    };
  return { threads: Math.max(1, input.cpu.physicalCores), source: 'physical cores' };
}
