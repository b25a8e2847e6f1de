import { InvalidOptionError, type LoadOptions } from '@npu-first/core';
import {
  createServer,
  readServeConfig,
  type ServeConfig,
  type ServedModel,
} from '@npu-first/server';
import type { Io } from '../output.js';
import { cliRuntime } from '../runtime.js';
import { resolveModel } from './model-source.js';
import { loadOptionsFrom } from './shared-options.js';

/** Keeps the key out of the process list (flags are visible in `ps`). */
export const API_KEY_ENV = 'NPU_FIRST_API_KEY';

/** Addresses only this machine can reach. */
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export interface ServeFlags {
  readonly model?: string[];
  readonly config?: string;
  readonly host?: string;
  readonly port?: string;
  readonly apiKey?: string;
  readonly preload?: boolean;
  readonly idleUnload?: string;
  readonly maxQueue?: string;
  readonly bodyLimit?: string;
  readonly drainTimeout?: string;
  readonly policy?: string;
  readonly threads?: string;
  readonly json?: boolean;
}

/**
 * `npu-first serve`: the OpenAI-compatible server until SIGTERM or SIGINT, which stop taking
 * requests, let those in flight finish (`--drain-timeout`), unload the models, and exit 0.
 * Flags win over the config file; the file's relative paths are from its folder.
 */
export async function serveCommand(
  io: Io,
  flags: ServeFlags,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<number> {
  // Listening from the start: a SIGTERM during start-up closes as soon as the server is up.
  // `on`, not `once`: signal-exit (node-llama-cpp's dependencies install it) re-raises a
  // signal when it finds itself the only listener, which a spent `once` would make it.
  let signals = 0;
  const stop = new Promise<NodeJS.Signals>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      signals++;
      if (signals === 1) return resolve(signal);
      io.err(`${signal} again: exiting without waiting for requests in flight`);
      process.exit(1);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
  const config: Partial<ServeConfig> = flags.config ? await readServeConfig(flags.config) : {};
  // Every flag is checked before anything loads or listens.
  const common = loadOptionsFrom(flags);
  const limits = {
    ...number('--idle-unload', flags.idleUnload, 1000, 'idleUnloadMs', config.idleUnloadMs),
    ...number('--max-queue', flags.maxQueue, 1, 'maxQueue', config.maxQueue),
    ...number('--body-limit', flags.bodyLimit, 1, 'bodyLimitBytes', config.bodyLimitBytes),
    ...number('--drain-timeout', flags.drainTimeout, 1000, 'drainTimeoutMs', config.drainTimeoutMs),
  };
  const port = flags.port !== undefined ? whole('--port', flags.port) : (config.port ?? 8080);
  if (!Number.isInteger(port) || port > 65535)
    throw new InvalidOptionError(
      flags.port !== undefined ? '--port' : 'config port',
      `expected 0–65535, got ${port}`,
    );
  const named = (flags.model ?? []).map(modelFlag);
  if (named.length + (config.models?.length ?? 0) === 0)
    throw new InvalidOptionError(
      '--model',
      'give at least one model: --model NAME=PATH (repeatable) or --config FILE',
    );
  const fromFlags = await Promise.all(
    named.map(async (m) => ({ ...m, path: await resolveModel(io, m.path) })),
  );
  const models = [...(config.models ?? []), ...fromFlags].map(
    (m): ServedModel => ({ ...m, load: { ...common, ...m.load } as LoadOptions }),
  );
  const apiKey = flags.apiKey ?? env[API_KEY_ENV] ?? config.apiKey;
  const runtime = await cliRuntime(env);
  const server = await createServer({
    runtime,
    models,
    ...(apiKey !== undefined ? { apiKey } : {}),
    preload: flags.preload ?? config.preload ?? false,
    ...limits,
    log: (line) => io.err(line),
  });
  const host = flags.host ?? config.host ?? '127.0.0.1';
  const url = await server.listen({ host, port });
  const names = models.map((m) => m.name);
  if (apiKey === undefined && !LOOPBACK.has(host))
    io.err(
      `warning: listening on ${host} without an API key: anyone who can reach this machine can use the models (set ${API_KEY_ENV} or --api-key)`,
    );
  if (flags.json) io.out(JSON.stringify({ url, models: names, auth: apiKey !== undefined }));
  else {
    io.out(`npu-first serving ${names.join(', ')} on ${url}${apiKey ? ' (API key required)' : ''}`);
    io.out(
      `  try: curl ${url}/v1/models${apiKey ? ` -H "Authorization: Bearer $${API_KEY_ENV}"` : ''}`,
    );
  }
  const signal = await stop;
  io.err(`${signal}: finishing requests in flight, then closing`);
  await server.close();
  io.err('closed');
  return 0;
}

/** `--model NAME=PATH`; the path may be a URL or `hf:` reference, downloaded before serving. */
function modelFlag(text: string): ServedModel {
  const at = text.indexOf('=');
  if (at <= 0 || at === text.length - 1)
    throw new InvalidOptionError(
      '--model',
      `expected NAME=PATH (e.g. vad=silero.onnx), got "${text}"`,
    );
  return { name: text.slice(0, at), path: text.slice(at + 1) };
}

/** A numeric flag (× `scale`: seconds to ms), else the config file's value, else the default. */
function number(
  flag: string,
  text: string | undefined,
  scale: number,
  key: string,
  fromConfig: number | undefined,
): Record<string, number> {
  if (text !== undefined) return { [key]: whole(flag, text) * scale };
  return fromConfig !== undefined ? { [key]: fromConfig } : {};
}

function whole(flag: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isSafeInteger(n) || n < 0)
    throw new InvalidOptionError(flag, `expected a whole number ≥ 0, got "${text}"`);
  return n;
}
