import type { BackendEntry } from '../chain/backend-entry.js';
import { type ChainRequest, checkBackend, loadOn } from '../chain/fallback-chain.js';
import { NpuFirstError } from '../errors/base.js';
import {
  type Attempt,
  detailsOf,
  type Placement,
  type ServingMove,
} from '../placement/placement.js';
import type { LoadedModel } from '../spec/backend.js';
import { messageOf, withTimeout } from '../util/timeout.js';
import { isCallerError } from './caller-errors.js';
import type { CircuitBreaker } from './circuit-breaker.js';

/** A model placed anew after a failure, by other means than the chain's steps (an isolated model's fresh process). */
export interface Relocated<M> {
  readonly model: M;
  readonly placement: Placement;
}

/** What a model needs to move while serving: the chain that placed it and the runtime's breaker. */
export interface ServingPlan {
  /** The request `load()` built; failover walks its steps after the serving one, in order. */
  readonly request?: ChainRequest;
  /** The backend serving now. */
  readonly entry?: BackendEntry;
  /**
   * Instead of walking `request`'s steps: places the model again without the backend that
   * failed (`undefined`: nothing could take it). For isolated models, whose chain runs in the
   * child process; `movesOn` says which failures it handles (the child fails over the rest).
   */
  readonly relocate?: (from: string, error: unknown) => Promise<Relocated<LoadedModel> | undefined>;
  readonly movesOn?: (error: unknown) => boolean;
  readonly breaker: CircuitBreaker | undefined;
  /** `false`: failures surface as they are, the model never moves. */
  readonly failover: boolean;
  /** Bound on each `run()`; past it the call fails with `TIMEOUT` (and fails over). */
  readonly runTimeoutMs: number | undefined;
}

/** The events a placed model emits. */
export type ServingEvent = 'failover' | 'handover';
export type ServingListener = (move: ServingMove) => void;

/** One backend's copy of the model, with the calls running on it. */
export interface Slot<M> {
  readonly model: M;
  readonly entry: BackendEntry | undefined;
  /** Its index in the chain's steps (-1 when unknown: a model made without a plan). */
  readonly index: number;
  inFlight: number;
  retired: boolean;
  /** Where a relocated copy runs (a slot from the chain takes it from `entry`). */
  readonly placement?: Placement;
}

export interface CallOptions {
  /** Bound the call by the plan's `runTimeoutMs`. */
  readonly bounded?: boolean;
  /** Whether the failed call may be made again on the new backend (a stream that delivered chunks may not). */
  readonly mayRetry?: () => boolean;
  /** The error for a call that may not be retried, given the move its failure caused. */
  readonly interrupted?: (error: unknown, from: string, move: ServingMove | null) => Error;
}

/**
 * Serves a model from one backend at a time and moves it when that backend fails. A call that
 * fails with an engine or device error re-places the model on the next candidate of its chain
 * — concurrent failures share one move — and is made once more there. Calls that started on
 * the old backend finish there; its model is disposed once the last of them settles.
 */
export class ModelServer<M extends LoadedModel> {
  #slot: Slot<M>;
  #placement: Placement;
  #moving: Promise<Slot<M> | undefined> | undefined;
  #disposed = false;
  readonly #plan: ServingPlan | undefined;
  readonly #listeners = new Map<ServingEvent, Set<ServingListener>>();

  constructor(model: M, placement: Placement, plan?: ServingPlan) {
    this.#plan = plan;
    const index =
      plan?.request?.steps.findIndex((s) => s.type === 'backend' && s.entry === plan.entry) ?? -1;
    this.#slot = { model, entry: plan?.entry, index, inFlight: 0, retired: false };
    this.#placement = placement;
  }

  get model(): M {
    return this.#slot.model;
  }

  get placement(): Placement {
    return this.#placement;
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  on(event: ServingEvent, listener: ServingListener): () => void {
    const set = this.#listeners.get(event) ?? new Set<ServingListener>();
    this.#listeners.set(event, set);
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Runs `fn` on the serving model; on an engine failure, fails over and runs it again. */
  call<T>(fn: (model: M) => Promise<T>, options: CallOptions = {}): Promise<T> {
    const plan = this.#plan;
    const slot = this.#slot;
    if (options.bounded && plan?.runTimeoutMs !== undefined) {
      const attempt = this.#attempt(slot, fn, options);
      if (!plan.failover) return attempt;
      return attempt.catch((error: unknown) => this.#recover(slot, error, fn, options));
    }
    // The hot path (no per-run bound): one `then` releases the slot and, on a failure, fails
    // over — the runtime's whole cost per run over the engine's call.
    return this.#start(slot, fn).then(
      (value) => {
        this.#release(slot);
        return value;
      },
      (error: unknown) => {
        this.#release(slot);
        if (!plan?.failover) throw error;
        return this.#recover(slot, error, fn, options);
      },
    );
  }

  /** Counts the call on its slot and starts it; a synchronous throw becomes a rejection. */
  #start<T>(slot: Slot<M>, fn: (model: M) => Promise<T>): Promise<T> {
    slot.inFlight++;
    try {
      return fn(slot.model);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #attempt<T>(slot: Slot<M>, fn: (model: M) => Promise<T>, options: CallOptions): Promise<T> {
    const raw = this.#start(slot, fn);
    // The slot counts the engine's call until it really ends, not until a time-out gives up
    // on it: a session is never disposed under a run still inside the engine.
    const release = () => this.#release(slot);
    raw.then(release, release);
    const ms = options.bounded ? this.#plan?.runTimeoutMs : undefined;
    if (ms === undefined) return raw;
    const id = slot.entry?.backend.id ?? 'backend';
    return withTimeout(raw, ms, `${id} run()`);
  }

  async #recover<T>(
    failed: Slot<M>,
    error: unknown,
    fn: (model: M) => Promise<T>,
    options: CallOptions,
  ): Promise<T> {
    let from = failed;
    let failure = error;
    // Each move goes to a later step of the chain, so this ends; the bound is a guard.
    const movesOn = this.#plan?.movesOn ?? (() => true);
    for (let tries = 0; tries <= (this.#plan?.request?.steps.length ?? 1); tries++) {
      if (isCallerError(failure) || !movesOn(failure) || this.#disposed) throw failure;
      const next = await this.#moveFrom(from, failure);
      if (options.mayRetry && !options.mayRetry()) {
        const move = this.#placement.failovers?.at(-1) ?? null;
        throw options.interrupted?.(failure, from.entry?.backend.id ?? 'backend', move) ?? failure;
      }
      if (next === undefined) throw failure;
      try {
        return await this.#attempt(next, fn, options);
      } catch (again) {
        from = next;
        failure = again;
      }
    }
    throw failure;
  }

  /** The slot to go on with after `from` failed: one move per failure, shared by concurrent calls. */
  #moveFrom(from: Slot<M>, error: unknown): Promise<Slot<M> | undefined> {
    if (this.#slot !== from) return Promise.resolve(this.#slot);
    if (this.#moving) return this.#moving;
    const moving = this.#replace(from, error).finally(() => {
      this.#moving = undefined;
    });
    this.#moving = moving;
    return moving;
  }

  async #replace(from: Slot<M>, error: unknown): Promise<Slot<M> | undefined> {
    const plan = this.#plan as ServingPlan;
    const reason = messageOf(error);
    const code = NpuFirstError.isInstance(error) ? error.code : undefined;
    const fromId = from.entry?.backend.id ?? this.#placement.backend;
    plan.breaker?.record(fromId, reason);
    const attempts: Attempt[] = [];
    let next: Slot<M> | undefined;
    if (plan.relocate) {
      const moved = await plan.relocate(fromId, error).catch(() => undefined);
      if (moved) {
        attempts.push(...moved.placement.attempts);
        const { model, placement } = moved as Relocated<M>;
        next = { model, entry: undefined, index: -1, inFlight: 0, retired: false, placement };
      }
    }
    const steps = plan.request?.steps ?? [];
    for (let i = from.index + 1; i < steps.length && next === undefined; i++) {
      const step = steps[i];
      if (step?.type !== 'backend') continue;
      const loaded = await this.#loadAt(step.entry, attempts);
      if (loaded)
        next = { model: loaded, entry: step.entry, index: i, inFlight: 0, retired: false };
    }
    const move: ServingMove = {
      from: fromId,
      to: next?.entry?.backend.id ?? next?.placement?.backend ?? null,
      reason,
      ...(code ? { code } : {}),
      at: new Date().toISOString(),
      attempts,
    };
    if (next && this.#disposed) {
      await next.model.dispose().catch(() => {});
      next = undefined;
    }
    if (next) this.#switchTo(next);
    this.#placement = {
      ...this.#placement,
      failovers: [...(this.#placement.failovers ?? []), move],
    };
    this.#emit('failover', move);
    return next;
  }

  /** Loads the model on one candidate as the chain would, unless its circuit is open. */
  async #loadAt(entry: BackendEntry, attempts: Attempt[]): Promise<M | undefined> {
    const plan = this.#plan as ServingPlan & { request: ChainRequest };
    const { backend } = entry;
    const skip = plan.breaker?.skipReason(backend.id);
    if (skip) {
      attempts.push({
        backend: backend.id,
        deviceKind: backend.deviceKind,
        outcome: 'unavailable',
        reason: skip,
        ms: 0,
      });
      return undefined;
    }
    const checked = await checkBackend(entry, plan.request.model);
    if ('attempt' in checked) {
      attempts.push(checked.attempt);
      return undefined;
    }
    try {
      const tried = await loadOn(checked.eligible, plan.request);
      attempts.push(tried.attempt);
      return tried.loaded as M | undefined;
    } catch (error) {
      // `loadOn` rethrows only the caller's option errors, which load() already passed once.
      attempts.push({
        backend: backend.id,
        deviceKind: backend.deviceKind,
        outcome: 'failed',
        reason: messageOf(error),
        ms: 0,
      });
      return undefined;
    }
  }

  /**
   * Warm start: the accelerator is ready, so it takes over; calls running on the old copy
   * finish there.
   */
  handOver(model: M, entry: BackendEntry, move: ServingMove): void {
    if (this.#disposed) {
      void model.dispose().catch(() => {});
      return;
    }
    const index = this.#plan?.request?.steps.findIndex(
      (s) => s.type === 'backend' && s.entry === entry,
    );
    this.#switchTo({ model, entry, index: index ?? -1, inFlight: 0, retired: false });
    this.recordHandover(move);
  }

  /** Adds a warm-start record (a hand-over, or why none happened) and tells the listeners. */
  recordHandover(move: ServingMove): void {
    this.#placement = {
      ...this.#placement,
      handovers: [...(this.#placement.handovers ?? []), move],
    };
    this.#emit('handover', move);
  }

  #switchTo(next: Slot<M>): void {
    const old = this.#slot;
    this.#slot = next;
    const backend = next.entry?.backend;
    if (next.placement)
      this.#placement = {
        ...this.#placement,
        backend: next.placement.backend,
        deviceKind: next.placement.deviceKind,
        device: next.placement.device,
        details: next.placement.details ?? {},
      };
    else if (backend)
      this.#placement = {
        ...this.#placement,
        backend: backend.id,
        deviceKind: backend.deviceKind,
        device: next.model.device.name,
        details: detailsOf(next.model),
      };
    old.retired = true;
    if (old.inFlight === 0) void old.model.dispose().catch(() => {});
  }

  #release(slot: Slot<M>): void {
    slot.inFlight--;
    if (slot.retired && slot.inFlight === 0) void slot.model.dispose().catch(() => {});
  }

  #emit(event: ServingEvent, move: ServingMove): void {
    for (const listener of this.#listeners.get(event) ?? []) {
      try {
        listener(move);
      } catch {
        // A listener's bug must not fail the call that caused the move.
      }
    }
  }

  /** Disposes the serving copy now (later calls get `MODEL_DISPOSED`); retired copies follow their calls. */
  async dispose(): Promise<void> {
    this.#disposed = true;
    await this.#slot.model.dispose();
  }
}
