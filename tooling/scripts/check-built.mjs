#!/usr/bin/env node
/**
 * `prepack` guard: fails when a file the package's manifest points at (exports, main, types, bin,
 * the npu-first plugin entry) is missing, so packing or publishing an unbuilt package stops with
 * a message instead of producing a tarball with only package.json in it.
 * Usage (a package's `prepack` script): `node ../../tooling/scripts/check-built.mjs`
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const cwd = process.cwd();
const pkg = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8'));

/** Every path string inside an exports value (conditions nest). */
function* pathsIn(value) {
  if (typeof value === 'string') yield value;
  else if (value && typeof value === 'object')
    for (const v of Object.values(value)) yield* pathsIn(v);
}

const targets = new Set([
  ...pathsIn(pkg.exports),
  ...pathsIn(pkg.bin),
  ...pathsIn(pkg.main),
  ...pathsIn(pkg.types),
  ...pathsIn(pkg['npu-first']?.plugin),
]);
const missing = [...targets].filter((target) => !existsSync(join(cwd, target)));
if (missing.length > 0) {
  console.error(
    `${pkg.name}: not built — ${missing.join(', ')} missing.\n` +
      `Run \`pnpm --filter ${pkg.name} run build\` before packing or publishing.`,
  );
  process.exit(1);
}
