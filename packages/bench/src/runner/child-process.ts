import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_ROOT } from '../models.js';

/** Built as its own entry point (see the package's build script). */
const CHILD = join(BENCH_ROOT, 'dist', 'children', 'child.js');

/**
 * The placement cache every child of this run shares: a file of its own, so the figures do not
 * depend on what the user's cache holds (`alternateChildren`'s untimed first round fills it).
 */
let placementCache: string | undefined;
function childPlacementCache(): string {
  placementCache ??= join(mkdtempSync(join(tmpdir(), 'npu-first-bench-')), 'placement.json');
  return placementCache;
}

/** What a child reports: figures by name (ms, KiB). */
export type ChildReport = Record<string, number>;

/**
 * Runs one measurement in a fresh Node process (`children/child.js <mode> <args>`) and returns
 * the JSON it prints last. A fresh process is the only honest cold start, and its own
 * `process.resourceUsage().maxRSS` the only peak memory not mixed with other workloads.
 */
export function runChild(mode: string, args: Record<string, unknown>): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, mode, JSON.stringify(args)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        NPU_FIRST_POLICY: '',
        NPU_FIRST_PLACEMENT_CACHE: childPlacementCache(),
      },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0) return reject(new Error(`child ${mode} exited with ${code}: ${err.trim()}`));
      try {
        resolve(JSON.parse(last) as ChildReport);
      } catch {
        reject(new Error(`child ${mode} printed no JSON: ${out}${err}`));
      }
    });
  });
}

/**
 * Runs several kinds of child `repeats` times each, alternating kinds (ABAB…), and collects each
 * figure. One untimed round first: where measured selection has more than one candidate, it
 * leaves the placement cache holding this model's verdicts, as on any start of an application
 * after its first — so the figures are what a start costs, not what the first one's trial costs.
 */
export async function alternateChildren(
  kinds: readonly {
    readonly key: string;
    readonly mode: string;
    readonly args: Record<string, unknown>;
  }[],
  repeats: number,
  onEach?: (done: number, total: number) => void,
): Promise<Map<string, ChildReport[]>> {
  const reports = new Map<string, ChildReport[]>(kinds.map((k) => [k.key, []]));
  for (const kind of kinds) await runChild(kind.mode, kind.args);
  let done = 0;
  for (let r = 0; r < repeats; r++) {
    const order = r % 2 === 0 ? kinds : [...kinds].reverse();
    for (const kind of order) {
      reports.get(kind.key)?.push(await runChild(kind.mode, kind.args));
      onEach?.(++done, repeats * kinds.length);
    }
  }
  return reports;
}
