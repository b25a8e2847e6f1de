import { basename } from 'node:path';
import pc from 'picocolors';
import { formatInputs } from '../format-inputs.js';
import { formatPlacement } from '../format-placement.js';
import { buildFeeds, dimFlagError, parseAssignments, parseDims, trialOptions } from '../inputs.js';
import { whileLoading } from '../load-spinner.js';
import { parseOutputTargets, writeNpyOutputs } from '../npy-outputs.js';
import { type Io, printJson } from '../output.js';
import { cliRuntime } from '../runtime.js';
import { formatSummary, summarize } from '../summarize.js';
import { loadOptionsFrom, suggestCommand } from './shared-options.js';

export interface RunOptions {
  readonly input?: string[];
  readonly dim?: string[];
  readonly policy?: string;
  readonly threads?: string;
  readonly isolate?: boolean;
  readonly output?: string[];
  readonly json?: boolean;
}

/** `npu-first run <model>`: place the model through the chain, run it once, report. */
export async function runCommand(io: Io, modelPath: string, options: RunOptions): Promise<number> {
  const specs = parseAssignments(options.input, '--input');
  const dims = parseDims(options.dim);
  const loadOptions = loadOptionsFrom(options);
  const trial = await trialOptions(specs, dims);
  const runtime = await cliRuntime();
  const t0 = performance.now();
  const model = await whileLoading(
    io,
    `Loading ${basename(modelPath)}…`,
    runtime
      .load(modelPath, { ...loadOptions, task: 'graph', trial })
      .catch(dimFlagError)
      .catch(suggestCommand('GGUF', 'npu-first generate <model> --prompt …')),
    { json: options.json === true },
  );
  const loadMs = performance.now() - t0;
  try {
    const targets = parseOutputTargets(options.output, model.outputs);
    const { feeds, reports } = await buildFeeds(model.inputs, specs, dims, trial.feeds);
    const t1 = performance.now();
    const results = await model.run(feeds);
    const runMs = performance.now() - t1;
    const files = await writeNpyOutputs(results, targets);
    const outputs = Object.fromEntries(
      Object.entries(results).map(([name, t]) => [name, summarize(t)]),
    );
    const timings = { loadMs: round(loadMs), runMs: round(runMs) };
    if (options.json) {
      printJson(io, {
        model: model.placement.model,
        inputs: reports,
        outputs,
        placement: model.placement,
        device: model.device,
        timings,
        ...(targets.size > 0 ? { files } : {}),
      });
      return 0;
    }
    const m = model.placement.model;
    io.out(
      `${pc.bold('Model')}      ${m.name} (${m.format}, ${(m.sizeBytes / 1024).toFixed(1)} KiB)`,
    );
    for (const line of formatPlacement(model.placement)) io.out(line);
    io.out(`${pc.bold('Device')}     ${model.device.name}`);
    io.out(pc.bold('Inputs'));
    for (const line of formatInputs(reports)) io.out(line);
    io.out(pc.bold('Outputs'));
    for (const [name, s] of Object.entries(outputs)) io.out(formatSummary(name, s));
    io.out(`${pc.bold('Timings')}    load ${timings.loadMs} ms · run ${timings.runMs} ms`);
    for (const [name, path] of Object.entries(files))
      io.out(`${pc.bold('Wrote')}      ${name} → ${path}`);
    return 0;
  } finally {
    await model.dispose();
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
