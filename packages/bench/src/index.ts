export { renderMarkdown } from './output/markdown.js';
export { renderTable } from './output/table.js';
export { writeJson, writeMarkdown } from './output/write-report.js';
export { runBenchmarks } from './run-benchmarks.js';
export {
  ALL_WORKLOADS,
  type BenchEnvironment,
  type BenchReport,
  type BenchResult,
  type BenchTarget,
  type RunBenchmarksOptions,
  type WorkloadId,
} from './types.js';
