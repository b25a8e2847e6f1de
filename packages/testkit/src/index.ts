// The fixture builders only. Nothing here may import a test runner: `@npu-first/bench` (and so the
// CLI) imports this entry at run time. The conformance suite is `@npu-first/testkit/conformance`.
export { compareTensors, TOLERANCES, type Tolerance } from './conformance/tolerance.js';
export * from './fixtures/index.js';
export * from './gguf/index.js';
