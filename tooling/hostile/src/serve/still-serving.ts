import { expect, it } from 'vitest';
import { AUTH, alive, chat, runVad, type ServeProcess } from './serve-process.js';

/**
 * The last two tests of a file of hostile requests: the server still serves — health, a chat
 * and a graph run — and its process is still the one started; then SIGTERM drains it and it
 * exits 0 (the exit code is asserted, not the time it took).
 */
export function stillServingThenStops(server: () => ServeProcess): void {
  it('still answers /healthz, a chat and a graph run afterwards, from the same process', async () => {
    const s = server();
    const health = await fetch(`${s.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    const answer = await chat(s);
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as { choices: { message: { content: unknown } }[] };
    expect(body.choices[0]?.message.content).toEqual(expect.any(String));
    const run = await runVad(s);
    expect(run.status).toBe(200);
    const outputs = ((await run.json()) as { outputs: Record<string, { dims: number[] }> }).outputs;
    expect(outputs.output?.dims).toEqual([1, 1]);
    expect((await fetch(`${s.url}/v1/models`, { headers: AUTH })).status).toBe(200);
    expect(alive(s)).toBe(true);
  });

  it('exits 0 on SIGTERM, after draining', async () => {
    const s = server();
    s.child.kill('SIGTERM');
    expect(await s.exited).toEqual({ code: 0, signal: null });
    expect(s.stderr()).toContain('SIGTERM: finishing requests in flight');
  });
}
