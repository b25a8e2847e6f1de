import { mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../tooling/vitest/shared.js';

// One file at a time: the installed-app test's npm install would otherwise load the machine while
// measured-selection.test.ts times two engines against each other.
export default mergeConfig(sharedConfig, { test: { fileParallelism: false } });
