import { DEFAULT_TOLERANCE } from '../policy/policy.js';
import type { DeviceKind } from '../spec/backend.js';

/** One candidate as the decision sees it, in the policy's order of preference. */
export interface Timed {
  readonly id: string;
  readonly deviceKind: DeviceKind;
  /** Median ms a run; undefined when its trial failed. */
  readonly msPerRun: number | undefined;
}

/**
 * Differences under 3 % are within what repeated trials of one backend vary by on a busy
 * machine; `latency` keeps the policy's order inside that margin instead of following noise.
 */
export const NOISE_MARGIN = 1.03;

/** The decision: who serves, the fastest, and the slack each candidate was allowed. */
export interface Decision {
  readonly winner: string;
  /** The fastest measured candidate; undefined when none could be timed. */
  readonly fastest: Timed | undefined;
  readonly allowed: (c: Timed) => number;
}

/**
 * Picks the backend that serves from measured candidates (listed in preference order).
 * `preferred`: the first candidate no slower than the fastest × its tolerance (the caller's,
 * else {@link DEFAULT_TOLERANCE} for its device kind). `latency`: the first within
 * {@link NOISE_MARGIN} of the fastest. A candidate whose trial failed is never chosen while
 * another was timed; when none was, the first candidate stays.
 */
export function decide(
  candidates: readonly Timed[],
  objective: 'preferred' | 'latency',
  tolerance?: number,
): Decision {
  const first = candidates[0];
  if (first === undefined) throw new Error('decide() needs at least one candidate');
  const allowed = (c: Timed) =>
    objective === 'latency' ? NOISE_MARGIN : (tolerance ?? DEFAULT_TOLERANCE[c.deviceKind]);
  let fastest: Timed | undefined;
  for (const c of candidates) {
    if (
      c.msPerRun !== undefined &&
      (fastest === undefined || c.msPerRun < (fastest.msPerRun as number))
    )
      fastest = c;
  }
  if (fastest === undefined) return { winner: first.id, fastest, allowed };
  const best = fastest.msPerRun as number;
  const winner = candidates.find(
    (c) => c.msPerRun !== undefined && c.msPerRun <= best * allowed(c),
  );
  return { winner: (winner ?? fastest).id, fastest, allowed };
}

/**
 * Why a candidate serves or was passed over, with the figures: `5.2 ms a run against 0.19 ms
 * on cpu-onnxruntime (27× slower; a GPU is kept up to 1.25×)`.
 */
export function explainDecision(
  c: Timed,
  decision: Decision,
  objective: 'preferred' | 'latency',
): string {
  const { fastest } = decision;
  if (c.msPerRun === undefined || fastest === undefined) return '';
  const own = `${formatMs(c.msPerRun)} a run`;
  if (c.id === fastest.id) return `${own}, the fastest measured`;
  const ratio = c.msPerRun / (fastest.msPerRun as number);
  const against = `${own} against ${formatMs(fastest.msPerRun as number)} on ${fastest.id} (${formatRatio(ratio)} slower`;
  const bound = decision.allowed(c);
  const slack =
    objective === 'latency'
      ? `the latency objective allows ${formatRatio(bound)} for noise`
      : `${kindName(c.deviceKind)} is kept up to ${formatRatio(bound)}`;
  if (c.id === decision.winner) return `${against}; ${slack}, and the policy prefers it)`;
  return ratio <= bound
    ? `${against}; within ${formatRatio(bound)}, but the policy prefers ${decision.winner})`
    : `${against}; ${slack})`;
}

/** `27×`, `1.22×`. */
export function formatRatio(ratio: number): string {
  return `${ratio >= 10 ? Math.round(ratio) : Number(ratio.toFixed(2))}×`;
}

/** `5.2 ms`, `0.19 ms`, `41.5 ms`, `1204 ms`: three significant figures at most. */
export function formatMs(ms: number): string {
  return `${ms >= 100 ? Math.round(ms) : Number(ms.toPrecision(3))} ms`;
}

function kindName(kind: DeviceKind): string {
  return kind === 'cpu' ? 'a CPU backend' : kind === 'gpu' ? 'a GPU' : 'an NPU';
}
