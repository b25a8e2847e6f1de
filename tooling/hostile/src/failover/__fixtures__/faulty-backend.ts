import {
  type Backend,
  type BackendV1,
  type DeviceKind,
  type Feeds,
  type GenerateOptions,
  type GenerationInput,
  type GenerationResult,
  type GenerationStream,
  type GraphModel,
  isBackendV2,
  type LoadedModel,
  openLifecycle,
  RunFailedError,
  type TextGenerator,
} from '@npu-first/core';

/**
 * FIXTURE, not an engine: wraps a real backend (the ONNX Runtime or llama.cpp CPU backend) under
 * another id and device kind, and injects the faults a device shows while serving — a lost
 * device, a hung run, a slow or failing load, a generation that dies after K chunks. Every
 * answer that is not a fault comes from the real engine underneath. The fixture is a v1 backend
 * whatever the base: a v2 base's session is opened in core's lifecycle first.
 */
export interface Faults {
  /** Per engine `run()` (n counts this backend's runs from 1): fail, hang, or run for real. */
  readonly run?: (n: number) => 'fail' | 'hang' | undefined;
  /** Held before `load()` returns (a slow accelerator compiling its graph). */
  readonly loadGate?: Promise<void>;
  /** Makes `load()` fail with this message. */
  readonly loadFails?: string;
  /** Held before each real run starts, so a test can keep runs in flight. */
  readonly runGate?: () => Promise<void>;
  /** Generations fail with "device lost" after this many chunks (0: before the first). */
  readonly failAfterChunks?: number;
  /** Told of every engine run: the feeds object it got and how it ended. */
  readonly onRun?: (feeds: Feeds, backend: string, outcome: 'ok' | 'failed') => void;
}

export interface FixtureStats {
  runs: number;
  /** `dispose()` of a copy while runs were still inside it (must stay 0). */
  disposedWhileRunning: number;
  disposed: number;
  loads: number;
}

export function faultyBackend(
  base: Backend,
  id: string,
  deviceKind: DeviceKind,
  faults: Faults = {},
): BackendV1 & { stats: FixtureStats } {
  const stats: FixtureStats = { runs: 0, disposedWhileRunning: 0, disposed: 0, loads: 0 };
  const lost = () => new RunFailedError(id, 'device lost (injected by the fixture)');
  return {
    ...base,
    specificationVersion: 'v1',
    id,
    deviceKind,
    displayName: `${id} (fixture around ${base.id})`,
    stats,
    async load(model, context) {
      await faults.loadGate;
      if (faults.loadFails) throw new Error(faults.loadFails);
      const inner: LoadedModel = isBackendV2(base)
        ? openLifecycle(await base.load(model, context), { name: model.name, backendId: base.id })
        : await base.load(model, context);
      stats.loads++;
      if (inner.task === 'graph') return wrapGraph(inner);
      return wrapGenerator(inner);
    },
  };

  function wrapGraph(inner: GraphModel): GraphModel {
    let inFlight = 0;
    return {
      task: 'graph',
      inputs: inner.inputs,
      outputs: inner.outputs,
      device: { ...inner.device, name: `${id} device` },
      async run(feeds, options) {
        const n = ++stats.runs;
        const fault = faults.run?.(n);
        if (fault === 'hang') return new Promise(() => {});
        inFlight++;
        try {
          await faults.runGate?.();
          if (fault === 'fail') throw lost();
          const out = await inner.run(feeds, options);
          faults.onRun?.(feeds, id, 'ok');
          return out;
        } catch (error) {
          faults.onRun?.(feeds, id, 'failed');
          throw error;
        } finally {
          inFlight--;
        }
      },
      async dispose() {
        if (inFlight > 0) stats.disposedWhileRunning++;
        stats.disposed++;
        await inner.dispose();
      },
      [Symbol.asyncDispose]() {
        return this.dispose();
      },
    };
  }

  function wrapGenerator(inner: TextGenerator): TextGenerator {
    const k = faults.failAfterChunks;
    /** The real stream, cut after `k` chunks with a device-lost error. */
    async function* cut(input: GenerationInput, options?: GenerateOptions) {
      const real = inner.stream(input, options);
      real.result.catch(() => {});
      let n = 0;
      for await (const chunk of real) {
        if (k !== undefined && n >= k) throw lost(); // leaving the loop stops the real generation
        n++;
        yield chunk;
      }
      if (k !== undefined && n <= k) throw lost();
      return real.result;
    }
    return {
      task: 'text-generation',
      contextSize: inner.contextSize,
      device: { ...inner.device, name: `${id} device` },
      async generate(input, options) {
        const it = cut(input, options);
        for (;;) {
          const next = await it.next();
          if (next.done) return next.value as GenerationResult;
        }
      },
      stream(input, options): GenerationStream {
        const it = cut(input, options);
        let settle!: { resolve: (r: GenerationResult) => void; reject: (e: unknown) => void };
        const result = new Promise<GenerationResult>((resolve, reject) => {
          settle = { resolve, reject };
        });
        result.catch(() => {});
        return {
          result,
          [Symbol.asyncIterator]: () => ({
            async next() {
              try {
                const next = await it.next();
                if (next.done) {
                  settle.resolve(next.value as GenerationResult);
                  return { value: undefined, done: true };
                }
                return next;
              } catch (error) {
                settle.reject(error);
                throw error;
              }
            },
            async return() {
              await it.return(undefined as never);
              return { value: undefined, done: true };
            },
          }),
        };
      },
      dispose: () => inner.dispose(),
      [Symbol.asyncDispose]: () => inner.dispose(),
    };
  }
}
