import type { Attempt, ServingMove } from '../placement/placement.js';
import { type ErrorCode, hasCode, NpuFirstError } from './base.js';

/** The model path does not exist. */
export class ModelNotFoundError extends NpuFirstError {
  static override isInstance = hasCode<ModelNotFoundError>('MODEL_NOT_FOUND');
  constructor(readonly path: string) {
    super('MODEL_NOT_FOUND', `Model file not found: ${path}`);
  }
  override details() {
    return { path: this.path };
  }
}

/** The model exists but cannot be read (a directory, no permission, an I/O error). */
export class ModelUnreadableError extends NpuFirstError {
  static override isInstance = hasCode<ModelUnreadableError>('MODEL_UNREADABLE');
  constructor(
    readonly path: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super('MODEL_UNREADABLE', `Cannot read model ${path}: ${reason}`, options);
  }
  override details() {
    return { path: this.path, reason: this.reason };
  }
}

/** The bytes claim a format but do not hold a valid model of it (truncated, damaged). */
export class CorruptModelError extends NpuFirstError {
  static override isInstance = hasCode<CorruptModelError>('MODEL_CORRUPT');
  /** Filled in by the chain when every backend that tried reported the model corrupt. */
  attempts: Attempt[] | undefined;
  constructor(
    readonly model: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super('MODEL_CORRUPT', `Model ${model} is corrupt: ${reason}`, options);
  }
  override details() {
    return { model: this.model, reason: this.reason, attempts: this.attempts };
  }
}

/** The bytes are not a model format npu-first knows (ONNX, GGUF). */
export class UnsupportedFormatError extends NpuFirstError {
  static override isInstance = hasCode<UnsupportedFormatError>('MODEL_FORMAT_UNSUPPORTED');
  constructor(
    readonly model: string,
    readonly reason: string,
  ) {
    super('MODEL_FORMAT_UNSUPPORTED', `Unsupported model format for ${model}: ${reason}`);
  }
  override details() {
    return { model: this.model, reason: this.reason };
  }
}

/**
 * Thrown by a backend's `load()` (or returned from `accepts()`) when it cannot take this
 * model — an operator, a shape, a size. The chain records a `rejected` attempt and moves on.
 */
export class ModelRejectedError extends NpuFirstError {
  static override isInstance = hasCode<ModelRejectedError>('MODEL_REJECTED');
  constructor(
    readonly backend: string,
    readonly reason: string,
  ) {
    super('MODEL_REJECTED', `${backend} cannot take this model: ${reason}`);
  }
  override details() {
    return { backend: this.backend, reason: this.reason };
  }
}

/** `run()` or another call on a model after `dispose()`. */
export class ModelDisposedError extends NpuFirstError {
  static override isInstance = hasCode<ModelDisposedError>('MODEL_DISPOSED');
  constructor(readonly model: string) {
    super('MODEL_DISPOSED', `Model ${model} has been disposed; load it again to use it`);
  }
  override details() {
    return { model: this.model };
  }
}

/** A feed does not match what the model declares. `input` names the offending input. */
export class InvalidInputError extends NpuFirstError {
  static override isInstance = hasCode<InvalidInputError>('INVALID_INPUT');
  constructor(
    readonly input: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super('INVALID_INPUT', `Input "${input}": expected ${expected}, got ${actual}`);
  }
  override details() {
    return { input: this.input, expected: this.expected, actual: this.actual };
  }
}

/** An option (API, CLI flag or environment variable) is unknown or has a bad value. */
export class InvalidOptionError extends NpuFirstError {
  static override isInstance = hasCode<InvalidOptionError>('INVALID_OPTION');
  constructor(
    readonly option: string,
    readonly reason: string,
  ) {
    super('INVALID_OPTION', `Invalid option ${option}: ${reason}`);
  }
  override details() {
    return { option: this.option, reason: this.reason };
  }
}

/** The engine package a backend needs (onnxruntime-node, node-llama-cpp…) is not installed. */
export class EngineMissingError extends NpuFirstError {
  static override isInstance = hasCode<EngineMissingError>('ENGINE_MISSING');
  constructor(
    readonly engine: string,
    readonly install: string,
    options?: { cause?: unknown },
  ) {
    super('ENGINE_MISSING', `${engine} is not installed: ${install}`, options);
  }
  override details() {
    return { engine: this.engine, install: this.install };
  }
}

/** A backend was asked for directly but its probe says it cannot run here. */
export class BackendUnavailableError extends NpuFirstError {
  static override isInstance = hasCode<BackendUnavailableError>('BACKEND_UNAVAILABLE');
  constructor(
    readonly backend: string,
    readonly reason: string,
  ) {
    super('BACKEND_UNAVAILABLE', `Backend ${backend} is unavailable: ${reason}`);
  }
  override details() {
    return { backend: this.backend, reason: this.reason };
  }
}

/** A backend's engine failed to create a session for a model it accepted. */
export class BackendLoadError extends NpuFirstError {
  static override isInstance = hasCode<BackendLoadError>('BACKEND_LOAD_FAILED');
  constructor(
    readonly backend: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super('BACKEND_LOAD_FAILED', `${backend} failed to load the model: ${reason}`, options);
  }
  override details() {
    return { backend: this.backend, reason: this.reason };
  }
}

/** No backend in the chain could serve the model; `attempts` says why for each. */
export class AllBackendsFailedError extends NpuFirstError {
  static override isInstance = hasCode<AllBackendsFailedError>('ALL_BACKENDS_FAILED');
  constructor(
    readonly model: string,
    readonly attempts: Attempt[],
  ) {
    const lines = attempts.map(
      (a) => `  - ${a.backend ?? `(${a.deviceKind} tier)`}: ${a.outcome} — ${a.reason}`,
    );
    const body = attempts.length > 0 ? `\n${lines.join('\n')}` : ' (no backend is installed)';
    super('ALL_BACKENDS_FAILED', `No backend could load ${model}:${body}`);
  }
  override details() {
    return { model: this.model, attempts: this.attempts };
  }
}

/** The engine failed during an inference that passed validation. */
export class RunFailedError extends NpuFirstError {
  static override isInstance = hasCode<RunFailedError>('RUN_FAILED');
  constructor(
    readonly backend: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super('RUN_FAILED', `Inference on ${backend} failed: ${reason}`, options);
  }
  override details() {
    return { backend: this.backend, reason: this.reason };
  }
}

/**
 * The prompt and the tokens asked for do not fit in the model's context; for `embed()`, one
 * text (`input`, e.g. `input[2]`) is too long for it (`maxTokens` 0).
 */
export class ContextOverflowError extends NpuFirstError {
  static override isInstance = hasCode<ContextOverflowError>('CONTEXT_OVERFLOW');
  readonly input: string | undefined;
  constructor(
    readonly promptTokens: number,
    readonly maxTokens: number,
    readonly contextSize: number,
    options: { input?: string } = {},
  ) {
    super(
      'CONTEXT_OVERFLOW',
      options.input === undefined
        ? `The prompt (${promptTokens} tokens) plus maxTokens (${maxTokens}) exceeds the context of ${contextSize} tokens: shorten the prompt, lower maxTokens, or load with a larger contextSize`
        : `${options.input} (${promptTokens} tokens) does not fit the context of ${contextSize} tokens: shorten it, or load with a larger contextSize`,
    );
    this.input = options.input;
  }
  override details() {
    return {
      promptTokens: this.promptTokens,
      maxTokens: this.maxTokens,
      contextSize: this.contextSize,
      ...(this.input !== undefined ? { input: this.input } : {}),
    };
  }
}

/**
 * `embed()` on a model whose backend cannot compute embeddings (its engine session has none).
 * The caller's to handle, like a bad input: another backend is not tried.
 */
export class EmbeddingUnsupportedError extends NpuFirstError {
  static override isInstance = hasCode<EmbeddingUnsupportedError>('EMBEDDING_UNSUPPORTED');
  constructor(
    readonly backend: string,
    readonly reason: string,
  ) {
    super('EMBEDDING_UNSUPPORTED', `${backend} cannot compute embeddings: ${reason}`);
  }
  override details() {
    return { backend: this.backend, reason: this.reason };
  }
}

/** A generation stopped by its `AbortSignal`. `text` holds what was generated before. */
export class GenerationAbortedError extends NpuFirstError {
  static override isInstance = hasCode<GenerationAbortedError>('GENERATION_ABORTED');
  constructor(
    readonly text: string,
    readonly generatedTokens: number,
    options?: { cause?: unknown },
  ) {
    super('GENERATION_ABORTED', `Generation was aborted after ${generatedTokens} tokens`, options);
  }
  override details() {
    return { text: this.text, generatedTokens: this.generatedTokens };
  }
}

/**
 * A `stream()` whose backend failed after some chunks had been delivered. Chunks cannot be
 * taken back, so the stream ends with this error instead of restarting behind the reader's
 * back; the model has failed over (`failover`), and calling `stream()` or `generate()` again
 * restarts the generation from its input on the backend that serves now.
 */
export class StreamInterruptedError extends NpuFirstError {
  static override isInstance = hasCode<StreamInterruptedError>('STREAM_INTERRUPTED');
  constructor(
    readonly backend: string,
    /** The text delivered before the failure: a fragment, never a complete result. */
    readonly partialText: string,
    /** The move the failure caused (`to: null` when no other backend could take the model). */
    readonly failover: ServingMove | null,
    options?: { cause?: unknown },
  ) {
    const now = failover?.to
      ? `; the model now runs on ${failover.to}: call again to restart from the input`
      : '';
    super(
      'STREAM_INTERRUPTED',
      `The stream failed on ${backend} after ${partialText.length} characters had been delivered (${messageOfCause(options?.cause)})${now}`,
      options,
    );
  }
  override details() {
    return { backend: this.backend, partialText: this.partialText, failover: this.failover };
  }
}

function messageOfCause(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

/** Fetching a model the user asked for by URL or hub reference failed. */
export class ModelDownloadError extends NpuFirstError {
  static override isInstance = hasCode<ModelDownloadError>('MODEL_DOWNLOAD_FAILED');
  constructor(
    readonly uri: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super('MODEL_DOWNLOAD_FAILED', `Could not download ${uri}: ${reason}`, options);
  }
  override details() {
    return { uri: this.uri, reason: this.reason };
  }
}

/** An installed backend package could not be imported or does not match the spec. */
export class PluginError extends NpuFirstError {
  static override isInstance = hasCode<PluginError>('PLUGIN_INVALID');
  constructor(
    readonly plugin: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super('PLUGIN_INVALID', `Backend package ${plugin} is unusable: ${reason}`, options);
  }
  override details() {
    return { plugin: this.plugin, reason: this.reason };
  }
}

/** A bounded step (probe, load) did not finish in time. */
export class TimeoutError extends NpuFirstError {
  static override isInstance = hasCode<TimeoutError>('TIMEOUT');
  constructor(
    readonly operation: string,
    readonly ms: number,
  ) {
    super('TIMEOUT', `${operation} did not finish within ${ms} ms`);
  }
  override details() {
    return { operation: this.operation, ms: this.ms };
  }
}

/**
 * The process an isolated model ran in (`load(model, { isolate: true })`) died: a native
 * engine aborted or crashed on the model. This process is unaffected; the model is lost.
 */
export class EngineCrashedError extends NpuFirstError {
  static override isInstance = hasCode<EngineCrashedError>('ENGINE_CRASHED');
  /** Set on a load: every step of the chain, the crashed backends as `failed` attempts. */
  attempts: Attempt[] | undefined;
  constructor(
    /** The backend at work when it died; `null` when it died before reaching one. */
    readonly backend: string | null,
    readonly during: 'load' | 'run' | 'generate' | 'embed',
    /** How the process ended: a signal name (`SIGABRT`, `SIGSEGV`, `SIGKILL`) or `exit code N`. */
    readonly exit: string,
    /** The last line the process printed on stderr, often the engine's assertion. */
    readonly lastOutput?: string,
  ) {
    const doing = {
      load: 'loading',
      run: 'running',
      generate: 'generating with',
      embed: 'embedding with',
    }[during];
    const who = backend ? ` while ${backend} was ${doing} the model` : ` while ${doing} the model`;
    const said = lastOutput ? ` (its last output: ${lastOutput})` : '';
    const advice =
      during === 'load'
        ? 'The engine cannot take this model (probably malformed or unsupported): check the file, or leave that backend out with a policy'
        : 'Load the model again to go on; if it happens again with these inputs, the engine cannot run them';
    super(
      'ENGINE_CRASHED',
      `The isolated model process died (${exit})${who}${said}; this process is unaffected. ${advice}.`,
    );
  }
  override details() {
    return {
      backend: this.backend,
      during: this.during,
      exit: this.exit,
      ...(this.lastOutput ? { lastOutput: this.lastOutput } : {}),
      ...(this.attempts ? { attempts: this.attempts } : {}),
    };
  }
}

export type { ErrorCode };
