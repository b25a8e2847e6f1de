import {
  inspectModel,
  type ModelDescriptor,
  type PlacedModel,
  type Runtime,
  type ServingMove,
} from '@npu-first/core';
import { ApiError } from './api-error.js';
import type { ServedModel } from './options.js';

/** What the server tells its metrics and log about a model's life. */
export interface SlotEvents {
  loading(name: string, sizeBytes: number): void;
  loaded(name: string, model: PlacedModel, ms: number): void;
  unloaded(name: string, why: 'idle' | 'close'): void;
  failover(name: string, move: ServingMove): void;
}

/** A request's hold on a model: `release()` once its answer is complete or abandoned. */
export interface Lease {
  readonly model: PlacedModel;
  release(): void;
}

/**
 * One configured model: loaded on first use (or at start), shared by every request, unloaded
 * after `idleUnloadMs` without requests. It admits at most `maxQueue` requests at a time —
 * running and waiting together; core runs a language model's generations one at a time and a
 * graph's runs concurrently — and answers the rest 429 with a `Retry-After` from the recent
 * time per request.
 */
export class ModelSlot {
  readonly name: string;
  readonly descriptor: ModelDescriptor;
  #loading: Promise<PlacedModel> | undefined;
  #model: PlacedModel | undefined;
  #admitted = 0;
  #idle: NodeJS.Timeout | undefined;
  /** Moving average of a request's time on the model, in ms, for `Retry-After`. */
  #avgMs = 1000;

  private constructor(
    readonly served: ServedModel,
    descriptor: ModelDescriptor,
    private readonly runtime: Runtime,
    private readonly limits: { readonly maxQueue: number; readonly idleUnloadMs: number },
    private readonly events: SlotEvents,
  ) {
    this.name = served.name;
    this.descriptor = descriptor;
  }

  /** Reads the model's header (a missing or foreign file fails here, at start). */
  static async open(
    served: ServedModel,
    runtime: Runtime,
    limits: { readonly maxQueue: number; readonly idleUnloadMs: number },
    events: SlotEvents,
  ): Promise<ModelSlot> {
    return new ModelSlot(served, await inspectModel(served.path), runtime, limits, events);
  }

  get task(): 'graph' | 'text-generation' {
    return this.descriptor.format === 'onnx' ? 'graph' : 'text-generation';
  }

  get loaded(): PlacedModel | undefined {
    return this.#model;
  }

  get admitted(): number {
    return this.#admitted;
  }

  /** Takes a place in the model's queue (or 429), loading the model if needed. */
  async acquire(): Promise<Lease> {
    if (this.#admitted >= this.limits.maxQueue) {
      const seconds = Math.max(1, Math.ceil((this.#avgMs * this.#admitted) / 1000));
      throw new ApiError(
        429,
        'rate_limit_error',
        `Model '${this.name}' has ${this.#admitted} requests running or waiting (the limit); retry after ${seconds} s`,
        'queue_full',
        null,
        { 'retry-after': String(seconds) },
      );
    }
    this.#admitted++;
    clearTimeout(this.#idle);
    const started = performance.now();
    let model: PlacedModel;
    try {
      model = await this.load();
    } catch (error) {
      this.#admitted--;
      throw error;
    }
    let released = false;
    return {
      model,
      release: () => {
        if (released) return;
        released = true;
        this.#admitted--;
        this.#avgMs = 0.8 * this.#avgMs + 0.2 * (performance.now() - started);
        this.#scheduleUnload();
      },
    };
  }

  /** The loaded model; concurrent first requests share one load, a failed load is retried by the next. */
  load(): Promise<PlacedModel> {
    if (this.#loading) return this.#loading;
    const t0 = performance.now();
    this.events.loading(this.name, this.descriptor.sizeBytes);
    const loading = this.runtime.load(this.served.path, this.served.load ?? {}).then(
      (model) => {
        this.#model = model;
        model.on('failover', (move) => this.events.failover(this.name, move));
        this.events.loaded(this.name, model, performance.now() - t0);
        return model;
      },
      (error: unknown) => {
        this.#loading = undefined;
        throw error;
      },
    );
    this.#loading = loading;
    return loading;
  }

  #scheduleUnload(): void {
    if (this.#admitted > 0 || this.limits.idleUnloadMs === 0 || !this.#model) return;
    clearTimeout(this.#idle);
    this.#idle = setTimeout(() => void this.unload('idle'), this.limits.idleUnloadMs);
    // An idle timer must not keep a closing process alive.
    this.#idle.unref();
  }

  /** Frees the model; the next request loads it again. Waits for the runs it is serving. */
  async unload(why: 'idle' | 'close'): Promise<void> {
    clearTimeout(this.#idle);
    if (why === 'idle' && this.#admitted > 0) return;
    // On close, a load still under way is waited for, so its model is freed too.
    const model =
      this.#model ?? (why === 'close' ? await this.#loading?.catch(() => undefined) : undefined);
    this.#model = undefined;
    this.#loading = undefined;
    if (!model) return;
    await model.dispose();
    this.events.unloaded(this.name, why);
  }
}
