import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

interface Assertion {
  readonly fullName: string;
  readonly status: string;
  readonly failureMessages: readonly string[];
}
interface Report {
  readonly testResults: readonly {
    readonly name: string;
    readonly assertionResults: readonly Assertion[];
  }[];
}

const here = dirname(fileURLToPath(import.meta.url));
let report: Report;

/**
 * The suite run, in a child vitest, on deliberately broken backends (`__fixtures__/reports`):
 * what a plugin author sees in the report is each case failing by name with what happened.
 */
beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'npu-first-conformance-report-'));
  const out = join(dir, 'report.json');
  const vitest = join(
    dirname(createRequire(import.meta.url).resolve('vitest/package.json')),
    'vitest.mjs',
  );
  const config = join(here, '__fixtures__/reports/vitest.config.ts');
  // The broken suites fail by design: the exit status is not the point, the report is.
  await promisify(execFile)(
    process.execPath,
    [vitest, 'run', '--config', config, '--reporter=json', `--outputFile=${out}`],
    {
      cwd: join(here, '../..'),
    },
  ).catch(() => undefined);
  report = JSON.parse(await readFile(out, 'utf8')) as Report;
  await rm(dir, { recursive: true, force: true });
}, 120_000);

/** The cases of one suite file, by name without the describe path, with their first failure line. */
function casesOf(
  file: string,
  backendId: string,
): Map<string, { status: string; message: string }> {
  const result = report.testResults.find((r) => r.name.endsWith(file));
  expect(result, `${file} in the report`).toBeDefined();
  const prefix = `backend conformance: ${backendId} `;
  return new Map(
    (result?.assertionResults ?? [])
      .filter((a) => a.fullName.startsWith(prefix))
      .map((a) => [
        a.fullName.slice(prefix.length),
        { status: a.status, message: (a.failureMessages[0] ?? '').split('\n')[0] ?? '' },
      ]),
  );
}

describe('a backend whose probe() throws or hangs', () => {
  for (const [id, what] of [
    ['npu-probe-throws', 'TypeError: no driver answered'],
    ['npu-probe-hangs', 'CallTimeoutError: probe() did not settle within 200 ms'],
  ] as const) {
    it(`${id}: fails the probe cases and the inference cases by name, saying what happened`, () => {
      const cases = casesOf('probe-fails.suite.ts', id);
      expect(
        cases.get(
          'spec and probe contract declares spec v2 (or v1), a well-formed id, a device kind, formats and tasks',
        )?.status,
      ).toBe('passed');
      for (const name of [
        'spec and probe contract probe() reports availability, devices, and a reason when unavailable',
        'spec and probe contract probe() gives the same answer when asked again',
        'runs the inference cases',
      ]) {
        expect(cases.get(name)?.status, name).toBe('failed');
        expect(cases.get(name)?.message, name).toContain(`threw ${what}`);
      }
    });
  }
});

describe('a backend whose accepts() and load() throw', () => {
  it('fails each case that calls them, naming the call and what it threw; the rest pass', () => {
    const cases = casesOf('calls-throw.suite.ts', 'cpu-static-shapes-fixture');
    expect(cases.get('fixture mlp loads and reports the declared inputs and outputs')).toEqual({
      status: 'failed',
      message: 'Error: load(mlp) threw RangeError: engine exploded',
    });
    expect(
      cases.get(
        'accepts() answers every model of its formats with a verdict, within 10000 ms, never throwing',
      ),
    ).toEqual({
      status: 'failed',
      message: 'AssertionError: accepts(mlp) must not throw, it threw TypeError: accepts exploded',
    });
    expect(cases.get('reports a truncated model file as MODEL_CORRUPT')?.message).toBe(
      'AssertionError: expected MODEL_CORRUPT, got RangeError: engine exploded',
    );
    // The cases that do not call them still run and pass.
    expect(
      cases.get('checkOptions() refuses an unknown key with INVALID_OPTION naming it')?.status,
    ).toBe('passed');
    expect(
      cases.get('spec and probe contract probe() gives the same answer when asked again')?.status,
    ).toBe('passed');
  });
});

describe('a backend that throws the wrong error', () => {
  it('fails only that case, and the message shows what it threw', () => {
    const cases = casesOf('wrong-code.suite.ts', 'cpu-static-shapes-fixture');
    const failed = [...cases].filter(([, c]) => c.status !== 'passed');
    expect(failed).toEqual([
      [
        'reports a truncated model file as MODEL_CORRUPT',
        {
          status: 'failed',
          message:
            'AssertionError: expected MODEL_CORRUPT, got TypeError: cannot parse truncated.onnx',
        },
      ],
    ]);
    expect(cases.size).toBeGreaterThan(20);
  });
});
