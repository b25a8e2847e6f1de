import { join } from 'node:path';

/** The monorepo's root. */
export const REPO = join(import.meta.dirname, '..', '..', '..');

/** The published packages, as folders under the root: the libraries and the CLI (`npu-first`). */
export const PUBLISHED = [
  'packages/core',
  'packages/onnxruntime',
  'packages/llama-cpp',
  'packages/backend-cpu',
  'packages/backend-gpu',
  'packages/backend-npu',
  'packages/testkit',
  'packages/bench',
  'packages/server',
  'apps/demo',
] as const;
