import { describe, expect, it } from 'vitest';
import { runCli } from './__fixtures__/run-cli.js';

async function cli(...args: string[]) {
  const run = await runCli(...args);
  return { ...run, error: run.json?.error };
}

describe('usage mistakes name what the person typed', () => {
  it('maps each commander parse error to INVALID_OPTION with the flag or argument, exit 2', async () => {
    const cases: [string[], string, RegExp][] = [
      [['run', '--json'], '<model>', /missing: path to a model file .*usage: npu-first run/],
      [['run', 'a.onnx', 'b.onnx', '--json'], 'b.onnx', /npu-first run takes <model>/],
      [['run', 'a.onnx', '--json', '--input'], '--input', /needs a value: --input <name=source>/],
      [['run', 'a.onnx', '--jsn', '--json'], '--jsn', /did you mean --json\?/],
      [
        ['frobnicate', '--json'],
        'frobnicate',
        /not a command of npu-first \(commands: devices, inspect, run, /,
      ],
    ];
    for (const [args, option, reason] of cases) {
      const { code, error } = await cli(...args);
      expect(code, args.join(' ')).toBe(2);
      expect(error).toMatchObject({ code: 'INVALID_OPTION', option });
      expect(error.reason).toMatch(reason);
      // commander's internal codes never reach the person.
      expect(JSON.stringify(error)).not.toMatch(/missingArgument|excessArguments|commander/);
    }
  });

  it('prints the same error as text, with where to find usage', async () => {
    const { code, err } = await cli('run');
    expect(code).toBe(2);
    expect(err).toContain('[INVALID_OPTION] Invalid option <model>: missing');
    expect(err).toContain('(run npu-first run --help for usage)');
  });

  it('names the flag, not the library field, when the library rejects a value', async () => {
    const { code, error } = await cli('run', 'a.onnx', '--policy', 'order=gpu;bogus=1', '--json');
    expect(code).toBe(2);
    expect(error.option).toBe('--policy');
  });
});

describe('help', () => {
  it('shows no empty-list defaults and numbers unquoted', async () => {
    const run = await cli('run', '--help');
    expect(run.out).not.toContain('(default: [])');
    const vad = await cli('vad', '--help');
    expect(vad.out).toContain('(default: 0.5)');
    expect(vad.out).not.toContain('"0.5"');
    const generate = await cli('generate', '--help');
    expect(generate.out).not.toContain('(default: [])');
  });
});
