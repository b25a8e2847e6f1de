import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allocate, type DType, type Feeds, type ModelDescriptor, messageOf } from '@npu-first/core';
import type { InferenceSession } from 'onnxruntime-node';
import { openOrtSession } from './create-session.js';
import { loadOrt } from './load-ort.js';
import { cleanOrtMessage } from './ort-errors.js';
import { OrtGraphSession } from './ort-graph-session.js';

/** What profiling the first inference of a session gave. */
export type FirstRunProfile =
  /** The events ORT wrote (its Chrome-trace JSON array), parsed but not interpreted. */
  | { readonly ok: true; readonly events: readonly unknown[] }
  /** Why no profile could be taken (an input that cannot be zero-filled, a failed run…). */
  | { readonly ok: false; readonly reason: string };

/** An ORT engine session whose first inference ran with profiling on. */
export interface ProfiledOrtSession {
  readonly session: OrtGraphSession;
  readonly profile: FirstRunProfile;
}

/**
 * Opens an ORT session with profiling on, runs one inference with zero-filled inputs (open
 * dimensions as 1) through the engine session, ends profiling and reads the profile back. ORT
 * profiles only until `endProfiling()`, so later runs cost nothing extra. The profile's node
 * events carry `args.provider`: where each node really ran, including the nodes an execution
 * provider silently left to the CPU.
 *
 * The session is a spec v2 `GraphSession`: the backend returns it from `load()` (with its own
 * device and details) and core's lifecycle owns it from there.
 *
 * A failure to profile is returned as `{ ok: false, reason }`, never thrown: the session is
 * still usable. Session-creation errors are thrown typed, as by `openOrtSession`.
 */
export async function loadProfiledOrtSession(
  backendId: string,
  model: ModelDescriptor,
  sessionOptions: InferenceSession.SessionOptions,
  signal?: AbortSignal,
): Promise<ProfiledOrtSession> {
  const ort = await loadOrt();
  const dir = await mkdtemp(join(tmpdir(), 'npu-first-profile-'));
  try {
    const raw = await openOrtSession(
      ort,
      backendId,
      model,
      { ...sessionOptions, enableProfiling: true, profileFilePrefix: join(dir, 'ort') },
      signal,
    );
    const session = new OrtGraphSession(ort, raw, backendId);
    return { session, profile: await profileOneRun(session, raw, dir) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function profileOneRun(
  session: OrtGraphSession,
  raw: InferenceSession,
  dir: string,
): Promise<FirstRunProfile> {
  let failure: string | undefined;
  const feeds = zeroFeeds(session);
  if (typeof feeds === 'string') failure = feeds;
  else {
    try {
      const outputs = session.outputs.map((o) => o.name);
      await session.run(feeds, outputs, session.prepare(feeds));
    } catch (error) {
      failure = `the profiling run with zero-filled inputs failed: ${cleanOrtMessage(error)}`;
    }
  }
  try {
    raw.endProfiling();
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

/** Zero-filled feeds for every input (open dims → 1), or why none can be made. */
function zeroFeeds(session: OrtGraphSession): Feeds | string {
  const feeds: Record<string, Feeds[string]> = {};
  for (const input of session.inputs) {
    if (input.type === 'unknown')
      return `input "${input.name}" is not a tensor of a type npu-first can zero-fill`;
    const dims = (input.shape ?? []).map((d) => (typeof d === 'number' && d >= 0 ? d : 1));
    const count = dims.reduce((n, d) => n * d, 1);
    try {
      feeds[input.name] =
        input.type === 'string'
          ? { type: 'string', data: new Array<string>(count).fill(''), dims }
          : ({
              type: input.type,
              data: allocate(input.type as DType, count) as never,
              dims,
            } as never);
    } catch (error) {
      return `input "${input.name}" (${input.type}) cannot be zero-filled: ${messageOf(error)}`;
    }
  }
  return feeds;
}
