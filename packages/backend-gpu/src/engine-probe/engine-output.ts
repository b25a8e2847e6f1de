/**
 * Lines of an engine's own output that explain nothing: ONNX Runtime's verbose and info
 * lines, Mesa's window-system complaints and lavapipe banner, the device-select layer's
 * symbol lookups, stack traces (Dawn's, and Node's on an abort).
 */
const NOISE: readonly RegExp[] = [
  /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ \[[VI]:/,
  /XDG_RUNTIME_DIR/,
  /not a conformant vulkan implementation/i,
  /Unable to resolve symbol "" in implicit layer library/,
  /^at \S+ \(.*\)$/,
  /^----- \w+ stack trace -----$/,
  /^\d+: /,
  /^Node\.js v\d/,
];

/** ONNX Runtime's log format: `2026-11-30 01:31:54.05 [W:onnxruntime:tag, file.cc:12 Fn] text`. */
const ORT_LINE = /^\d{4}-\d\d-\d\d [\d:.]+ \[([WEF]):onnxruntime:[^\]]*\] (.*)$/;

/** Terminal colour codes (ESC [ … m), which some drivers print. */
const COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/** Dawn's, Mesa's and the Vulkan loader's severity prefixes, ignored when comparing lines. */
const SEVERITY = /^(?:error|warning|info|debug):\s*/i;

/**
 * What matters of a probe process's captured stdout and stderr: the last `max` distinct lines
 * that say something (warnings, errors, loader messages), each cut to 240 characters. Dawn's
 * continuation lines (` - While initializing adapter (backend=…)`) join the line they continue.
 */
export function relevantLines(text: string, max = 6): string[] {
  const lines: string[] = [];
  for (const raw of text.replace(COLOUR, '').split(/\r?\n/)) {
    const line = raw.trim().replace(/\s+/g, ' ');
    if (line === '' || NOISE.some((re) => re.test(line))) continue;
    const last = lines.length - 1;
    if (line.startsWith('- ') && last >= 0) {
      lines[last] = `${lines[last]} (${line.slice(2)})`;
      continue;
    }
    const ort = ORT_LINE.exec(line);
    lines.push(ort ? `ONNX Runtime: ${ort[2]}` : line);
  }
  const seen = new Set<string>();
  const distinct: string[] = [];
  for (const line of lines.reverse()) {
    const key = line.replace(SEVERITY, '');
    if (seen.has(key)) continue;
    seen.add(key);
    distinct.unshift(line.length > 240 ? `${line.slice(0, 239)}…` : line);
  }
  return distinct.slice(-max);
}
