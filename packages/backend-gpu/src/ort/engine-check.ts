import { messageOf } from '@npu-first/core';
import { cleanOrtMessage, loadOrt } from '@npu-first/onnxruntime';
import { PROBE_MODEL } from './probe-model.js';

const checks = new Map<string, Promise<string | undefined>>();

/**
 * Asks onnxruntime-node to start one execution provider for real, on a 104-byte model and
 * with no CPU fallback. Resolves `undefined` when it started, else ONNX Runtime's reason.
 * Once per provider and process: the answer does not change while the process lives.
 */
export function checkExecutionProvider(
  ep: string,
  options: Record<string, unknown> = {},
): Promise<string | undefined> {
  const key = `${ep}:${JSON.stringify(options)}`;
  let check = checks.get(key);
  if (!check) {
    check = (async () => {
      const ort = await loadOrt();
      try {
        const session = await ort.InferenceSession.create(PROBE_MODEL, {
          executionProviders: [{ name: ep, ...options } as never],
          logSeverityLevel: 4,
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
