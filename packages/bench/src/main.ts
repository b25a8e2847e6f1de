#!/usr/bin/env node
/**
 * `node packages/bench/dist/main.js [model] [--json] [--quick] [--only a,b] [--out file.json]
 * [--markdown file.md]`: runs the benchmarks, prints progress on stderr and the table (or, with
 * `--json`, one JSON document `{ results, environment }`) on stdout, and writes the JSON file and
 * the markdown summary. Without a model it writes `bench-results/benchmarks.json` and
 * `docs/benchmarks.md` at the repository root.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH_ROOT } from './models.js';
import { renderTable } from './output/table.js';
import { writeJson, writeMarkdown } from './output/write-report.js';
import { runBenchmarks } from './run-benchmarks.js';
import { ALL_WORKLOADS, type WorkloadId } from './types.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    json: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    out: { type: 'string' },
    markdown: { type: 'string' },
  },
});
const repo = resolve(BENCH_ROOT, '..', '..');
const only = values.only?.split(',').map((s) => s.trim()) as WorkloadId[] | undefined;
for (const id of only ?? []) {
  if (!ALL_WORKLOADS.includes(id)) {
    process.stderr.write(`unknown workload ${id} (known: ${ALL_WORKLOADS.join(', ')})\n`);
    process.exit(2);
  }
}
const model = positionals[0] ? resolve(positionals[0]) : undefined;
const started = performance.now();
const report = await runBenchmarks({
  ...(only ? { workloads: only } : {}),
  ...(model ? { model } : {}),
  quick: values.quick,
  onProgress: (line) =>
    process.stderr.write(
      `[${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}\n`,
    ),
});
const jsonPath =
  values.out ?? (model ? undefined : resolve(repo, 'bench-results', 'benchmarks.json'));
const mdPath =
  values.markdown ??
  (model || only || values.quick ? undefined : resolve(repo, 'docs', 'benchmarks.md'));
if (jsonPath) await writeJson(report, jsonPath);
if (mdPath) await writeMarkdown(report, mdPath);
if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
else {
  process.stdout.write(`\n${renderTable(report)}\n\n`);
  const written = [jsonPath, mdPath].filter(Boolean).join(' and ');
  if (written) process.stdout.write(`Wrote ${written}.\n`);
}
