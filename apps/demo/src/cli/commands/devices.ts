import type { BackendReport } from '@npu-first/core';
import pc from 'picocolors';
import { type Io, printJson } from '../output.js';
import { cliRuntime } from '../runtime.js';

export interface DevicesOptions {
  readonly json?: boolean;
}

/** `npu-first devices`: every backend found, whether it can run here, and why not. */
export async function devicesCommand(io: Io, options: DevicesOptions): Promise<number> {
  const runtime = await cliRuntime();
  const backends = await runtime.backends();
  if (options.json) {
    printJson(io, { backends, discoveryMs: runtime.discoveryMs });
    return 0;
  }
  if (backends.length === 0) {
    io.out('No backend is installed. Add one, e.g. `npm install @npu-first/backend-cpu`.');
    return 0;
  }
  for (const kind of ['npu', 'gpu', 'cpu', null] as const) {
    const ofKind = backends.filter((b) => b.deviceKind === kind);
    if (kind === null && ofKind.length === 0) continue;
    io.out(pc.bold(kind === null ? 'Unusable packages' : kind.toUpperCase()));
    if (ofKind.length === 0 && kind !== null)
      io.out(pc.dim(`  no ${kind.toUpperCase()} backend installed`));
    for (const b of ofKind) io.out(formatBackend(b));
  }
  return 0;
}

function formatBackend(b: BackendReport): string {
  const status = b.available ? pc.green('available') : pc.yellow('unavailable');
  const from = b.package ? pc.dim(` (${b.package})`) : '';
  const lines = [`  ${b.id}${from}  ${status}  ${pc.dim(`probe ${b.probeMs.toFixed(1)} ms`)}`];
  for (const d of b.devices) {
    const extra = d.details
      ? ` ${pc.dim(
          Object.entries(d.details)
            .map(([k, v]) => `${k}=${v}`)
            .join(' '),
        )}`
      : '';
    lines.push(
      `    device: ${d.name}${d.vendor ? ` · ${d.vendor}` : ''}${d.driver ? ` · ${d.driver}` : ''}${extra}`,
    );
  }
  if (b.engine) lines.push(`    engine: ${b.engine}`);
  if (b.reason) lines.push(`    ${b.available ? 'note' : 'why'}: ${b.reason}`);
  return lines.join('\n');
}
