import { ModelDisposedError } from '../errors/errors.js';
import type { DeviceInfo, GraphModel, RunOptions } from '../spec/backend.js';
import type { GraphSession, PlacementDetails } from '../spec/backend-v2.js';
import type { Feeds, Tensor, TensorInfo } from '../spec/tensor.js';
import { checkRunOptions } from '../validation/check-run-options.js';
import { validateFeeds } from '../validation/validate-feeds.js';
import { FeedsSnapshot } from './feeds-snapshot.js';
import { type LifecycleOptions, noteOf, typedRunError } from './lifecycle-options.js';
import { SerialQueue } from './serial-queue.js';

/**
 * The graph model a user holds, over an engine's `GraphSession`. It checks run options and
 * feeds (a loop passing the same tensors again is validated and prepared once), asks the
 * session for the outputs wanted (all by default), counts runs in flight, and disposes once:
 * later runs throw `ModelDisposedError`, and the session is released only after the runs in
 * flight have settled. Runs are queued when the backend declares no concurrent runs.
 */
export class GraphLifecycle<Prepared = unknown> implements GraphModel {
  readonly task = 'graph' as const;
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  readonly device: DeviceInfo;
  /** What the backend reported at load, for `model.placement.details`. */
  readonly details: PlacementDetails | undefined;
  readonly placementNote: string | undefined;
  readonly #session: GraphSession<Prepared>;
  readonly #name: string;
  readonly #backendId: string;
  readonly #allOutputs: readonly string[];
  readonly #queue: SerialQueue | undefined;
  #last: FeedsSnapshot<Prepared> | undefined;
  #inFlight = 0;
  #drained: (() => void) | undefined;
  #disposing: Promise<void> | undefined;

  constructor(session: GraphSession<Prepared>, device: DeviceInfo, options: LifecycleOptions) {
    this.#session = session;
    this.inputs = session.inputs;
    this.outputs = session.outputs;
    this.device = device;
    this.details = options.details;
    this.placementNote = noteOf(options.details);
    this.#name = options.name;
    this.#backendId = options.backendId;
    this.#allOutputs = Object.freeze(session.outputs.map((o) => o.name));
    this.#queue = options.capabilities?.concurrentRuns === false ? new SerialQueue() : undefined;
  }

  // Not `async`: on the hot path every promise layer shows (Silero VAD runs in ~0.12 ms), so
  // checks reject synchronously-built promises and the engine's promise is chained once.
  run(feeds: Feeds, options?: RunOptions): Promise<Record<string, Tensor>> {
    if (this.#disposing) return Promise.reject(new ModelDisposedError(this.#name));
    let prepared: Prepared;
    try {
      checkRunOptions(options, this.outputs);
      prepared = this.#prepare(feeds);
    } catch (error) {
      return Promise.reject(error);
    }
    // A copy: the caller may change its array while the run is queued.
    const names = options?.outputs ? [...options.outputs] : this.#allOutputs;
    this.#inFlight++;
    let running: Promise<Record<string, Tensor>>;
    try {
      const call = () => this.#session.run(feeds, names, prepared);
      running = this.#queue ? this.#queue.run(call) : call();
    } catch (error) {
      running = Promise.reject(error);
    }
    return running.then(
      (outputs) => {
        this.#settled();
        return outputs;
      },
      (error: unknown) => {
        this.#settled();
        throw typedRunError(this.#backendId, error);
      },
    );
  }

  #settled(): void {
    if (--this.#inFlight === 0) this.#drained?.();
  }

  /** Validates and prepares feeds, or reuses what the same unchanged feeds gave last time. */
  #prepare(feeds: Feeds): Prepared {
    const last = this.#last;
    if (last?.matches(feeds)) return last.prepared;
    validateFeeds(this.inputs, feeds);
    let prepared: Prepared;
    try {
      prepared = this.#session.prepare ? this.#session.prepare(feeds) : (undefined as Prepared);
    } catch (error) {
      throw typedRunError(this.#backendId, error);
    }
    this.#last = new FeedsSnapshot(feeds, prepared);
    return prepared;
  }

  dispose(): Promise<void> {
    this.#disposing ??= (async () => {
      if (this.#inFlight > 0) await new Promise<void>((resolve) => (this.#drained = resolve));
      this.#last = undefined;
      await this.#session.release();
    })();
    return this.#disposing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }
}
