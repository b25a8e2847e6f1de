/**
 * The process an isolated model lives in (`load(model, { isolate: true })`). The application
 * forks it, sends one `load`, then calls; if a native engine aborts or crashes here, only
 * this process dies. Built as its own entry point: dist/isolation/host-child.js.
 */
import { collectBackends } from '../discovery/collect-backends.js';
import { pluginFilter } from '../discovery/plugin-filter.js';
import { noteOf } from '../lifecycle/lifecycle-options.js';
import { createRuntime } from '../runtime/create-runtime.js';
import type { PlacedModel } from '../runtime/placed-model.js';
import type { Tensor } from '../spec/tensor.js';
import type { FromChild, LoadedInfo, ToChild } from './messages.js';
import { crashedStandIn, watched } from './watch-backends.js';
import { toWire } from './wire-error.js';

function send(message: FromChild): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

async function load(request: Extract<ToChild, { type: 'load' }>): Promise<PlacedModel> {
  const { runtime: options } = request;
  const env = options.env ?? process.env;
  // Discovery as the application's runtime does it, then each backend wrapped so that the
  // application hears which one is at work (and crashed ones replaced).
  const { collected } = await collectBackends({
    explicit: undefined,
    discover: true,
    roots: options.roots,
    excluded: pluginFilter(options.plugins, env),
    pluginTimeoutMs: options.pluginTimeoutMs ?? 10_000,
  });
  const announce = (backend: string, step: string) => send({ type: 'working-on', backend, step });
  const backends = collected.map(({ backend }) => {
    const crash = request.crashed.find((c) => c.backend === backend.id);
    return crash ? crashedStandIn(backend, crash) : watched(backend, announce);
  });
  const runtime = await createRuntime({
    backends,
    probe: 'lazy',
    ...(options.policy !== undefined ? { policy: options.policy } : {}),
    ...(options.probeTimeoutMs !== undefined ? { probeTimeoutMs: options.probeTimeoutMs } : {}),
    ...(options.loadTimeoutMs !== undefined ? { loadTimeoutMs: options.loadTimeoutMs } : {}),
    ...(options.env !== undefined ? { env: options.env } : {}),
  });
  return runtime.load(request.model, request.options);
}

function describe(model: PlacedModel): LoadedInfo {
  const details = model.placement.details ?? {};
  const note = noteOf(details);
  if (model.task === 'text-generation')
    return {
      task: model.task,
      device: model.device,
      contextSize: model.contextSize,
      details: model.placement.details ?? {},
      placement: model.placement,
    };
  return {
    task: model.task,
    inputs: model.inputs,
    outputs: model.outputs,
    device: model.device,
    ...(note !== undefined ? { placementNote: note } : {}),
    details,
    placement: model.placement,
  };
}

/**
 * Engines may return tensor objects whose `data` is a getter (onnxruntime's `Tensor`);
 * structured clone copies own fields only, so the tensors cross as plain objects.
 */
function plainTensors(outputs: Record<string, Tensor>): Record<string, Tensor> {
  const plain: Record<string, Tensor> = {};
  for (const [name, { type, data, dims }] of Object.entries(outputs)) {
    // A view into a larger buffer would send the whole buffer: send only its own bytes.
    const own = Array.isArray(data) || data.byteLength === data.buffer.byteLength;
    plain[name] = { type, data: own ? data : data.slice(), dims: [...dims] } as Tensor;
  }
  return plain;
}

let model: PlacedModel | undefined;
const aborts = new Map<number, AbortController>();
/** Streams in progress, to stop when the caller breaks out of its loop. */
const streams = new Map<number, AsyncIterator<string>>();

async function serve(message: Exclude<ToChild, { type: 'load' | 'abort' | 'stop' | 'dispose' }>) {
  const { id } = message;
  try {
    if (!model) throw new Error('no model is loaded in this process');
    let value: unknown;
    if (message.type === 'run') {
      if (model.task !== 'graph') throw new Error('run() on a language model');
      value = plainTensors(await model.run(message.feeds, message.options));
    } else {
      if (model.task !== 'text-generation') throw new Error(`${message.type}() on a graph model`);
      const controller = new AbortController();
      aborts.set(id, controller);
      if (message.aborted) controller.abort();
      const options = { ...message.options, signal: controller.signal };
      if (message.type === 'embed') {
        value = await model.embed(message.input, options);
      } else if (message.stream) {
        const stream = model.stream(message.input, options);
        const chunks = stream[Symbol.asyncIterator]();
        streams.set(id, chunks);
        for (let next = await chunks.next(); !next.done; next = await chunks.next())
          void send({ type: 'chunk', id, text: next.value });
        value = await stream.result;
      } else {
        value = await model.generate(message.input, options);
      }
    }
    await send({ type: 'result', id, value });
  } catch (error) {
    await send({ type: 'error', id, error: toWire(error) });
  } finally {
    aborts.delete(id);
    streams.delete(id);
  }
}

// The application went away (it exited, or crashed): nobody is left to serve.
process.on('disconnect', () => process.exit(0));
process.on('message', (message: ToChild) => {
  switch (message.type) {
    case 'load':
      load(message).then(
        (placed) => {
          model = placed;
          void send({ type: 'loaded', info: describe(placed) });
        },
        (error: unknown) => void send({ type: 'load-failed', error: toWire(error) }),
      );
      return;
    case 'abort':
      aborts.get(message.id)?.abort();
      return;
    case 'stop':
      void streams.get(message.id)?.return?.();
      return;
    case 'dispose':
      // Exit once the model is released: engines keep native threads that hold a process open.
      void (model?.dispose() ?? Promise.resolve()).finally(() => process.exit(0));
      return;
    default:
      void serve(message);
  }
});
