import { EmbeddingUnsupportedError } from '../errors/errors.js';
import type { Placement } from '../placement/placement.js';
import { failoverStream } from '../serving/failover-stream.js';
import {
  ModelServer,
  type ServingEvent,
  type ServingListener,
  type ServingPlan,
} from '../serving/serving-model.js';
import type { DeviceInfo, GraphModel, LoadedModel, RunOptions } from '../spec/backend.js';
import type { Feeds, Tensor, TensorInfo } from '../spec/tensor.js';
import type {
  EmbeddingResult,
  EmbedOptions,
  GenerateOptions,
  GenerationInput,
  GenerationResult,
  GenerationStream,
  TextGenerator,
} from '../spec/text-generation.js';

/** The server behind each placed model, for the runtime's warm start (not public API). */
const servers = new WeakMap<object, ModelServer<LoadedModel>>();

export function serverOf(model: PlacedModel): ModelServer<LoadedModel> {
  return servers.get(model) as ModelServer<LoadedModel>;
}

/**
 * What every placed model has: the server that runs it on one backend at a time and moves it
 * when that backend fails, its placement, the events, and dispose.
 */
abstract class Placed<M extends LoadedModel> implements AsyncDisposable {
  /** Internal: the runtime's serving layer (`protected` rather than `#` so subclasses reach it without a lookup per call). */
  protected readonly serving: ModelServer<M>;

  constructor(inner: M, placement: Placement, plan?: ServingPlan) {
    this.serving = new ModelServer(inner, placement, plan);
    servers.set(this, this.serving as unknown as ModelServer<LoadedModel>);
  }

  /** Where the model runs now, and every move it made while serving. */
  get placement(): Placement {
    return this.serving.placement;
  }

  get device(): DeviceInfo {
    return this.serving.model.device;
  }

  /**
   * `failover`: the model moved to another backend after a failure (`to: null`: none could
   * take it). `handover`: warm start settled — the accelerator took over, or why not.
   * Returns a function that removes the listener.
   */
  on(event: ServingEvent, listener: ServingListener): () => void {
    return this.serving.on(event, listener);
  }

  /** Frees the model (after the calls in flight). Idempotent; later calls throw `MODEL_DISPOSED`. */
  dispose(): Promise<void> {
    return this.serving.dispose();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }
}

/**
 * A loaded graph model with its placement. It forwards to the serving model — core's lifecycle
 * around the backend's session, which checks options and feeds — and, when loaded through the
 * runtime, adds failover (see docs/failover.md).
 */
export class PlacedGraphModel extends Placed<GraphModel> implements GraphModel {
  readonly task = 'graph' as const;

  get inputs(): readonly TensorInfo[] {
    return this.serving.model.inputs;
  }

  get outputs(): readonly TensorInfo[] {
    return this.serving.model.outputs;
  }

  /** Runs on the serving backend; an engine or device failure fails over (docs/failover.md). */
  run(feeds: Feeds, options?: RunOptions): Promise<Record<string, Tensor>> {
    // Options and feeds are checked by the serving model (core's lifecycle).
    return this.serving.call((model) => model.run(feeds, options), { bounded: true });
  }
}

/** A loaded language model with its placement; forwards to the serving backend's generator. */
export class PlacedTextGenerator extends Placed<TextGenerator> implements TextGenerator {
  readonly task = 'text-generation' as const;

  get contextSize(): number {
    return this.serving.model.contextSize;
  }

  /** A generation that fails on the engine restarts from its input on the next backend. */
  generate(input: GenerationInput, options?: GenerateOptions): Promise<GenerationResult> {
    return this.serving.call((model) => model.generate(input, options));
  }

  /**
   * A failure before the first chunk restarts on the next backend unseen; after it, the stream
   * ends with `STREAM_INTERRUPTED` (the model has failed over; call again).
   */
  stream(input: GenerationInput, options?: GenerateOptions): GenerationStream {
    return failoverStream(this.serving, input, options);
  }

  /**
   * The embedding of each text, on the serving backend; an engine failure fails over as a
   * generation does. `EMBEDDING_UNSUPPORTED` when that backend cannot embed (no failover).
   */
  embed(input: string | readonly string[], options?: EmbedOptions): Promise<EmbeddingResult> {
    return this.serving.call((model) =>
      model.embed
        ? model.embed(input, options)
        : Promise.reject(
            new EmbeddingUnsupportedError(this.placement.backend, 'its model has no embed()'),
          ),
    );
  }
}

/** Any loaded model with its placement; narrow with `model.task`. */
export type PlacedModel = PlacedGraphModel | PlacedTextGenerator;

export function placeModel(
  inner: LoadedModel,
  placement: Placement,
  plan?: ServingPlan,
): PlacedModel {
  return inner.task === 'graph'
    ? new PlacedGraphModel(inner, placement, plan)
    : new PlacedTextGenerator(inner, placement, plan);
}
