import { messageOf } from '@npu-first/core';
import { cleanOrtMessage, loadOrt } from '@npu-first/onnxruntime';
import { PROBE_MODEL } from './probe-model.js';

const checks = new Map<string, Promise<string | undefined>>();

/**
 * Asks onnxruntime-node, in this process, to start one execution provider for real, on a
 * 104-byte model and with no CPU fallback. Resolves `undefined` when it started, else ONNX
 * Runtime's reason. Once per provider and process: the answer does not change while the
 * process lives. The GPU probes ask it in a child process (`askEngine`), at `logSeverityLevel`
 * 2 so that the warnings saying why a provider failed (Dawn's among them) are printed there and
 * captured; the default, 4, keeps an in-process check quiet.
 */
export function checkExecutionProvider(
  ep: string,
  options: Readonly<Record<string, unknown>> = {},
  logSeverityLevel: 0 | 1 | 2 | 3 | 4 = 4,
): Promise<string | undefined> {
  const key = `${ep}:${JSON.stringify(options)}:${logSeverityLevel}`;
  let check = checks.get(key);
  if (!check) {
    check = (async () => {
      const ort = await loadOrt();
      try {
        const session = await ort.InferenceSession.create(PROBE_MODEL, {
          executionProviders: [{ name: ep, ...options } as never],
          logSeverityLevel,
        });
        await session.release();
        return undefined;
      } catch (error) {
        return cleanOrtMessage(error) || messageOf(error);
      }
    })();
    checks.set(key, check);
  }
  return check;
}
