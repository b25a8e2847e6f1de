import { Bench } from 'tinybench';

/** One side of a comparison: a name and the asynchronous operation to time. */
export interface Contender {
  readonly name: string;
  readonly fn: () => Promise<unknown>;
}

export interface InterleaveOptions {
  /** Rounds: every contender is measured once per round, in a rotating order. */
  readonly rounds: number;
  /** tinybench's time budget per contender per round, ms. */
  readonly timeMs: number;
  /** tinybench's minimum iterations per contender per round. */
  readonly iterations: number;
  /** Warm-up per contender before the first round, ms (and a quarter of it before later rounds). */
  readonly warmupMs: number;
  readonly warmupIterations?: number;
  /** Warm up before every round (default), or only before the first. */
  readonly warmupEveryRound?: boolean;
  readonly onRound?: (round: number, rounds: number) => void;
}

/** Latency samples (ms) per contender, one array per round. */
export type RoundSamples = Map<string, number[][]>;

/**
 * Measures contenders side by side in one run, interleaved: `rounds` short tinybench runs,
 * each with every contender, the order rotated and reversed from round to round so drift
 * (frequency scaling, a noisy neighbour, a warming cache) falls on all sides alike. Returns
 * every latency sample (ms) per contender and round (see `pairedRatio`; `.flat()` for all).
 */
export async function interleave(
  contenders: readonly Contender[],
  options: InterleaveOptions,
): Promise<RoundSamples> {
  const samples: RoundSamples = new Map(contenders.map((c) => [c.name, []]));
  for (let round = 0; round < options.rounds; round++) {
    // One tinybench run per contender, so its warm-up comes right before its own measured runs:
    // a Bench with several tasks warms them all up first, and then the first measured run of
    // each pays for the switch from the previous one (a switch between ONNX Runtime sessions
    // costs PaddleOCR one run ~1.6× as slow — a quarter of a 4-run block).
    for (const contender of rotate(contenders, round)) {
      const bench = new Bench({
        time: options.timeMs,
        iterations: options.iterations,
        warmup: round === 0 || options.warmupEveryRound !== false,
        warmupTime: round === 0 ? options.warmupMs : options.warmupMs / 4,
        warmupIterations: options.warmupIterations ?? (round === 0 ? 8 : 2),
        retainSamples: true,
        throws: true,
      });
      // Declared async: otherwise tinybench calls the function once, unawaited, to find out —
      // a stray run overlapping the measured ones (on PaddleOCR it tripled the first sample).
      bench.add(contender.name, contender.fn, { async: true });
      await bench.run();
      const result = (bench.tasks[0] as (typeof bench.tasks)[number]).result;
      if (result.state !== 'completed') throw new Error(`${contender.name}: ${result.state}`);
      samples.get(contender.name)?.push([...(result.latency.samples ?? [])]);
    }
    options.onRound?.(round + 1, options.rounds);
  }
  return samples;
}

/** Round r: rotated by r, reversed on odd rounds (A B C, C B A, B C A, A C B, …). */
export function rotate<T>(items: readonly T[], round: number): T[] {
  const n = items.length;
  if (n === 0) return [];
  const shift = Math.floor(round / 2) % n;
  const rotated = [...items.slice(shift), ...items.slice(0, shift)];
  return round % 2 === 1 ? rotated.reverse() : rotated;
}
