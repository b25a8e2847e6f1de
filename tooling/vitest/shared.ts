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
    reporters: ['default', ['json', { outputFile: '.vitest-report.json' }]],
  },
});
