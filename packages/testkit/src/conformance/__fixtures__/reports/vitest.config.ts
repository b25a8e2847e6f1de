import { defineConfig } from 'vitest/config';

// Runs the deliberately broken suites below in a child vitest, whose JSON report
// `reports-failures-by-name.test.ts` reads. Not part of the package's own test run.
export default defineConfig({
  test: {
    root: new URL('.', import.meta.url).pathname,
    include: ['*.suite.ts'],
    testTimeout: 60_000,
    pool: 'forks',
    env: { NPU_FIRST_PLACEMENT_CACHE: 'off' },
  },
});
