import type { BackendV1, GraphModel, LoadedModel } from './backend.js';
import { sharedMembers } from './backend-identity.js';
import {
  type BackendV2,
  type GenerationSession,
  type GraphSession,
  type LoadedSession,
  SPECIFICATION_VERSION_V2,
} from './backend-v2.js';
import type { GenerateOptions, TextGenerator } from './text-generation.js';

/** Any backend core can drive; the same as `Backend`. */
export type AnyBackend = BackendV1 | BackendV2;

export function isBackendV2(backend: AnyBackend): backend is BackendV2 {
  return backend.specificationVersion === SPECIFICATION_VERSION_V2;
}

/**
 * A v1 backend as v2, so the runtime can treat every backend alike: its loaded model becomes
 * the engine session core's lifecycle wraps, and its `placementNote` becomes `details.note`.
 * The v1 model keeps its own lifecycle inside: feeds and options are checked twice (once by
 * core, once by the model — one extra `validateFeeds` per new set of feeds), and dispose is
 * counted twice; both are cheap beside an inference, and the price of v1 plugins working unchanged.
 */
export function adaptV1(backend: BackendV1): BackendV2 {
  return {
    ...sharedMembers(backend),
    specificationVersion: SPECIFICATION_VERSION_V2,
    // The v1 spec requires models to allow concurrent runs.
    capabilities: { concurrentRuns: true },
    load: async (model, context) => sessionOf(await backend.load(model, context)),
  };
}

/** A v1 loaded model as a v2 loaded session. */
export function sessionOf(loaded: LoadedModel): LoadedSession {
  const details =
    loaded.task === 'graph' && loaded.placementNote ? { note: loaded.placementNote } : undefined;
  const base = { device: loaded.device, ...(details ? { details } : {}) };
  return loaded.task === 'graph'
    ? { task: 'graph', session: graphSessionOf(loaded), ...base }
    : { task: 'text-generation', session: generationSessionOf(loaded), ...base };
}

function graphSessionOf(model: GraphModel): GraphSession {
  const all = model.outputs.map((o) => o.name);
  return {
    inputs: model.inputs,
    outputs: model.outputs,
    // All outputs: no option, so the v1 model takes its default path.
    run: (feeds, outputNames) =>
      sameNames(outputNames, all) ? model.run(feeds) : model.run(feeds, { outputs: outputNames }),
    release: () => model.dispose(),
  };
}

function generationSessionOf(generator: TextGenerator): GenerationSession {
  const { embed } = generator;
  return {
    contextSize: generator.contextSize,
    // No countPromptTokens: a v1 generator refuses an overflow itself.
    async generate(request, onChunk, signal) {
      const { maxTokens, temperature, topP, seed, stop } = request.options;
      const options: GenerateOptions = {
        maxTokens,
        temperature,
        stop,
        signal,
        ...(topP !== undefined ? { topP } : {}),
        ...(seed !== undefined ? { seed } : {}),
      };
      const stream = generator.stream(request.input, options);
      for await (const chunk of stream) onChunk(chunk);
      const { text, stats } = await stream.result;
      return {
        text,
        promptTokens: stats.promptTokens,
        generatedTokens: stats.generatedTokens,
        stopReason: stats.stopReason,
        timeToFirstTokenMs: stats.timeToFirstTokenMs,
      };
    },
    // A v1 generator that has `embed` keeps it; without, core refuses with EMBEDDING_UNSUPPORTED.
    ...(embed
      ? {
          embed: async (texts: readonly string[], signal: AbortSignal) => {
            const result = await embed.call(generator, texts, { signal });
            return { vectors: [...result.vectors], promptTokens: result.promptTokens };
          },
        }
      : {}),
    release: () => generator.dispose(),
  };
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i]);
}
