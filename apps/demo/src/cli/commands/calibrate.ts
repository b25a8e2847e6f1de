import { resolve } from 'node:path';
import { type Feeds, InvalidOptionError, inspectModel, type PlacedModel } from '@npu-first/core';
import { calibrateIntraOpThreads } from '@npu-first/onnxruntime';
import pc from 'picocolors';
import { buildFeeds, parseAssignments, parseDims } from '../inputs.js';
import { type Io, printJson } from '../output.js';
import { cliRuntime } from '../runtime.js';

export interface CalibrateCommandOptions {
  readonly input?: string[];
  readonly dim?: string[];
  readonly candidates?: string;
  readonly json?: boolean;
}

/**
 * `npu-first calibrate <model>`: for an ONNX model, times it on the CPU at each intra-op
 * thread count with the given (or random) inputs, stores the fastest in the tuning cache and
 * shows that a load now picks it up; for any model, times every backend that can serve it
 * (measured selection, measured afresh) and stores the verdicts that later loads follow.
 */
export async function calibrateCommand(
  io: Io,
  modelPath: string,
  options: CalibrateCommandOptions,
): Promise<number> {
  const specs = parseAssignments(options.input, '--input');
  const dims = parseDims(options.dim);
  const candidates = parseCandidates(options.candidates);
  const path = resolve(modelPath);
  if ((await inspectModel(path)).format === 'gguf') {
    const devices = await measureDevices(path, {});
    if (options.json) printJson(io, { model: path, devices: devicesJson(devices) });
    else {
      io.out(`${pc.bold('Model')}      ${modelPath}`);
      for (const line of formatDevices(devices)) io.out(line);
    }
    return 0;
  }
  io.err(
    pc.dim(
      `Timing ${modelPath} on the CPU at ${candidates ? candidates.join(', ') : 'each count from 1 to the cores'} intra-op threads…`,
    ),
  );
  let sources: Record<string, string> = {};
  let feeds: Feeds = {};
  const result = await calibrateIntraOpThreads(path, {
    feeds: async (inputs) => {
      const built = await buildFeeds(inputs, specs, dims);
      sources = Object.fromEntries(
        Object.entries(built.reports).map(([name, r]) => [name, r.source]),
      );
      feeds = built.feeds;
      return built.feeds;
    },
    ...(candidates ? { candidates } : {}),
  });
  // What a load on ONNX Runtime's CPU EP now chooses (it reads the tuning cache).
  const runtime = await cliRuntime();
  const model = await runtime.load(path, { task: 'graph', policy: 'cpu-onnxruntime' });
  const threads = model.placement.details?.threads;
  await model.dispose();
  const loadNow = { threads: threads?.count, from: threads?.why };
  const devices = await measureDevices(path, feeds);
  const medians = Object.fromEntries(
    Object.entries(result.medians).map(([t, ms]) => [t, Math.round(ms * 1000) / 1000]),
  );
  if (options.json) {
    printJson(io, {
      model: path,
      inputs: sources,
      ...result,
      medians,
      loadNow,
      devices: devicesJson(devices),
    });
    return 0;
  }
  const fastest = Math.min(...Object.values(result.medians));
  io.out(`${pc.bold('Model')}      ${modelPath}`);
  io.out(pc.bold('Median ms per run'));
  for (const [threads, ms] of Object.entries(result.medians)) {
    const mark = Number(threads) === result.threads ? pc.green('  ← chosen') : '';
    io.out(
      `  ${threads.padStart(3)} thread${threads === '1' ? ' ' : 's'}  ${ms.toFixed(3).padStart(10)}  ${((ms / fastest) * 100).toFixed(0).padStart(4)} %${mark}`,
    );
  }
  io.out(
    pc.dim(
      '  (the fewest threads within 2 % of the fastest, so the rest of the machine stays free)',
    ),
  );
  if (result.cached) {
    io.out(`${pc.bold('Stored')}     ${result.cachePath}`);
  } else {
    io.out(
      `${pc.bold('Not stored')} ${result.cacheError ?? 'the tuning cache is off (NPU_FIRST_TUNING_CACHE)'}`,
    );
  }
  io.out(
    `${pc.bold('Loads now')}  ${loadNow.threads} intra-op threads (from the ${loadNow.from}) on this machine; --threads overrides`,
  );
  for (const line of formatDevices(devices)) io.out(line);
  return 0;
}

/**
 * Times every backend measured selection would compare for this model, afresh (`refresh`), on
 * the calibration's inputs; the runtime stores the verdicts in the placement cache.
 */
async function measureDevices(path: string, feeds: Feeds): Promise<PlacedModel> {
  const runtime = await cliRuntime();
  const trial = { refresh: true, ...(Object.keys(feeds).length > 0 ? { feeds } : {}) };
  const model = await runtime.load(path, { trial });
  await model.dispose();
  return model;
}

function devicesJson(model: PlacedModel) {
  const { backend, selection, attempts } = model.placement;
  return {
    selected: backend,
    selection,
    candidates: attempts
      .filter((a) => a.measurement)
      .map(({ backend, deviceKind, outcome, measurement }) => ({
        backend,
        deviceKind,
        outcome,
        measurement,
      })),
  };
}

/** The backends timed against each other, and where later loads go. */
function formatDevices(model: PlacedModel): string[] {
  const { backend, selection, attempts } = model.placement;
  const timed = attempts.filter((a) => a.measurement);
  if (timed.length === 0) {
    return [
      `${pc.bold('Devices')}    only ${backend} can serve this model here: nothing to compare`,
    ];
  }
  const lines = [`${pc.bold('Devices')}    timed on ${selection.inputs}:`];
  for (const a of timed) {
    const mark = a.outcome === 'selected' ? pc.green('  ← loads go here') : '';
    lines.push(`  ${(a.backend ?? '').padEnd(26)} ${a.reason}${mark}`);
  }
  const stored = selection.notes?.find((n) => n.startsWith('placement cache'));
  lines.push(
    stored
      ? `${pc.bold('Not stored')} ${stored}`
      : pc.dim('  (verdicts stored in the placement cache; NPU_FIRST_PLACEMENT_CACHE moves it)'),
  );
  return lines;
}

function parseCandidates(value: string | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  const list = value.split(',').map((s) => Number(s.trim()));
  if (list.length === 0 || !list.every((n) => Number.isInteger(n) && n >= 1)) {
    throw new InvalidOptionError(
      '--candidates',
      `expected thread counts such as "1,2,4", got "${value}"`,
    );
  }
  return list;
}
