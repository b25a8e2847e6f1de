export type { BadFeedCase } from './conformance/bad-feeds.js';
export { badFeedCases } from './conformance/bad-feeds.js';
export {
  type ConformanceOptions,
  runBackendConformance,
} from './conformance/run-backend-conformance.js';
export { compareTensors, TOLERANCES, type Tolerance } from './conformance/tolerance.js';
export * from './fixtures/index.js';
export * from './gguf/index.js';
