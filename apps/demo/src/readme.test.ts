import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The CLI's own README (shipped in its npm package: `--json` help points to its schema) carries
 * the project README's CLI section; this keeps the two copies the same.
 */
const root = join(import.meta.dirname, '..', '..', '..');
const section = (text: string, from: string, to: string) =>
  text.slice(text.indexOf(from) + from.length, text.indexOf(to, text.indexOf(from))).trim();

describe('the CLI README', () => {
  it('has the project README’s commands and --json schema, word for word', () => {
    const project = readFileSync(join(root, 'README.md'), 'utf8');
    const cli = readFileSync(join(root, 'apps', 'demo', 'README.md'), 'utf8');
    const commands = section(project, '## The CLI: `npu-first`', '### `--json` output');
    const schema = section(project, '### `--json` output', '## NPU paths');
    expect(commands.length).toBeGreaterThan(500);
    expect(section(cli, '## Commands', '## `--json` output')).toBe(commands);
    expect(section(cli, '## `--json` output', '## License')).toBe(schema);
  });
});
