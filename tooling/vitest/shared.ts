import { defineConfig } from 'vitest/config';

/**
 * The vitest settings every package shares. Real engines run in these tests, so
 * timeouts are generous; they are limits against hangs, never performance targets.
 */
export const sharedConfig = defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Measured placement keeps verdicts in ~/.cache unless told otherwise: tests that are not
    // about that cache must not read or write the user's (each cache test names its own file).
    env: { NPU_FIRST_PLACEMENT_CACHE: 'off' },
    reporters: ['default', ['json', { outputFile: '.vitest-report.json' }]],
  },
});
