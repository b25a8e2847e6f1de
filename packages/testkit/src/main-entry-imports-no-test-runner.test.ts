import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const dist = join(import.meta.dirname, '..', 'dist');

/**
 * Every URL that importing `entry` resolves, from a fresh Node process. ESM has no module cache to
 * read afterwards, so the child registers a resolve hook (it runs on the loader thread) that
 * appends each resolved URL to a file before the import starts.
 */
async function urlsResolvedBy(entry: string): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'npu-first-resolved-'));
  const log = join(dir, 'resolved.txt');
  const hooks = `import { appendFileSync } from 'node:fs';
    let log;
    export function initialize(data) { log = data.log; }
    export async function resolve(specifier, context, next) {
      const result = await next(specifier, context);
      appendFileSync(log, result.url + '\\n');
      return result;
    }`;
  const script = `import { register } from 'node:module';
    register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)}, { data: { log: ${JSON.stringify(log)} } });
    await import(${JSON.stringify(entry)});`;
  try {
    await run(process.execPath, ['--input-type=module', '-e', script]);
    return (await readFile(log, 'utf8')).split('\n').filter(Boolean);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A test runner or its assertion library, wherever the package manager put it. */
const TEST_RUNNER =
  /\/node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?(vitest|@vitest\/[^/]+|chai|vite)\//;

describe('@npu-first/testkit entries (built)', () => {
  // `@npu-first/bench`, and so the CLI, imports the main entry at run time.
  it('the main entry loads no test runner', async () => {
    const urls = await urlsResolvedBy(join(dist, 'index.js'));
    // The hook saw the package's own dependencies, so an absent vitest means "not imported".
    expect(urls.some((url) => url.includes('/core/dist/'))).toBe(true);
    expect(urls.filter((url) => TEST_RUNNER.test(url))).toEqual([]);
  });

  // The control: the same check does see vitest where it is imported.
  it('the conformance entry is where vitest is, and the check sees it', async () => {
    const urls = await urlsResolvedBy(join(dist, 'conformance.js'));
    expect(urls.some((url) => TEST_RUNNER.test(url))).toBe(true);
  });
});
