import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './__fixtures__/run-cli.js';

/** `serve` refuses what it cannot serve before it listens: exit 2, the flag named. */
describe('npu-first serve, refused before listening', () => {
  const option = async (...args: string[]) => {
    const run = await runCli('serve', ...args, '--json');
    return { code: run.code, option: run.json?.error?.option, message: run.json?.error?.message };
  };

  it('names the flag that is missing or malformed', async () => {
    expect(await option()).toMatchObject({ code: 2, option: '--model' });
    expect(await option('--model', 'no-equals-sign')).toMatchObject({ code: 2, option: '--model' });
    expect(await option('--model', 'a=x.onnx', '--port', 'http')).toMatchObject({
      code: 2,
      option: '--port',
    });
    expect(await option('--model', 'a=x.onnx', '--max-queue', '-1')).toMatchObject({
      code: 2,
      option: '--max-queue',
    });
    expect(await option('--model', 'a b=x.onnx')).toMatchObject({
      code: 2,
      option: 'models[0].name',
    });
    expect(await option('--model', 'a=x.onnx', '--port', '70000')).toMatchObject({
      option: '--port',
    });
    expect(await option('--model', 'a=x.onnx', '--bogus')).toMatchObject({ code: 2 });
  });

  it('fails with the model file that is missing, and with the config file’s mistakes', async () => {
    const missing = await runCli('serve', '--model', 'a=/nonexistent/x.onnx', '--json');
    expect(missing.code).toBe(1);
    expect(missing.json.error).toMatchObject({
      code: 'MODEL_NOT_FOUND',
      path: '/nonexistent/x.onnx',
    });
    const dir = await mkdtemp(join(tmpdir(), 'npu-first-serve-usage-'));
    const config = join(dir, 'serve.json');
    await writeFile(
      config,
      JSON.stringify({ models: { a: 'x.onnx' }, host: '0.0.0.0', colour: 1 }),
    );
    expect(await option('--config', config)).toMatchObject({ code: 2, option: 'config colour' });
  });
});
