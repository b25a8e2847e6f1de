import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { askEngine, probeChildPath, runProbeProcess } from './ask-engine.js';

/** Gone, or a zombie nobody reaped yet (PID 1 in a container may never reap). */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/\) Z /.test(stat);
  } catch {
    return false;
  }
}

const standIn = (name: string) => join(import.meta.dirname, '__fixtures__', name);
const ortQuestion = { engine: 'onnxruntime', ep: 'cpu' } as const;

describe('asking an engine in a probe process', () => {
  it('the real probe process answers for the real onnxruntime-node', async () => {
    // The build's entry (dist/engine-probe/probe-child.js): `test` runs after `build`.
    const started = await askEngine(ortQuestion);
    expect(started.answer).toEqual({ engine: 'onnxruntime', version: '1.30.0', status: 'started' });
    const absent = await askEngine({ engine: 'onnxruntime', ep: 'dml' });
    expect(absent.answer).toMatchObject({ status: 'no-provider', version: '1.30.0' });
    // Asked again in the same process: the same reply, without a new process.
    expect(await askEngine(ortQuestion)).toBe(started);
  });

  it('captures what the engine prints on fd 1 and 2, keeping what explains and dropping noise', async () => {
    const reply = await runProbeProcess(
      standIn('answers-noisily.mjs'),
      ortQuestion,
      process.env,
      5000,
    );
    expect(reply.answer).toEqual({ engine: 'onnxruntime', version: 'stand-in', status: 'started' });
    expect(reply.output).toEqual([
      'Warning: Vulkan shaderUniform*ArrayDynamicIndexing required. (While initializing adapter (backend=BackendType::Vulkan))',
    ]);
  });

  it('turns a crash into a reason with the last output, never a crash of the host', async () => {
    const reply = await runProbeProcess(standIn('crashes.mjs'), ortQuestion, process.env, 5000);
    expect(reply.answer).toBeUndefined();
    expect(reply.failure).toBe(
      "the engine's probe process died of SIGABRT before answering; its last output: ERROR: vkCreateDevice failed",
    );
  });

  it.runIf(process.platform === 'linux')(
    'kills a probe process that does not answer in time, and what it started',
    async () => {
      const reply = await runProbeProcess(standIn('hangs.mjs'), ortQuestion, process.env, 1500);
      expect(reply.failure).toMatch(
        /^the engine did not answer within 1\.5 s \(its probe process was killed\); its last output: grandchild \d+$/,
      );
      const pid = Number(/grandchild (\d+)/.exec(reply.failure ?? '')?.[1]);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(isRunning(pid)).toBe(false);
    },
  );

  it('says how to fix a missing probe script', async () => {
    const script = join(import.meta.dirname, 'missing.js');
    const reply = await runProbeProcess(script, ortQuestion, process.env, 1000);
    expect(reply.failure).toBe(
      `the engine probe script ${script} is missing (build @npu-first/backend-gpu)`,
    );
    expect(probeChildPath()).toMatch(/backend-gpu\/dist\/engine-probe\/probe-child\.js$/);
  });
});
