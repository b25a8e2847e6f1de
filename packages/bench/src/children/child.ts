/**
 * One measurement in a fresh process; prints one JSON line of figures. Every engine and
 * npu-first module is imported inside its mode, so the cold start counts what it should.
 * `performance.now()` counts from the process's start.
 */
const [mode = '', rawArgs = '{}'] = process.argv.slice(2);
const args = JSON.parse(rawArgs) as {
  model: string;
  threads?: number;
  runs?: number;
  probe?: 'eager' | 'lazy';
  root?: string;
  maxTokens?: number;
};

const maxRssKiB = () => process.resourceUsage().maxRSS;

async function main(): Promise<Record<string, number>> {
  switch (mode) {
    case 'ort-raw':
      return ortRaw();
    case 'ort-runtime':
      return ortRuntime();
    case 'llama-raw':
      return llamaRaw();
    case 'llama-runtime':
      return llamaRuntime();
    case 'discovery':
      return discovery();
    default:
      throw new Error(`unknown mode ${mode}`);
  }
}

/** A minimal raw script: import onnxruntime-node, open a session, run. */
async function ortRaw(): Promise<Record<string, number>> {
  const started = performance.now();
  const ort = (await import('onnxruntime-node')).default;
  const { benchFeeds } = await import('../feeds.js');
  const imported = performance.now();
  const session = await ort.InferenceSession.create(args.model, {
    executionProviders: ['cpu'],
    logSeverityLevel: 3,
    ...(args.threads !== undefined ? { intraOpNumThreads: args.threads } : {}),
  });
  const inputs = session.inputMetadata.map((m) => ({
    name: m.name,
    type: (m.isTensor ? m.type : 'unknown') as 'float32',
    shape: m.isTensor ? m.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : 'n')) : null,
  }));
  const feeds = Object.fromEntries(
    Object.entries(benchFeeds(inputs)).map(([k, t]) => [
      k,
      new ort.Tensor(t.type as 'float32', t.data as Float32Array, t.dims),
    ]),
  );
  const loaded = performance.now();
  await session.run(feeds);
  const firstResultMs = performance.now();
  for (let i = 1; i < (args.runs ?? 1); i++) await session.run(feeds);
  return {
    firstResultMs,
    maxRssKiB: maxRssKiB(),
    'phase:node start-up': started,
    'phase:import onnxruntime-node': imported - started,
    'phase:create session': loaded - imported,
    'phase:first run': firstResultMs - loaded,
  };
}

/** The same through npu-first: discover backends, load through the chain, run. */
async function ortRuntime(): Promise<Record<string, number>> {
  const started = performance.now();
  const { createRuntime } = await import('@npu-first/core');
  const { benchFeeds } = await import('../feeds.js');
  const imported = performance.now();
  const runtime = await createRuntime({
    roots: [args.root ?? process.cwd()],
    probe: args.probe ?? 'eager',
    env: {},
  });
  const created = performance.now();
  const model = await runtime.load(args.model, {
    task: 'graph',
    ...(args.threads !== undefined ? { threads: args.threads } : {}),
  });
  const loaded = performance.now();
  const feeds = benchFeeds(model.inputs);
  await model.run(feeds);
  const firstResultMs = performance.now();
  for (let i = 1; i < (args.runs ?? 1); i++) await model.run(feeds);
  return {
    firstResultMs,
    maxRssKiB: maxRssKiB(),
    'phase:node start-up': started,
    'phase:import @npu-first/core': imported - started,
    'phase:createRuntime()': created - imported,
    'phase:load() (imports onnxruntime-node)': loaded - created,
    'phase:first run': firstResultMs - loaded,
  };
}

const PROMPT = 'The NPU is';

async function llamaRaw(): Promise<Record<string, number>> {
  const { loadRawLlama } = await import('../raw-llama.js');
  const { nlc, model } = await loadRawLlama(args.model);
  const context = await model.createContext({
    contextSize: Math.min(4096, model.trainContextSize),
    sequences: 1,
    ...(args.threads !== undefined ? { threads: args.threads } : {}),
  });
  const sequence = context.getSequence();
  const completion = new nlc.LlamaCompletion({ contextSequence: sequence });
  await completion.generateCompletion(PROMPT, {
    maxTokens: args.maxTokens ?? 32,
    temperature: 0,
    disableContextShift: true,
  });
  return { firstResultMs: performance.now(), maxRssKiB: maxRssKiB() };
}

async function llamaRuntime(): Promise<Record<string, number>> {
  const { createRuntime } = await import('@npu-first/core');
  const runtime = await createRuntime({
    roots: [args.root ?? process.cwd()],
    probe: args.probe ?? 'lazy',
    env: {},
  });
  const llm = await runtime.load(args.model, {
    task: 'text-generation',
    ...(args.threads !== undefined ? { threads: args.threads } : {}),
  });
  await llm.generate(PROMPT, { maxTokens: args.maxTokens ?? 32 });
  return { firstResultMs: performance.now(), maxRssKiB: maxRssKiB() };
}

/** Discovery + probing of every installed backend, in a fresh process, then again warm. */
async function discovery(): Promise<Record<string, number>> {
  const { createRuntime } = await import('@npu-first/core');
  const root = args.root ?? process.cwd();
  const t0 = performance.now();
  const cold = await createRuntime({ roots: [root], env: {} });
  const discoveredMs = performance.now() - t0;
  const reports = await cold.backends();
  const coldMs = performance.now() - t0;
  const t1 = performance.now();
  const warm = await createRuntime({ roots: [root], env: {} });
  await warm.backends();
  const warmMs = performance.now() - t1;
  const figures: Record<string, number> = {
    coldMs,
    discoveredMs,
    warmMs,
    backends: reports.length,
  };
  for (const r of reports) figures[`probe:${r.id}`] = r.probeMs;
  return figures;
}

main().then(
  (figures) => {
    process.stdout.write(`${JSON.stringify(figures)}\n`);
    process.exit(0);
  },
  (error: unknown) => {
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
