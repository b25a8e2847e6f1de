import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { POLICY_ENV } from '@npu-first/core';
import { Command, CommanderError, Option } from 'commander';
import { type Io, printError, processIo } from './output.js';
import { PACKAGE_ROOT } from './runtime.js';
import { usageError, withFlagNames } from './usage-errors.js';

const { version } = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
  version: string;
};

/**
 * A repeatable flag's values in order. No default is declared (help would print `(default: [])`):
 * a flag not given is `undefined`.
 */
const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

const POLICY_HELP = `placement policy: npu-first (default), gpu-first, cpu-only, an order such as "gpu,cpu-onnxruntime", or "order=…;include=…;exclude=…", with ";selection=first|latency" or ";tolerance=N" to change how it commits (${POLICY_ENV} overrides it)`;
const ISOLATE_HELP =
  'load and run the model in a child process, so a native engine crash on an untrusted model fails with ENGINE_CRASHED instead of killing the CLI (costs a process start and an IPC round trip per call; see docs/isolation.md)';

/**
 * Builds the `npu-first` command tree. Each action returns its exit code. Actions import their
 * command's module when they run, so `--help` or one command never loads the engines, the
 * benchmarks or the file decoders that other commands need.
 */
function program(
  io: Io,
  setCode: (code: number) => void,
  onCommand: (command: Command) => void,
): Command {
  const cli = new Command('npu-first')
    .description(
      'Run AI models on the NPU first, then the GPU, then the CPU — and see why at every step.',
    )
    .version(version)
    .configureOutput({
      writeOut: (s) => io.out(s.trimEnd()),
      writeErr: (s) => io.err(s.trimEnd()),
      outputError: () => {}, // main() reports parse errors as INVALID_OPTION, text or JSON
    })
    .exitOverride()
    .hook('preSubcommand', (_cli, command) => onCommand(command))
    .addHelpText('after', ENVIRONMENT_HELP);

  cli
    .command('devices')
    .description(
      'list every installed backend, whether it can run on this machine, its devices, and why not',
    )
    .option('--json', 'print one JSON document (schema in the README)')
    .action(async (options) =>
      setCode(await (await import('./commands/devices.js')).devicesCommand(io, options)),
    );

  cli
    .command('inspect')
    .description(
      'show a model: format, size, inputs and outputs with symbolic dimensions, and which installed backends would take it and why not (a dry run of the chain)',
    )
    .argument('<model>', 'path to a model file (.onnx, .gguf)')
    .option('-p, --policy <policy>', POLICY_HELP)
    .option('--json', 'print one JSON document (schema in the README)')
    .action(async (model, options) =>
      setCode(await (await import('./commands/inspect.js')).inspectCommand(io, model, options)),
    );

  /** `--input` and `--dim`: how `run` and `calibrate` get an ONNX model's inputs. */
  const inputOptions = (command: Command) =>
    command
      .option(
        '-i, --input <name=source>',
        'an input from a .npy file, or "random" (repeatable; inputs not given are random)',
        collect,
      )
      .option(
        '--dim <name=value>',
        "size of a symbolic dimension of random inputs, by the name `run` shows, e.g. batch=4 (repeatable; default: 1 for a batch or an input's first dimension, else 256)",
        collect,
      );

  inputOptions(
    cli
      .command('run')
      .description(
        'place an ONNX model through the chain, run it once, and print outputs, placement and timings',
      )
      .argument('<model>', 'path to a model file (.onnx)'),
  )
    .option('-p, --policy <policy>', POLICY_HELP)
    .option('-t, --threads <n>', 'threads per inference (default: the backend chooses)')
    .option('--isolate', ISOLATE_HELP)
    .option(
      '-o, --output <[name=]file.npy>',
      'write an output tensor as a NumPy .npy file: the first output, or the one named (repeatable; an existing file is overwritten)',
      collect,
    )
    .option('--json', 'print one JSON document (schema in the README)')
    .action(async (model, options) =>
      setCode(await (await import('./commands/run.js')).runCommand(io, model, options)),
    );

  inputOptions(
    cli
      .command('calibrate')
      .description(
        'time a model with your inputs — an ONNX model on the CPU at each thread count, and any model on every backend that can serve it — and store what is fastest for later loads',
      )
      .argument('<model>', 'path to a model file (.onnx, .gguf)'),
  )
    .option('--candidates <list>', 'thread counts to try, e.g. 1,2,4 (default: 1 … the cores)')
    .option(
      '--json',
      'print { model, inputs, threads, medians, cached, cachePath, loadNow, devices } (GGUF: { model, devices })',
    )
    .action(async (model, options) =>
      setCode(await (await import('./commands/calibrate.js')).calibrateCommand(io, model, options)),
    );

  cli
    .command('vad')
    .description(
      'find the speech in a WAV recording with Silero VAD, placed by the chain (default: the bundled sample)',
    )
    .argument('[audio]', 'a .wav file (any rate, mono or stereo); default: samples/speech.wav')
    .addOption(
      new Option('--threshold <p>', 'speech probability that starts a segment').default(
        '0.5',
        '0.5', // shown as a number, not the string commander parses it as
      ),
    )
    .option('-p, --policy <policy>', POLICY_HELP)
    .option('-t, --threads <n>', 'threads per inference (default: the backend chooses)')
    .option('--json', 'print one JSON document (schema in the README)')
    .action(async (audio, options) =>
      setCode(await (await import('./commands/vad.js')).vadCommand(io, audio, options)),
    );

  const llmOptions = (command: Command) =>
    command
      .option(
        '-n, --max-tokens <n>',
        'tokens to generate at most (default 256; chat: a quarter of the context, at most 256)',
      )
      .option('--seed <n>', 'sampling seed: the same seed gives the same text')
      .option('--temperature <t>', 'randomness; 0 (default) always picks the likeliest token')
      .option('--top-p <p>', 'nucleus sampling threshold in (0, 1]')
      .option('--stop <text>', 'stop when this text appears (repeatable)', collect)
      .option('--context-size <n>', 'context in tokens (default: min(model, 4096))')
      .option('-p, --policy <policy>', POLICY_HELP)
      .option('-t, --threads <n>', 'generation threads (default: one less than the cores)')
      .option('--isolate', ISOLATE_HELP)
      .option(
        '--models-dir <dir>',
        'where downloaded models are kept (default: $NPU_FIRST_MODELS_DIR or ~/.cache/npu-first/models)',
      );

  llmOptions(
    cli
      .command('generate')
      .description('generate text from a GGUF language model, streamed, then stats and placement')
      .argument(
        '<model>',
        'a .gguf file, an https:// URL or hf:owner/repo[:file] (downloaded once)',
      )
      .option('--prompt <text>', 'the text to continue (required; - reads it from stdin)')
      .option('--system <text>', 'a system message: the prompt is then sent as a chat turn'),
  )
    .option('--json', 'print one JSON document: text, stats, placement')
    .action(async (model, options) =>
      setCode(await (await import('./commands/generate.js')).generateCommand(io, model, options)),
    );

  llmOptions(
    cli
      .command('chat')
      .description('talk to a GGUF language model in the terminal')
      .argument('<model>', 'a .gguf file, an https:// URL or hf:owner/repo[:file]')
      .option('--system <text>', 'a system message for the whole conversation'),
  ).action(async (model, options) =>
    setCode(await (await import('./commands/chat.js')).chatCommand(io, model, options)),
  );

  cli
    .command('serve')
    .description(
      'serve models over an OpenAI-compatible HTTP API (chat, completions, embeddings, ONNX graphs); every answer says which backend and device ran it',
    )
    .option(
      '-m, --model <name=path>',
      'a model to serve under a name: a .gguf or .onnx file, an https:// URL or hf:owner/repo[:file] (repeatable)',
      collect,
    )
    .option(
      '-c, --config <file>',
      'a JSON config file: { "models": { "name": "path" }, "port": … } (keys: docs/serve.md); flags win over it',
    )
    .option('--host <host>', 'the address to listen on (default 127.0.0.1: this machine only)')
    .option('--port <port>', 'the port (default 8080; 0 picks a free one)')
    .option(
      '--api-key <key>',
      'require "Authorization: Bearer <key>" on every route but /healthz (or set NPU_FIRST_API_KEY)',
    )
    .option('--preload', 'load every model before listening (default: on first use)')
    .option(
      '--idle-unload <seconds>',
      'unload a model after this long without requests; 0 never (default 300)',
    )
    .option(
      '--max-queue <n>',
      'requests one model holds, running and waiting; beyond it, 429 (default 64)',
    )
    .option('--body-limit <bytes>', 'largest request body (default 16777216)')
    .option(
      '--drain-timeout <seconds>',
      'on SIGTERM, how long requests in flight get to finish (default 30)',
    )
    .option('-p, --policy <policy>', POLICY_HELP)
    .option('--threads <n>', 'CPU threads for each model (default: chosen per model)')
    .option('--json', 'print { url, models, auth } as one line once listening')
    .addHelpText(
      'after',
      `
Examples:
  npu-first serve -m chat=qwen.gguf -m vad=silero_vad.onnx
  curl http://127.0.0.1:8080/v1/chat/completions -H 'Content-Type: application/json' \\
    -d '{"model":"chat","messages":[{"role":"user","content":"Hi"}],"stream":true}'
  NPU_FIRST_API_KEY=… npu-first serve --host 0.0.0.0 --preload -m chat=qwen.gguf

Every answer carries x-npu-first-backend and x-npu-first-device headers. Routes: /v1/models,
/v1/chat/completions, /v1/completions, /v1/embeddings, /v1/graph/{model}/run, /v1/devices,
/healthz, /metrics. SIGTERM finishes requests in flight, then exits 0.`,
    )
    .action(async (options) =>
      setCode(await (await import('./commands/serve.js')).serveCommand(io, options)),
    );

  cli
    .command('bench')
    .description(
      'measure the runtime against the raw engines, side by side (default: the bundled models)',
    )
    .argument('[model]', 'an .onnx or .gguf model to measure instead of the bundled ones')
    .option(
      '--only <workloads>',
      'comma-separated: silero, paddle-det, cold-start, discovery, fallback, llm, memory',
    )
    .option('--quick', 'fewer samples: a smoke run, not figures to quote (targets are not judged)')
    .option(
      '--json',
      'print one JSON document: { results: [{ name, unit, median, p95, ratio, … }], environment }',
    )
    .action(async (model, options) =>
      setCode(await (await import('./commands/bench.js')).benchCommand(io, model, options)),
    );

  cli
    .command('pull')
    .description('download a GGUF model by URL or Hugging Face reference, with a progress bar')
    .argument('<uri>', 'https://…/model.gguf or hf:owner/repo[:file]')
    .option(
      '--models-dir <dir>',
      'where to keep it (default: $NPU_FIRST_MODELS_DIR or ~/.cache/npu-first/models)',
    )
    .option('--json', 'print { uri, path }')
    .action(async (uri, options) =>
      setCode(await (await import('./commands/pull.js')).pullCommand(io, uri, options)),
    );

  const modelsDirOption = (command: Command) =>
    command.option(
      '--models-dir <dir>',
      'the models folder (default: $NPU_FIRST_MODELS_DIR or ~/.cache/npu-first/models)',
    );
  const models = modelsDirOption(
    cli
      .command('models')
      .description('list the models `pull` downloaded: name, size and path')
      .hook('preSubcommand', (_models, command) => onCommand(command)),
  )
    .option('--json', 'print { dir, models: [{ name, sizeBytes, path }] }')
    .action(async (options) =>
      setCode(await (await import('./commands/models.js')).modelsCommand(io, options)),
    );
  modelsDirOption(
    models
      .command('rm')
      .description('delete a downloaded model')
      .argument('<name>', 'the model, by the name `npu-first models` lists'),
  )
    .option('--json', 'print { removed: { name, sizeBytes, path } }')
    // `--models-dir` and `--json` may be typed before `rm`, where `models` parses them.
    .action(async (name, _options, command: Command) =>
      setCode(
        await (await import('./commands/models.js')).modelsRmCommand(
          io,
          name,
          command.optsWithGlobals(),
        ),
      ),
    );

  return cli;
}

/**
 * Runs the CLI with `argv` (as in `process.argv`) and resolves to the exit code. Errors never
 * escape: they are printed as text, or as `{ "error": … }` with `--json`.
 */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  const json = argv.includes('--json');
  let code = 0;
  let command: Command | undefined;
  const cli = program(
    io,
    (c) => (code = c),
    (c) => (command = c),
  );
  try {
    await cli.parseAsync([...argv]);
    return code;
  } catch (error) {
    const ran = command ?? cli;
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return 0; // --help, --version
      const exit = printError(io, usageError(error, ran), json);
      if (!json)
        io.err(`(run ${ran === cli ? 'npu-first' : `npu-first ${ran.name()}`} --help for usage)`);
      return exit;
    }
    return printError(io, withFlagNames(error, ran), json);
  }
}

/** The environment variables the CLI reads, for `npu-first --help`. */
const ENVIRONMENT_HELP = `
Environment:
  NPU_FIRST_POLICY               the policy, over --policy (e.g. "cpu", "npu-first;selection=first")
  NPU_FIRST_PLUGINS_ALLOW/_DENY  backend packages to use / leave out (comma-separated)
  NPU_FIRST_TRUST_PROJECT=1      also load the plugins of the project in the current directory
                                 (done anyway when npu-first is installed in that project)
  NPU_FIRST_PLUGIN_TIMEOUT_MS    bound on importing one plugin (default 10000)
  NPU_FIRST_PROBE_TIMEOUT_MS     bound on one backend's probe (default 10000)
  NPU_FIRST_LOAD_TIMEOUT_MS      bound on one backend's load (default 30 s + 0.1 s per MB)
  NPU_FIRST_PROBE=engine         ask every engine, even where a look at the machine says no
  NPU_FIRST_PLACEMENT_CACHE      measured placement verdicts (a file path, or "off")
  NPU_FIRST_TUNING_CACHE         ONNX Runtime thread choices (a file path, or "off")
  NPU_FIRST_MODELS_DIR           where pull keeps models (default ~/.cache/npu-first/models)
  NPU_FIRST_DOWNLOAD_TIMEOUT_MS  pull gives up when no data arrives for this long (default 30000)
  NPU_FIRST_ORT_TELEMETRY=1      leave ONNX Runtime's telemetry on (npu-first turns it off)
  NPU_FIRST_API_KEY              the API key serve requires (instead of --api-key, which ps shows)
`;
