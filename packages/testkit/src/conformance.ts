// The conformance suite: imports vitest, so it lives in its own entry, `@npu-first/testkit/conformance`,
// which only test files import.
export type { BadFeedCase } from './conformance/bad-feeds.js';
export { badFeedCases } from './conformance/bad-feeds.js';
export { describeThrown } from './conformance/describe-thrown.js';
export { type ExpectCodeOptions, expectCode } from './conformance/expect-code.js';
export {
  type ConformanceCapabilities,
  type ConformanceOptions,
  type PinnedDims,
  runBackendConformance,
} from './conformance/run-backend-conformance.js';
