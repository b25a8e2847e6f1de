/**
 * A third-party plugin written against the published v1 API only (core's index): its models
 * carry their own lifecycle, as v1 asks. Real computation in JavaScript: `y = x + 1`,
 * `z = 2x`, and a language model that counts "1 2 3 …" one token a chunk.
 */
import {
  type BackendV1,
  checkGenerateOptions,
  checkGenerationInput,
  type Feeds,
  type GenerateOptions,
  GenerationAbortedError,
  type GenerationInput,
  type GenerationResult,
  type GenerationStream,
  type GraphModel,
  InvalidOptionError,
  ModelDisposedError,
  type RunOptions,
  type Tensor,
  type TextGenerator,
  tensor,
  validateFeeds,
} from '../../index.js';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

function graphModel(): GraphModel {
  const inputs = [{ name: 'x', type: 'float32' as const, shape: ['batch', 3] }];
  const outputs = [
    { name: 'y', type: 'float32' as const, shape: ['batch', 3] },
    { name: 'z', type: 'float32' as const, shape: ['batch', 3] },
  ];
  let disposed = false;
  const model: GraphModel = {
    task: 'graph',
    inputs,
    outputs,
    device: { name: 'JavaScript (v1)' },
    placementNote: 'all of it in JavaScript',
    async run(feeds: Feeds, options?: RunOptions) {
      if (disposed) throw new ModelDisposedError('v1 model');
      validateFeeds(inputs, feeds);
      for (const name of options?.outputs ?? [])
        if (!outputs.some((o) => o.name === name))
          throw new InvalidOptionError('outputs', `"${name}" is not an output`);
      await tick();
      const x = feeds.x as Tensor<'float32'>;
      const want = options?.outputs ?? ['y', 'z'];
      const out: Record<string, Tensor> = {};
      if (want.includes('y'))
        out.y = tensor(
          'float32',
          x.data.map((v) => v + 1),
          [...x.dims],
        );
      if (want.includes('z'))
        out.z = tensor(
          'float32',
          x.data.map((v) => v * 2),
          [...x.dims],
        );
      return out;
    },
    async dispose() {
      disposed = true;
    },
    [Symbol.asyncDispose]: () => model.dispose(),
  };
  return model;
}

function textGenerator(): TextGenerator {
  let disposed = false;
  const run = async (
    input: GenerationInput,
    options: GenerateOptions,
    onChunk?: (chunk: string) => void,
  ): Promise<GenerationResult> => {
    if (disposed) throw new ModelDisposedError('v1 model');
    checkGenerationInput(input);
    const checked = checkGenerateOptions(options, 64);
    let text = '';
    let n = 0;
    while (n < checked.maxTokens) {
      await tick();
      if (checked.signal?.aborted) throw new GenerationAbortedError(text, n);
      const token = `${n === 0 ? '' : ' '}${n + 1}`;
      text += token;
      n++;
      onChunk?.(token);
    }
    const stats = {
      promptTokens: 7,
      generatedTokens: n,
      timeToFirstTokenMs: 0,
      tokensPerSecond: 0,
      totalMs: 0,
      stopReason: 'max-tokens' as const,
    };
    return { text, stats };
  };
  const generator: TextGenerator = {
    task: 'text-generation',
    device: { name: 'JavaScript (v1)' },
    contextSize: 64,
    generate: (input, options = {}) => run(input, options),
    stream(input, options = {}): GenerationStream {
      const chunks: string[] = [];
      const result = run(input, options, (c) => chunks.push(c));
      result.catch(() => {});
      return {
        result,
        async *[Symbol.asyncIterator]() {
          await result;
          yield* chunks;
        },
      };
    },
    async dispose() {
      disposed = true;
    },
    [Symbol.asyncDispose]: () => generator.dispose(),
  };
  return generator;
}

/** The plugin's backend; `log` counts what it was asked. */
export function v1Backend(log = { probes: 0, checks: 0 }): BackendV1 {
  return {
    specificationVersion: 'v1',
    id: 'cpu-js-v1',
    deviceKind: 'cpu',
    displayName: 'JavaScript (v1 plugin)',
    priority: 3,
    formats: ['onnx', 'gguf'],
    tasks: ['graph', 'text-generation'],
    precision: 'fp32',
    async probe() {
      log.probes++;
      return { available: true, devices: [{ name: 'JavaScript (v1)' }] };
    },
    checkOptions(options) {
      log.checks++;
      if (Object.keys(options).length > 0) throw new InvalidOptionError('x', 'takes none');
    },
    async load(model) {
      return model.format === 'onnx' ? graphModel() : textGenerator();
    },
  };
}
