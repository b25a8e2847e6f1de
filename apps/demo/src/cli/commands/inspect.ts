import {
  type DryRun,
  type DryRunStep,
  FORMAT_TASKS,
  formatShape,
  messageOf,
  type TensorInfo,
} from '@npu-first/core';
import pc from 'picocolors';
import { type Io, printJson } from '../output.js';
import { cliRuntime } from '../runtime.js';
import { policyFrom } from './shared-options.js';

export interface InspectOptions {
  readonly policy?: string;
  readonly json?: boolean;
}

/** A model's inputs and outputs, and how they were read. */
interface Signature {
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  /** No ONNX parser is public yet, so the model is loaded once on a CPU backend to read them. */
  readonly readBy: string;
}

/**
 * `npu-first inspect <model>`: format, size, inputs and outputs with their symbolic dimensions,
 * and a dry run of the chain — which installed backends would take the model and why not.
 */
export async function inspectCommand(
  io: Io,
  modelPath: string,
  options: InspectOptions,
): Promise<number> {
  const runtime = await cliRuntime();
  const policy = policyFrom(options.policy);
  const dry = await runtime.dryRun(modelPath, policy !== undefined ? { policy } : {});
  const task = FORMAT_TASKS[dry.model.format];
  const signature =
    task === 'graph' ? await readSignature(runtime, modelPath) : { skipped: 'not a graph model' };
  if (options.json) {
    const { name, format, sizeBytes } = dry.model;
    printJson(io, {
      model: { name, path: dry.model.path, format, sizeBytes, task },
      ...('skipped' in signature
        ? { inputs: null, outputs: null, signatureNote: signature.skipped }
        : signature),
      policy: dry.policy,
      backends: dry.steps,
    });
    return 0;
  }
  const m = dry.model;
  io.out(
    `${pc.bold('Model')}      ${m.name} (${m.format}, ${(m.sizeBytes / 1024).toFixed(1)} KiB, ${task})`,
  );
  if ('skipped' in signature) io.out(`${pc.bold('Signature')}  ${pc.dim(signature.skipped)}`);
  else {
    io.out(`${pc.bold('Inputs')}     ${pc.dim(`(read by loading it on ${signature.readBy})`)}`);
    for (const info of signature.inputs) io.out(formatTensor(info));
    io.out(pc.bold('Outputs'));
    for (const info of signature.outputs) io.out(formatTensor(info));
  }
  for (const line of formatDryRun(dry)) io.out(line);
  return 0;
}

/**
 * Inputs and outputs of an ONNX model, loaded on the first CPU backend that takes it (unmeasured)
 * and disposed. A model no CPU backend loads still gets its dry run: the reason stands in.
 */
async function readSignature(
  runtime: Awaited<ReturnType<typeof cliRuntime>>,
  path: string,
): Promise<Signature | { skipped: string }> {
  try {
    const model = await runtime.load(path, {
      task: 'graph',
      policy: { order: ['cpu'], selection: 'first' },
    });
    try {
      return { inputs: model.inputs, outputs: model.outputs, readBy: model.placement.backend };
    } finally {
      await model.dispose();
    }
  } catch (error) {
    return { skipped: `no CPU backend could load it to read its inputs: ${messageOf(error)}` };
  }
}

/** `  x  float32 [batch, 3, 256, 256]  symbolic: batch`. */
function formatTensor(info: TensorInfo): string {
  const symbolic = (info.shape ?? []).flatMap((d, i) =>
    typeof d === 'number' ? [] : [d ?? `${info.name}[${i}] (unnamed)`],
  );
  const note = symbolic.length > 0 ? pc.dim(`  symbolic: ${symbolic.join(', ')}`) : '';
  return `  ${info.name}  ${info.type} ${formatShape(info.shape)}${note}`;
}

const VERDICT_COLOUR: Readonly<Record<DryRunStep['verdict'], (s: string) => string>> = {
  eligible: pc.green,
  rejected: pc.yellow,
  unavailable: pc.yellow,
  excluded: pc.dim,
};

/** The dry run, one line per step of the chain, in chain order. */
function formatDryRun(dry: DryRun): string[] {
  const lines = [`${pc.bold('Backends')}   policy ${dry.policy.text} (${dry.policy.source})`];
  const width = Math.max(7, ...dry.steps.map((s) => (s.backend ?? '—').length));
  dry.steps.forEach((s, i) => {
    const verdict = VERDICT_COLOUR[s.verdict](s.verdict.padEnd(11));
    lines.push(
      `  ${i + 1}. ${(s.deviceKind ?? '?').padEnd(3)}  ${(s.backend ?? '—').padEnd(width)}  ${verdict} ${s.reason}`,
    );
  });
  return lines;
}
