import { type ChainRequest, runChain } from '../chain/fallback-chain.js';
import type { ChainStep } from '../chain/plan-chain.js';
import { NpuFirstError } from '../errors/base.js';
import type { Attempt } from '../placement/placement.js';
import type { LoadedModel } from '../spec/backend.js';
import { messageOf, since } from '../util/timeout.js';
import type { ModelServer } from './serving-model.js';

const isAccelerator = (step: ChainStep) =>
  step.type === 'backend' && step.entry.backend.deviceKind !== 'cpu';

/**
 * Warm start splits the chain in two: the CPU part, which places the model now, and the
 * accelerators before it, loaded in the background. `undefined` when there is nothing to
 * split (no accelerator, or no CPU backend to serve meanwhile): the plain chain runs.
 */
export function splitForWarmStart(
  request: ChainRequest,
): { now: ChainRequest; later: ChainRequest } | undefined {
  const firstCpu = request.steps.findIndex(
    (s) => s.type === 'backend' && s.entry.backend.deviceKind === 'cpu',
  );
  const accelerators = request.steps.slice(0, Math.max(firstCpu, 0)).filter(isAccelerator);
  if (firstCpu < 0 || accelerators.length === 0) return undefined;
  return {
    now: { ...request, steps: request.steps.filter((s) => !isAccelerator(s)) },
    later: { ...request, steps: accelerators },
  };
}

/**
 * Loads the accelerators' part of the chain in the background and hands the model over to
 * the first that loads; calls already running on the CPU copy finish there. When none loads,
 * the CPU keeps serving and the trace says why (`to: null`).
 */
export function warmInBackground(
  server: ModelServer<LoadedModel>,
  later: ChainRequest,
  from: string,
): void {
  const start = performance.now();
  runChain(later).then(
    ({ loaded, entry, attempts }) => {
      server.handOver(loaded, entry, {
        from,
        to: entry.backend.id,
        reason: `warm start: ${entry.backend.id} ready after ${Math.round(since(start))} ms`,
        at: new Date().toISOString(),
        attempts,
      });
    },
    (error: unknown) => {
      const attempts: readonly Attempt[] =
        (error as { attempts?: Attempt[] } | undefined)?.attempts ?? [];
      const code = NpuFirstError.isInstance(error) ? error.code : undefined;
      server.recordHandover({
        from,
        to: null,
        reason: `warm start: no accelerator took over, ${from} keeps serving: ${messageOf(error)}`,
        ...(code ? { code } : {}),
        at: new Date().toISOString(),
        attempts,
      });
    },
  );
}
