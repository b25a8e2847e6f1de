import { availableParallelism } from 'node:os';
import { getLlamaFor, type LlamaGpu } from './load-node-llama-cpp.js';

/**
 * Up to this many logical cores a machine counts as small: there llama.cpp threads on every
 * core spin-wait against Node's own threads and each token is 10–20× slower, whatever the
 * model's size (measured on 2 cores, docs/llama-threads.md; the bound itself is a guess).
 */
export const SMALL_MACHINE_CORES = 4;

/**
 * At or below this size a GGUF counts as tiny: each graph operator is so short that the
 * threads' hand-off at every operator costs more than they compute. Far below any real
 * language model (the smallest chat GGUFs are about 100 MB).
 */
export const TINY_MODEL_BYTES = 8 * 1024 * 1024;

/** The most threads a tiny model gets by default (not verified on machines with more cores). */
export const TINY_MODEL_MAX_THREADS = 2;

/** Where a llama.cpp thread count came from, shown in `model.placement.details.threads.why`. */
export type LlamaThreadSource =
  | 'load option'
  | 'backend default'
  | 'engine cap'
  | 'math cores'
  | 'logical cores'
  | 'one core left to Node'
  | 'small model';

export interface LlamaThreadInput {
  /** `threads` given to `load()`. */
  readonly option?: number | undefined;
  /** `threads` given to the backend's factory. */
  readonly backendDefault?: number | undefined;
  /** The cores Node may run on (`os.availableParallelism()`). */
  readonly logicalCores: number;
  /** llama.cpp's count of physical (performance) cores: node-llama-cpp's `llama.cpuMathCores`. */
  readonly mathCores: number;
  /** node-llama-cpp's `llama.maxThreads`: the most a context gets; 0 for no limit. */
  readonly engineMaxThreads?: number;
  readonly modelBytes: number;
}

export interface LlamaThreadChoice {
  readonly threads: number;
  readonly source: LlamaThreadSource;
}

/**
 * Generation threads for a llama.cpp context. The user's count wins (lowered only where
 * node-llama-cpp itself would lower it, so the count reported is the one that runs);
 * otherwise:
 *
 * - node-llama-cpp's own default, the engine's math cores (at most the cores Node may use);
 * - but on a small machine (≤ {@link SMALL_MACHINE_CORES} logical cores) one core is left to
 *   Node where the math cores would take them all;
 * - and a tiny model (≤ {@link TINY_MODEL_BYTES}) gets at most {@link TINY_MODEL_MAX_THREADS}.
 *
 * node-llama-cpp's CPU build itself asks for max(4, math cores): on small machines that is
 * more threads than cores, the slowest count there is.
 */
export function chooseLlamaThreads(input: LlamaThreadInput): LlamaThreadChoice {
  const given =
    input.option !== undefined
      ? { threads: input.option, source: 'load option' as const }
      : input.backendDefault !== undefined
        ? { threads: input.backendDefault, source: 'backend default' as const }
        : undefined;
  if (given) {
    const cap = input.engineMaxThreads ?? 0;
    return cap > 0 && given.threads > cap ? { threads: cap, source: 'engine cap' } : given;
  }
  const logical = Math.max(1, input.logicalCores);
  // No count from the engine: every core Node may use.
  const math = input.mathCores >= 1 ? input.mathCores : Number.POSITIVE_INFINITY;
  let choice: LlamaThreadChoice =
    logical <= SMALL_MACHINE_CORES && math >= logical
      ? { threads: Math.max(1, logical - 1), source: 'one core left to Node' }
      : math > logical
        ? { threads: logical, source: 'logical cores' }
        : { threads: math, source: 'math cores' };
  if (input.modelBytes <= TINY_MODEL_BYTES && choice.threads > TINY_MODEL_MAX_THREADS)
    choice = { threads: TINY_MODEL_MAX_THREADS, source: 'small model' };
  return choice;
}

/**
 * {@link chooseLlamaThreads} on this machine for the llama.cpp build `gpu`: loads that build
 * (once per process; the model's load needs it next anyway) for its math cores and cap.
 */
export async function chooseLlamaThreadsFor(
  gpu: LlamaGpu,
  input: Pick<LlamaThreadInput, 'option' | 'backendDefault' | 'modelBytes'>,
): Promise<LlamaThreadChoice> {
  const llama = await getLlamaFor(gpu);
  return chooseLlamaThreads({
    ...input,
    logicalCores: availableParallelism(),
    mathCores: llama.cpuMathCores,
    engineMaxThreads: llama.maxThreads,
  });
}
