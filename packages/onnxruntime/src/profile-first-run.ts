import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  allocate,
  type DeviceInfo,
  type DType,
  type ModelDescriptor,
  messageOf,
} from '@npu-first/core';
import type { InferenceSession } from 'onnxruntime-node';
import { openOrtSession } from './create-session.js';
import { loadOrt, type Ort } from './load-ort.js';
import { cleanOrtMessage } from './ort-errors.js';
import { OrtGraphModel } from './ort-graph-model.js';

/** What profiling the first inference of a session gave. */
export type FirstRunProfile =
  /** The events ORT wrote (its Chrome-trace JSON array), parsed but not interpreted. */
  | { readonly ok: true; readonly events: readonly unknown[] }
  /** Why no profile could be taken (an input that cannot be zero-filled, a failed run…). */
  | { readonly ok: false; readonly reason: string };

/** A model whose first inference ran with ORT profiling on. */
export interface ProfiledOrtModel {
  readonly model: OrtGraphModel;
  readonly profile: FirstRunProfile;
}

/**
 * Opens a session with ORT profiling on, runs one inference with zero-filled inputs
 * (symbolic dimensions as 1), ends profiling and reads the profile file back. ORT only
 * profiles until `endProfiling()`, so later runs cost nothing extra. The profile's node
 * events carry `args.provider`, which says where each node really ran — the way to see
 * the nodes an execution provider silently left to the CPU.
 *
 * A failure to profile is returned as `{ ok: false, reason }`, never thrown: the model is
 * still usable. Session-creation errors are thrown typed, as by `createOrtModel`.
 */
export async function createProfiledOrtModel(
  backendId: string,
  model: ModelDescriptor,
  sessionOptions: InferenceSession.SessionOptions,
  device: DeviceInfo,
  signal?: AbortSignal,
): Promise<ProfiledOrtModel> {
  const ort = await loadOrt();
  const dir = await mkdtemp(join(tmpdir(), 'npu-first-profile-'));
  try {
    const session = await openOrtSession(
      ort,
      backendId,
      model,
      { ...sessionOptions, enableProfiling: true, profileFilePrefix: join(dir, 'ort') },
      signal,
    );
    const profile = await profileOneRun(ort, session, dir);
    return { model: new OrtGraphModel(ort, session, backendId, model.name, device), profile };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function profileOneRun(
  ort: Ort,
  session: InferenceSession,
  dir: string,
): Promise<FirstRunProfile> {
  let failure: string | undefined;
  const feeds = zeroFeeds(ort, session);
  if (typeof feeds === 'string') failure = feeds;
  else {
    try {
      await session.run(feeds);
    } catch (error) {
      failure = `the profiling run with zero-filled inputs failed: ${cleanOrtMessage(error)}`;
    }
  }
  try {
    session.endProfiling();
  } catch (error) {
    return { ok: false, reason: `endProfiling failed: ${cleanOrtMessage(error)}` };
  }
  if (failure) return { ok: false, reason: failure };
  try {
    const file = (await readdir(dir)).find((f) => f.endsWith('.json'));
    if (!file) return { ok: false, reason: 'ONNX Runtime wrote no profile file' };
    const events: unknown = JSON.parse(await readFile(join(dir, file), 'utf8'));
    if (!Array.isArray(events)) return { ok: false, reason: 'the profile is not a JSON array' };
    return { ok: true, events };
  } catch (error) {
    return { ok: false, reason: `cannot read the profile: ${messageOf(error)}` };
  }
}

/** Zero-filled feeds for every input (symbolic dims → 1), or why none can be made. */
function zeroFeeds(
  ort: Ort,
  session: InferenceSession,
): Record<string, InstanceType<Ort['Tensor']>> | string {
  const feeds: Record<string, InstanceType<Ort['Tensor']>> = {};
  for (const meta of session.inputMetadata) {
    if (!meta.isTensor) return `input "${meta.name}" is not a tensor`;
    const dims = meta.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : 1));
    const count = dims.reduce((n, d) => n * d, 1);
    try {
      feeds[meta.name] =
        meta.type === 'string'
          ? new ort.Tensor('string', new Array<string>(count).fill(''), dims)
          : new ort.Tensor(
              meta.type as 'float32',
              allocate(meta.type as DType, count) as never,
              dims,
            );
    } catch (error) {
      return `input "${meta.name}" (${meta.type}) cannot be zero-filled: ${messageOf(error)}`;
    }
  }
  return feeds;
}
