/** How a figure compares with its raw-engine counterpart, and whether it met its target. */
export interface BenchTarget {
  /** The target as a person reads it, e.g. `≤ 1.02× raw`. */
  readonly text: string;
  /** `null` in a `quick` run: too few samples to judge. */
  readonly met: boolean | null;
}

/** One measured figure. */
export interface BenchResult {
  /** Unique, human-readable: `<workload> · <variant>`. */
  readonly name: string;
  /** What was measured: `silero-vad run`, `paddleocr-det run`, `cold start`, … */
  readonly workload: string;
  /** Who ran it and how: `runtime`, `raw`, `raw default`, `raw best (2 threads)`, `runtime default`… */
  readonly variant: string;
  /** `ms` for times (lower is better), `tokens/s` for throughput (higher), `MiB` for memory (lower). */
  readonly unit: 'ms' | 'tokens/s' | 'MiB';
  readonly median: number;
  readonly p95: number;
  /** How many samples the median and p95 come from. */
  readonly samples: number;
  /**
   * Against the raw counterpart named by `against`: runtime ÷ raw for times and memory,
   * raw ÷ runtime for throughput. Above 1 the runtime costs more; below 1 it wins.
   */
  readonly ratio?: number;
  /**
   * Where both sides ran in the same interleaved rounds: `ratio` is the median of the
   * per-round ratios, and this its bootstrap 95 % interval.
   */
  readonly ratioInterval?: readonly [number, number];
  /** How many paired rounds `ratio` comes from. */
  readonly ratioRounds?: number;
  /** The `name` of the result this one is compared with. */
  readonly against?: string;
  readonly target?: BenchTarget;
  /** The configuration used, or where the time goes. */
  readonly note?: string;
}

export type WorkloadId =
  | 'silero'
  | 'paddle-det'
  | 'cold-start'
  | 'discovery'
  | 'fallback'
  | 'llm'
  | 'memory'
  | 'selection';

export const ALL_WORKLOADS: readonly WorkloadId[] = [
  'silero',
  'paddle-det',
  'cold-start',
  'discovery',
  'fallback',
  'llm',
  'memory',
  'selection',
];

export interface RunBenchmarksOptions {
  /** Workloads to run; default all. With `model`, the ones that fit its format. */
  readonly workloads?: readonly WorkloadId[];
  /**
   * A user's own model: an `.onnx` graph (per-run overhead, defaults, cold start, memory,
   * fed seeded random inputs, symbolic dimensions 1) or a `.gguf` language model (LLM).
   * Default: the bundled Silero VAD, PaddleOCR v4 detection and a generated tiny GGUF.
   */
  readonly model?: string;
  /** Fewer rounds and repetitions: a smoke run (seconds), not figures to quote; targets get `met: null`. */
  readonly quick?: boolean;
  /** Progress lines as the run goes (default: none). */
  readonly onProgress?: (line: string) => void;
}

export interface BenchReport {
  readonly results: BenchResult[];
  /** The machine and engines the figures come from. */
  readonly environment: BenchEnvironment;
}

export interface BenchEnvironment {
  readonly date: string;
  readonly node: string;
  readonly platform: string;
  readonly cpu: string;
  readonly logicalCores: number;
  readonly onnxruntime: string;
  readonly nodeLlamaCpp: string;
  readonly durationMs: number;
}
