import { resolve } from 'node:path';
import { InvalidOptionError } from '@npu-first/core';
import { calibrateIntraOpThreads } from '@npu-first/onnxruntime';
import pc from 'picocolors';
import { buildFeeds, parseAssignments, parseDims } from '../inputs.js';
import { type Io, printJson } from '../output.js';
import { cliRuntime } from '../runtime.js';

export interface CalibrateCommandOptions {
  readonly input: string[];
  readonly dim: string[];
  readonly candidates?: string;
  readonly json?: boolean;
}

/**
 * `npu-first calibrate <model.onnx>`: times the model on the CPU at each intra-op thread
 * count with the given (or random) inputs, stores the fastest in the tuning cache, and
 * shows that a load now picks it up.
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
  io.err(
    pc.dim(
      `Timing ${modelPath} on the CPU at ${candidates ? candidates.join(', ') : 'each count from 1 to the cores'} intra-op threads…`,
    ),
  );
  let sources: Record<string, string> = {};
  const result = await calibrateIntraOpThreads(path, {
    feeds: async (inputs) => {
      const built = await buildFeeds(inputs, specs, dims);
      sources = built.sources;
      return built.feeds;
    },
    ...(candidates ? { candidates } : {}),
  });
  // What a load through the chain now chooses on the CPU (it reads the tuning cache).
  const runtime = await cliRuntime();
  const model = await runtime.load(path, { task: 'graph', policy: 'cpu-only' });
  const details = model.device.details ?? {};
  await model.dispose();
  const loadNow = { threads: details.intraOpThreads, from: details.threadsFrom };
  const medians = Object.fromEntries(
    Object.entries(result.medians).map(([t, ms]) => [t, Math.round(ms * 1000) / 1000]),
  );
  if (options.json) {
    printJson(io, { model: path, inputs: sources, ...result, medians, loadNow });
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
  return 0;
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
