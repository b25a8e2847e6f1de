import { mergeConfig } from 'vitest/config';
import { sharedConfig } from '../vitest/shared.js';

// One file at a time: each packs every package and runs npm or attw, which load the machine.
export default mergeConfig(sharedConfig, { test: { fileParallelism: false } });
