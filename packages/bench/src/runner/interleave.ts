import { Bench } from 'tinybench';

/** One side of a comparison: a name and the operation to time. */
export interface Contender {
  readonly name: string;
  readonly fn: () => unknown;
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
    const bench = new Bench({
      time: options.timeMs,
      iterations: options.iterations,
      warmup: true,
      warmupTime: round === 0 ? options.warmupMs : options.warmupMs / 4,
      warmupIterations: options.warmupIterations ?? (round === 0 ? 8 : 2),
      retainSamples: true,
      throws: true,
    });
    for (const contender of rotate(contenders, round)) bench.add(contender.name, contender.fn);
    await bench.run();
    for (const task of bench.tasks) {
      const result = task.result;
      if (result.state !== 'completed') throw new Error(`${task.name}: ${result.state}`);
      samples.get(task.name)?.push([...(result.latency.samples ?? [])]);
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
