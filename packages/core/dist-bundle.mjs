// ../../work/main/packages/core/dist/errors/base.js
var MARKER = Symbol.for('npu-first.error');
var NpuFirstError = class extends Error {
  [MARKER] = true;
  code;
  constructor(code, message, options) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
  static isInstance(error) {
    return typeof error === 'object' && error !== null && MARKER in error && error[MARKER] === true;
  }
  /** Extra fields a caller needs (input name, path, attempts…); overridden by subclasses. */
  details() {
    return {};
  }
  /** `{ code, message, ...details }`, the shape the CLI prints under `error`. */
  toJSON() {
    return { code: this.code, message: this.message, ...this.details() };
  }
};
function hasCode(code) {
  return (error) => NpuFirstError.isInstance(error) && error.code === code;
}

// ../../work/main/packages/core/dist/errors/errors.js
var ModelNotFoundError = class extends NpuFirstError {
  path;
  static isInstance = hasCode('MODEL_NOT_FOUND');
  constructor(path) {
    super('MODEL_NOT_FOUND', `Model file not found: ${path}`);
    this.path = path;
  }
  details() {
    return { path: this.path };
  }
};
var ModelUnreadableError = class extends NpuFirstError {
  path;
  reason;
  static isInstance = hasCode('MODEL_UNREADABLE');
  constructor(path, reason, options) {
    super('MODEL_UNREADABLE', `Cannot read model ${path}: ${reason}`, options);
    this.path = path;
    this.reason = reason;
  }
  details() {
    return { path: this.path, reason: this.reason };
  }
};
var CorruptModelError = class extends NpuFirstError {
  model;
  reason;
  static isInstance = hasCode('MODEL_CORRUPT');
  /** Filled in by the chain when every backend that tried reported the model corrupt. */
  attempts;
  constructor(model, reason, options) {
    super('MODEL_CORRUPT', `Model ${model} is corrupt: ${reason}`, options);
    this.model = model;
    this.reason = reason;
  }
  details() {
    return { model: this.model, reason: this.reason, attempts: this.attempts };
  }
};
var UnsupportedFormatError = class extends NpuFirstError {
  model;
  reason;
  static isInstance = hasCode('MODEL_FORMAT_UNSUPPORTED');
  constructor(model, reason) {
    super('MODEL_FORMAT_UNSUPPORTED', `Unsupported model format for ${model}: ${reason}`);
    this.model = model;
    this.reason = reason;
  }
  details() {
    return { model: this.model, reason: this.reason };
  }
};
var ModelRejectedError = class extends NpuFirstError {
  backend;
  reason;
  static isInstance = hasCode('MODEL_REJECTED');
  constructor(backend, reason) {
    super('MODEL_REJECTED', `${backend} cannot take this model: ${reason}`);
    this.backend = backend;
    this.reason = reason;
  }
  details() {
    return { backend: this.backend, reason: this.reason };
  }
};
var ModelDisposedError = class extends NpuFirstError {
  model;
  static isInstance = hasCode('MODEL_DISPOSED');
  constructor(model) {
    super('MODEL_DISPOSED', `Model ${model} has been disposed; load it again to use it`);
    this.model = model;
  }
  details() {
    return { model: this.model };
  }
};
var InvalidInputError = class extends NpuFirstError {
  input;
  expected;
  actual;
  static isInstance = hasCode('INVALID_INPUT');
  constructor(input, expected, actual) {
    super('INVALID_INPUT', `Input "${input}": expected ${expected}, got ${actual}`);
    this.input = input;
    this.expected = expected;
    this.actual = actual;
  }
  details() {
    return { input: this.input, expected: this.expected, actual: this.actual };
  }
};
var InvalidOptionError = class extends NpuFirstError {
  option;
  reason;
  static isInstance = hasCode('INVALID_OPTION');
  constructor(option, reason) {
    super('INVALID_OPTION', `Invalid option ${option}: ${reason}`);
    this.option = option;
    this.reason = reason;
  }
  details() {
    return { option: this.option, reason: this.reason };
  }
};
var EngineMissingError = class extends NpuFirstError {
  engine;
  install;
  static isInstance = hasCode('ENGINE_MISSING');
  constructor(engine, install, options) {
    super('ENGINE_MISSING', `${engine} is not installed: ${install}`, options);
    this.engine = engine;
    this.install = install;
  }
  details() {
    return { engine: this.engine, install: this.install };
  }
};
var BackendUnavailableError = class extends NpuFirstError {
  backend;
  reason;
  static isInstance = hasCode('BACKEND_UNAVAILABLE');
  constructor(backend, reason) {
    super('BACKEND_UNAVAILABLE', `Backend ${backend} is unavailable: ${reason}`);
    this.backend = backend;
    this.reason = reason;
  }
  details() {
    return { backend: this.backend, reason: this.reason };
  }
};
var BackendLoadError = class extends NpuFirstError {
  backend;
  reason;
  static isInstance = hasCode('BACKEND_LOAD_FAILED');
  constructor(backend, reason, options) {
    super('BACKEND_LOAD_FAILED', `${backend} failed to load the model: ${reason}`, options);
    this.backend = backend;
    this.reason = reason;
  }
  details() {
    return { backend: this.backend, reason: this.reason };
  }
};
var AllBackendsFailedError = class extends NpuFirstError {
  model;
  attempts;
  static isInstance = hasCode('ALL_BACKENDS_FAILED');
  constructor(model, attempts) {
    const lines = attempts.map(
      (a) => `  - ${a.backend ?? `(${a.deviceKind} tier)`}: ${a.outcome} \u2014 ${a.reason}`,
    );
    const body =
      attempts.length > 0
        ? `
${lines.join('\n')}`
        : ' (no backend is installed)';
    super('ALL_BACKENDS_FAILED', `No backend could load ${model}:${body}`);
    this.model = model;
    this.attempts = attempts;
  }
  details() {
    return { model: this.model, attempts: this.attempts };
  }
};
var RunFailedError = class extends NpuFirstError {
  backend;
  reason;
  static isInstance = hasCode('RUN_FAILED');
  constructor(backend, reason, options) {
    super('RUN_FAILED', `Inference on ${backend} failed: ${reason}`, options);
    this.backend = backend;
    this.reason = reason;
  }
  details() {
    return { backend: this.backend, reason: this.reason };
  }
};
var ContextOverflowError = class extends NpuFirstError {
  promptTokens;
  maxTokens;
  contextSize;
  static isInstance = hasCode('CONTEXT_OVERFLOW');
  constructor(promptTokens, maxTokens, contextSize) {
    super(
      'CONTEXT_OVERFLOW',
      `The prompt (${promptTokens} tokens) plus maxTokens (${maxTokens}) exceeds the context of ${contextSize} tokens: shorten the prompt, lower maxTokens, or load with a larger contextSize`,
    );
    this.promptTokens = promptTokens;
    this.maxTokens = maxTokens;
    this.contextSize = contextSize;
  }
  details() {
    return {
      promptTokens: this.promptTokens,
      maxTokens: this.maxTokens,
      contextSize: this.contextSize,
    };
  }
};
var GenerationAbortedError = class extends NpuFirstError {
  text;
  generatedTokens;
  static isInstance = hasCode('GENERATION_ABORTED');
  constructor(text, generatedTokens, options) {
    super('GENERATION_ABORTED', `Generation was aborted after ${generatedTokens} tokens`, options);
    this.text = text;
    this.generatedTokens = generatedTokens;
  }
  details() {
    return { text: this.text, generatedTokens: this.generatedTokens };
  }
};
var ModelDownloadError = class extends NpuFirstError {
  uri;
  reason;
  static isInstance = hasCode('MODEL_DOWNLOAD_FAILED');
  constructor(uri, reason, options) {
    super('MODEL_DOWNLOAD_FAILED', `Could not download ${uri}: ${reason}`, options);
    this.uri = uri;
    this.reason = reason;
  }
  details() {
    return { uri: this.uri, reason: this.reason };
  }
};
var PluginError = class extends NpuFirstError {
  plugin;
  reason;
  static isInstance = hasCode('PLUGIN_INVALID');
  constructor(plugin, reason, options) {
    super('PLUGIN_INVALID', `Backend package ${plugin} is unusable: ${reason}`, options);
    this.plugin = plugin;
    this.reason = reason;
  }
  details() {
    return { plugin: this.plugin, reason: this.reason };
  }
};
var TimeoutError = class extends NpuFirstError {
  operation;
  ms;
  static isInstance = hasCode('TIMEOUT');
  constructor(operation, ms) {
    super('TIMEOUT', `${operation} did not finish within ${ms} ms`);
    this.operation = operation;
    this.ms = ms;
  }
  details() {
    return { operation: this.operation, ms: this.ms };
  }
};

// ../../work/main/packages/core/dist/spec/backend.js
var SPECIFICATION_VERSION = 'v1';
var DEVICE_KINDS = ['npu', 'gpu', 'cpu'];
var FORMAT_TASKS = {
  onnx: 'graph',
  gguf: 'text-generation',
};
function defineBackendPlugin(plugin) {
  return plugin;
}

// ../../work/main/packages/core/dist/policy/policy.js
var POLICY_PRESETS = {
  'npu-first': ['npu', 'gpu', 'cpu'],
  'gpu-first': ['gpu', 'npu', 'cpu'],
  'cpu-only': ['cpu'],
};
var POLICY_ENV = 'NPU_FIRST_POLICY';
function parsePolicy(text, option = POLICY_ENV) {
  const trimmed = text.trim();
  if (trimmed === '') throw new InvalidOptionError(option, 'the policy is empty');
  if (trimmed in POLICY_PRESETS) return { order: POLICY_PRESETS[trimmed] };
  if (!trimmed.includes('=')) return { order: list(trimmed, option, 'order') };
  const policy = {};
  for (const clause of trimmed.split(';')) {
    if (clause.trim() === '') continue;
    const eq = clause.indexOf('=');
    const key = clause.slice(0, eq).trim();
    const value = clause.slice(eq + 1);
    if (eq < 0 || (key !== 'order' && key !== 'include' && key !== 'exclude')) {
      throw new InvalidOptionError(
        option,
        `"${clause.trim()}" is not order=\u2026, include=\u2026 or exclude=\u2026`,
      );
    }
    const values = list(value, option, key);
    const preset = values.length === 1 ? values[0] : '';
    policy[key] =
      key === 'order' && preset in POLICY_PRESETS ? [...POLICY_PRESETS[preset]] : values;
  }
  return policy;
}
function list(text, option, key) {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0) throw new InvalidOptionError(option, `${key} lists nothing`);
  for (const item of items) {
    if (!/^[a-z0-9@/._-]+$/i.test(item))
      throw new InvalidOptionError(option, `"${item}" is not a backend id or device kind`);
  }
  return items;
}
function resolvePolicy(policy, env) {
  const fromEnv = env[POLICY_ENV];
  if (fromEnv !== void 0 && fromEnv.trim() !== '') {
    return normalise(parsePolicy(fromEnv, POLICY_ENV), 'env');
  }
  if (policy === void 0) return normalise({ order: POLICY_PRESETS['npu-first'] }, 'default');
  if (typeof policy === 'string') return normalise(parsePolicy(policy, 'policy'), 'option');
  if (typeof policy !== 'object' || policy === null) {
    throw new InvalidOptionError('policy', 'expected a preset name or { order, include, exclude }');
  }
  for (const key of Object.keys(policy)) {
    if (key !== 'order' && key !== 'include' && key !== 'exclude') {
      throw new InvalidOptionError(`policy.${key}`, 'unknown key (use order, include, exclude)');
    }
  }
  for (const key of ['order', 'include', 'exclude']) {
    const value = policy[key];
    if (
      value !== void 0 &&
      (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === ''))
    ) {
      throw new InvalidOptionError(
        `policy.${key}`,
        'expected an array of backend ids or device kinds',
      );
    }
  }
  return normalise(policy, 'option');
}
function normalise(policy, source) {
  const order = policy.order ?? POLICY_PRESETS['npu-first'];
  if (order.length === 0) throw new InvalidOptionError('policy.order', 'the order is empty');
  const include = policy.include && policy.include.length > 0 ? policy.include : void 0;
  const exclude = policy.exclude ?? [];
  const parts = [`order=${order.join(',')}`];
  if (include) parts.push(`include=${include.join(',')}`);
  if (exclude.length > 0) parts.push(`exclude=${exclude.join(',')}`);
  const preset = Object.entries(POLICY_PRESETS).find(([, kinds]) => kinds.join() === order.join());
  const text = preset && !include && exclude.length === 0 ? preset[0] : parts.join(';');
  return { order, include, exclude, source, text };
}
function isDeviceKind(value) {
  return DEVICE_KINDS.includes(value);
}

// ../../work/main/packages/core/dist/chain/plan-chain.js
var TIER_PACKAGES = {
  npu: '@npu-first/backend-npu',
  gpu: '@npu-first/backend-gpu',
  cpu: '@npu-first/backend-cpu',
};
function byTierAndPriority(a, b) {
  const kind =
    DEVICE_KINDS.indexOf(a.backend.deviceKind) - DEVICE_KINDS.indexOf(b.backend.deviceKind);
  if (kind !== 0) return kind;
  const priority = (b.backend.priority ?? 0) - (a.backend.priority ?? 0);
  return priority !== 0 ? priority : a.backend.id.localeCompare(b.backend.id);
}
function planChain(entries, policy) {
  const sorted = [...entries].sort(byTierAndPriority);
  const used = /* @__PURE__ */ new Set();
  const steps = [];
  const exclusion = (entry) => {
    const { id, deviceKind } = entry.backend;
    if (policy.exclude.includes(id) || policy.exclude.includes(deviceKind)) {
      return `excluded by policy (${policy.text})`;
    }
    if (policy.include && !policy.include.includes(id) && !policy.include.includes(deviceKind)) {
      return `not in the policy's include list (${policy.text})`;
    }
    return void 0;
  };
  const take = (entry) => {
    used.add(entry);
    const reason = exclusion(entry);
    steps.push(
      reason === void 0 ? { type: 'backend', entry } : { type: 'excluded', entry, reason },
    );
  };
  for (const item of policy.order) {
    if (isDeviceKind(item)) {
      const ofKind = sorted.filter((e) => e.backend.deviceKind === item);
      if (ofKind.length === 0) {
        const kindLeftOut =
          policy.exclude.includes(item) ||
          (policy.include !== void 0 && !policy.include.includes(item));
        if (!kindLeftOut) steps.push({ type: 'empty-tier', deviceKind: item });
      }
      for (const entry of ofKind) if (!used.has(entry)) take(entry);
    } else {
      const entry = sorted.find((e) => e.backend.id === item);
      if (entry === void 0) steps.push({ type: 'missing', id: item });
      else if (!used.has(entry)) take(entry);
    }
  }
  for (const entry of sorted) {
    if (!used.has(entry)) {
      steps.push({
        type: 'excluded',
        entry,
        reason: `the policy (${policy.text}) does not list ${entry.backend.deviceKind} or ${entry.backend.id}`,
      });
    }
  }
  return steps;
}

// ../../work/main/packages/core/dist/discovery/find-packages.js
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

// ../../work/main/packages/core/dist/discovery/manifest.js
var MANIFEST_KEY = 'npu-first';
function readManifest(pkg) {
  const raw = pkg[MANIFEST_KEY];
  if (raw === void 0) return void 0;
  if (typeof raw !== 'object' || raw === null)
    return `"${MANIFEST_KEY}" in package.json must be an object`;
  const { specificationVersion, plugin } = raw;
  if (typeof plugin !== 'string' || plugin === '')
    return `"${MANIFEST_KEY}.plugin" must name the plugin entry file`;
  if (typeof specificationVersion !== 'string')
    return `"${MANIFEST_KEY}.specificationVersion" is missing`;
  return { specificationVersion, plugin };
}

// ../../work/main/packages/core/dist/discovery/find-packages.js
var DEPENDENCY_FIELDS = [
  'dependencies',
  'optionalDependencies',
  'devDependencies',
  'peerDependencies',
];
function findBackendPackages(roots) {
  const found = /* @__PURE__ */ new Map();
  for (const root of roots) {
    const appJson = nearestPackageJson(resolve(root));
    if (!appJson) continue;
    const app = readJson(appJson);
    if (!app) continue;
    const names2 = /* @__PURE__ */ new Set();
    for (const field of DEPENDENCY_FIELDS) {
      const deps = app[field];
      if (deps && typeof deps === 'object') for (const name of Object.keys(deps)) names2.add(name);
    }
    for (const name of names2) {
      if (found.has(name)) continue;
      const dir = resolvePackageDir(name, appJson);
      if (!dir) continue;
      const pkg = readJson(join(dir, 'package.json'));
      const manifest = pkg ? readManifest(pkg) : void 0;
      if (pkg && manifest !== void 0) {
        found.set(name, { name, version: String(pkg.version ?? '0.0.0'), dir, manifest });
      }
    }
  }
  return [...found.values()];
}
function nearestPackageJson(start) {
  let dir = start;
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return void 0;
    dir = parent;
  }
}
function resolvePackageDir(name, appJson) {
  try {
    return dirname(createRequire(appJson).resolve(`${name}/package.json`));
  } catch {}
  let dir = dirname(appJson);
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return void 0;
    dir = parent;
  }
}
function readJson(path) {
  try {
    const value = JSON.parse(readFileSync(path, 'utf8'));
    return value && typeof value === 'object' ? value : void 0;
  } catch {
    return void 0;
  }
}

// ../../work/main/packages/core/dist/discovery/load-plugin.js
import { join as join2 } from 'node:path';
import { pathToFileURL } from 'node:url';

// ../../work/main/packages/core/dist/util/timeout.js
function withTimeout(work, ms, operation, options = {}) {
  if (!Number.isFinite(ms)) return work;
  let timer;
  let timedOut = false;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      options.controller?.abort(new TimeoutError(operation, ms));
      reject(new TimeoutError(operation, ms));
    }, ms);
    timer.unref?.();
  });
  work.then(
    (value) => {
      if (timedOut) options.onLate?.(value);
    },
    () => {},
  );
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
function since(start) {
  return Math.round((performance.now() - start) * 100) / 100;
}
function messageOf(error) {
  if (error instanceof Error) return error.message;
  return String(error);
}

// ../../work/main/packages/core/dist/discovery/load-plugin.js
var SUPPORTED_SPECIFICATION_VERSIONS = [SPECIFICATION_VERSION];
async function loadPlugin(pkg) {
  const { manifest } = pkg;
  if (typeof manifest === 'string') throw new PluginError(pkg.name, manifest);
  checkVersion(pkg.name, manifest.specificationVersion);
  let mod;
  try {
    mod = await import(pathToFileURL(join2(pkg.dir, manifest.plugin)).href);
  } catch (error) {
    throw new PluginError(pkg.name, `importing ${manifest.plugin} failed: ${messageOf(error)}`, {
      cause: error,
    });
  }
  const plugin = mod.default;
  if (!plugin || typeof plugin.createBackends !== 'function') {
    throw new PluginError(
      pkg.name,
      `${manifest.plugin} must export default { specificationVersion, createBackends() }`,
    );
  }
  checkVersion(pkg.name, plugin.specificationVersion);
  let backends;
  try {
    backends = await plugin.createBackends();
  } catch (error) {
    throw new PluginError(pkg.name, `createBackends() threw: ${messageOf(error)}`, {
      cause: error,
    });
  }
  if (!Array.isArray(backends))
    throw new PluginError(pkg.name, 'createBackends() must return an array of backends');
  return backends.map((b) => validateBackend(b, pkg.name));
}
function checkVersion(plugin, version) {
  if (typeof version !== 'string' || !SUPPORTED_SPECIFICATION_VERSIONS.includes(version)) {
    throw new PluginError(
      plugin,
      `implements backend spec ${JSON.stringify(version)}; this runtime supports ${SUPPORTED_SPECIFICATION_VERSIONS.join(', ')}`,
    );
  }
}
function validateBackend(value, source) {
  const b = value;
  const problem = (what) =>
    new PluginError(source, `backend ${b && typeof b.id === 'string' ? `"${b.id}" ` : ''}${what}`);
  if (typeof b !== 'object' || b === null) throw problem('is not an object');
  if (typeof b.id !== 'string' || !/^[a-z0-9][a-z0-9._-]*$/.test(b.id))
    throw problem('needs an id of lower-case letters, digits, ".", "_" or "-"');
  if (!SUPPORTED_SPECIFICATION_VERSIONS.includes(b.specificationVersion)) {
    throw problem(
      `implements backend spec ${JSON.stringify(b.specificationVersion)}; this runtime supports ${SUPPORTED_SPECIFICATION_VERSIONS.join(', ')}`,
    );
  }
  if (!DEVICE_KINDS.includes(b.deviceKind))
    throw problem(`has deviceKind ${JSON.stringify(b.deviceKind)}; expected npu, gpu or cpu`);
  if (!Array.isArray(b.formats) || !Array.isArray(b.tasks))
    throw problem('must list formats and tasks');
  if (typeof b.probe !== 'function' || typeof b.load !== 'function')
    throw problem('must implement probe() and load()');
  if (b.priority !== void 0 && !Number.isFinite(b.priority))
    throw problem('has a non-numeric priority');
  return b;
}

// ../../work/main/packages/core/dist/discovery/plugin-filter.js
var PLUGINS_ALLOW_ENV = 'NPU_FIRST_PLUGINS_ALLOW';
var PLUGINS_DENY_ENV = 'NPU_FIRST_PLUGINS_DENY';
function names(value) {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
function pluginFilter(rules = {}, env = {}) {
  for (const key of ['allow', 'deny']) {
    const list2 = rules[key];
    if (list2 !== void 0 && (!Array.isArray(list2) || list2.some((n) => typeof n !== 'string'))) {
      throw new InvalidOptionError(`plugins.${key}`, 'expected an array of package names');
    }
  }
  const envAllow = names(env[PLUGINS_ALLOW_ENV]);
  const allow = rules.allow || envAllow.length > 0 ? [...(rules.allow ?? []), ...envAllow] : void 0;
  const deny = [...(rules.deny ?? []), ...names(env[PLUGINS_DENY_ENV])];
  return (name) => {
    if (deny.includes(name)) return 'not loaded: the plugin deny-list names it';
    if (allow && !allow.includes(name)) return 'not loaded: it is not on the plugin allow-list';
    return void 0;
  };
}

// ../../work/main/packages/core/dist/format/byte-source.js
import { open } from 'node:fs/promises';

function bytesSource(bytes) {
  return {
    size: bytes.byteLength,
    read: async (offset, length) =>
      bytes.subarray(offset, Math.min(offset + length, bytes.byteLength)),
    close: async () => {},
  };
}
var WINDOW = 64 * 1024;
async function fileSource(path, size) {
  const handle = await open(path, 'r');
  const total = size ?? (await handle.stat()).size;
  let windowStart = -1;
  let window = new Uint8Array(0);
  return {
    size: total,
    async read(offset, length) {
      const end = Math.min(offset + length, total);
      if (windowStart < 0 || offset < windowStart || end > windowStart + window.byteLength) {
        const n = Math.max(0, Math.min(Math.max(length, WINDOW), total - offset));
        window = new Uint8Array(n);
        if (n > 0) await handle.read(window, 0, n, offset);
        windowStart = offset;
      }
      return window.subarray(offset - windowStart, end - windowStart);
    },
    close: () => handle.close(),
  };
}

// ../../work/main/packages/core/dist/format/inspect-model.js
import { stat } from 'node:fs/promises';
import { basename, extname, resolve as resolve2 } from 'node:path';

// ../../work/main/packages/core/dist/format/gguf-header.js
var GGUF_MAGIC = [71, 71, 85, 70];
var GGUF_HEADER_BYTES = 24;
async function checkGgufHeader(source) {
  const head = await source.read(0, GGUF_HEADER_BYTES);
  if (head.length < 4 || GGUF_MAGIC.some((b, i) => head[i] !== b)) return { kind: 'not-gguf' };
  if (head.length < GGUF_HEADER_BYTES) {
    return {
      kind: 'damaged',
      reason: `truncated: ${source.size} bytes is shorter than a GGUF header`,
    };
  }
  const version = new DataView(head.buffer, head.byteOffset, head.byteLength).getUint32(4, true);
  if (version < 1 || version > 3) {
    return {
      kind: 'damaged',
      reason: `unknown GGUF version ${version} (this build reads 1\u20133)`,
    };
  }
  return { kind: 'gguf', version };
}

// ../../work/main/packages/core/dist/format/onnx-wire.js
var MODEL_PROTO_FIELDS = /* @__PURE__ */ new Map([
  [1, 0],
  // ir_version
  [2, 2],
  // producer_name
  [3, 2],
  // producer_version
  [4, 2],
  // domain
  [5, 0],
  // model_version
  [6, 2],
  // doc_string
  [7, 2],
  // graph
  [8, 2],
  // opset_import
  [14, 2],
  // metadata_props
  [20, 2],
  // training_info
  [21, 2],
  // configuration
  [25, 2],
  // functions
]);
var GRAPH_FIELD = 7;
var WIRE_VARINT = 0;
var WIRE_FIXED64 = 1;
var WIRE_LEN = 2;
var WIRE_FIXED32 = 5;
function readVarint(bytes) {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < bytes.length && i < 10; i++) {
    const b = bytes[i];
    value += (b & 127) * scale;
    scale *= 128;
    if ((b & 128) === 0) return { value, length: i + 1 };
  }
  return void 0;
}
async function walkOnnx(source) {
  let offset = 0;
  let fields = 0;
  let sawGraph = false;
  let irVersion;
  while (offset < source.size) {
    const head = await source.read(offset, 20);
    const tag = readVarint(head);
    const where = `at byte ${offset} of ${source.size}`;
    if (!tag) return broken(fields, `the file ends inside a field header ${where}`);
    const field = Math.floor(tag.value / 8);
    const wire = tag.value % 8;
    const expected = MODEL_PROTO_FIELDS.get(field);
    if (fields === 0 && expected !== wire) {
      return { kind: 'not-onnx', reason: 'the first bytes are not an ONNX ModelProto field' };
    }
    let next = offset + tag.length;
    if (wire === WIRE_VARINT) {
      const v = readVarint(head.subarray(tag.length));
      if (!v) return broken(fields, `the file ends inside field ${field} ${where}`);
      if (field === 1) irVersion = v.value;
      next += v.length;
    } else if (wire === WIRE_LEN) {
      const len = readVarint(head.subarray(tag.length));
      if (!len) return broken(fields, `the file ends inside field ${field} ${where}`);
      next += len.length + len.value;
      if (field === GRAPH_FIELD) sawGraph = true;
    } else if (wire === WIRE_FIXED64) {
      next += 8;
    } else if (wire === WIRE_FIXED32) {
      next += 4;
    } else {
      return broken(fields, `invalid protobuf wire type ${wire} ${where}`);
    }
    if (next > source.size) {
      const missing = next - source.size;
      const what = field === GRAPH_FIELD ? 'the graph' : `field ${field}`;
      return broken(
        fields + 1,
        `truncated: ${what} needs ${missing} more bytes than the file holds (${source.size} bytes)`,
      );
    }
    offset = next;
    fields++;
  }
  if (!sawGraph)
    return broken(fields, 'no graph: the file holds ONNX header fields but no GraphProto');
  return { kind: 'onnx', irVersion };
}
function broken(fieldsRead, reason) {
  return fieldsRead >= 1 ? { kind: 'damaged', reason } : { kind: 'not-onnx', reason };
}

// ../../work/main/packages/core/dist/format/inspect-model.js
var EXTENSIONS = { '.onnx': 'onnx', '.gguf': 'gguf' };
async function inspectModel(model) {
  if (typeof model === 'string') return inspectFile(model);
  if (!(model instanceof Uint8Array)) {
    throw new TypeError('runtime.load() takes a file path or a Uint8Array of model bytes');
  }
  const format = await detect(bytesSource(model), '<bytes>', void 0);
  return { format, name: '<bytes>', bytes: model, sizeBytes: model.byteLength };
}
async function inspectFile(input) {
  const path = resolve2(input);
  let size;
  try {
    const info = await stat(path);
    if (info.isDirectory())
      throw new ModelUnreadableError(path, 'it is a directory, not a model file');
    size = info.size;
  } catch (error) {
    throw fileError(error, path);
  }
  const name = basename(path);
  let source;
  try {
    source = await fileSource(path, size);
  } catch (error) {
    throw fileError(error, path);
  }
  try {
    const format = await detect(source, name, EXTENSIONS[extname(path).toLowerCase()]);
    return { format, name, path, sizeBytes: size };
  } finally {
    await source.close();
  }
}
function fileError(error, path) {
  if (ModelUnreadableError.isInstance(error)) return error;
  const code = error.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new ModelNotFoundError(path);
  const reason =
    code === 'EACCES' || code === 'EPERM' ? 'permission denied' : String(error.message);
  return new ModelUnreadableError(path, reason, { cause: error });
}
async function detect(source, name, byExtension) {
  if (source.size === 0) throw new CorruptModelError(name, 'the file is empty (0 bytes)');
  const gguf = await checkGgufHeader(source);
  if (gguf.kind === 'gguf') return 'gguf';
  if (gguf.kind === 'damaged') throw new CorruptModelError(name, gguf.reason);
  const onnx = await walkOnnx(source);
  if (onnx.kind === 'onnx') return 'onnx';
  if (onnx.kind === 'damaged' || byExtension === 'onnx') {
    throw new CorruptModelError(name, `not a valid ONNX model: ${onnx.reason}`);
  }
  if (byExtension === 'gguf') {
    throw new CorruptModelError(name, 'named .gguf but does not start with the GGUF magic bytes');
  }
  const head = await source.read(0, 8);
  const hex = Array.from(head, (b) => b.toString(16).padStart(2, '0')).join(' ');
  throw new UnsupportedFormatError(name, `neither ONNX nor GGUF (first bytes: ${hex})`);
}

// ../../work/main/packages/core/dist/runtime/create-runtime.js
import { dirname as dirname2 } from 'node:path';
import { fileURLToPath } from 'node:url';

// ../../work/main/packages/core/dist/chain/fallback-chain.js
async function runChain(request) {
  const attempts = [];
  const corrupt = [];
  let selected;
  for (const step of request.steps) {
    if (step.type === 'excluded') {
      attempts.push({
        backend: step.entry.backend.id,
        deviceKind: step.entry.backend.deviceKind,
        outcome: 'excluded',
        reason: step.reason,
        ms: 0,
      });
      continue;
    }
    if (selected) continue;
    if (step.type === 'empty-tier') {
      const kind = step.deviceKind;
      attempts.push({
        backend: null,
        deviceKind: kind,
        outcome: 'unavailable',
        reason: `no ${kind.toUpperCase()} backend is installed (add ${TIER_PACKAGES[kind]})`,
        ms: 0,
      });
      continue;
    }
    if (step.type === 'missing') {
      attempts.push({
        backend: step.id,
        deviceKind: null,
        outcome: 'unavailable',
        reason: `the policy names backend "${step.id}", which is not installed`,
        ms: 0,
      });
      continue;
    }
    const result = await tryBackend(step.entry, request);
    attempts.push(result.attempt);
    if (result.loaded) selected = { loaded: result.loaded, entry: step.entry };
    if (CorruptModelError.isInstance(result.error)) corrupt.push(result.error.reason);
  }
  if (selected) return { ...selected, attempts };
  throw chainError(request.model, attempts, corrupt);
}
async function tryBackend(entry, request) {
  const { backend } = entry;
  const { model } = request;
  const start = performance.now();
  const base = { backend: backend.id, deviceKind: backend.deviceKind };
  if (!backend.formats.includes(model.format)) {
    const reason = `takes ${backend.formats.join('/') || 'no'} models; this is ${model.format}`;
    return { attempt: { ...base, outcome: 'rejected', reason, ms: since(start) } };
  }
  const task = FORMAT_TASKS[model.format];
  if (!backend.tasks.includes(task)) {
    const reason = `serves ${backend.tasks.join('/')} models; this ${model.format} model needs ${task}`;
    return { attempt: { ...base, outcome: 'rejected', reason, ms: since(start) } };
  }
  const probe = await entry.probe();
  if (!probe.available) {
    return {
      attempt: {
        ...base,
        outcome: 'unavailable',
        reason: probe.reason ?? 'probe reported unavailable',
        ms: since(start),
      },
    };
  }
  const controller = new AbortController();
  const context = {
    options: request.options,
    backendOptions: request.backendOptions[backend.id],
    probe,
    signal: controller.signal,
  };
  try {
    if (backend.accepts) {
      const verdict = await backend.accepts(model, context);
      if (!verdict.accepted)
        return {
          attempt: { ...base, outcome: 'rejected', reason: verdict.reason, ms: since(start) },
        };
    }
    const loaded = await withTimeout(
      backend.load(model, context),
      request.loadTimeoutMs,
      `${backend.id} load()`,
      {
        controller,
        onLate: (late) => void late.dispose().catch(() => {}),
      },
    );
    const note = loaded.task === 'graph' ? loaded.placementNote : void 0;
    const reason = `runs on ${loaded.device.name}${note ? `: ${note}` : ''}`;
    return { attempt: { ...base, outcome: 'selected', reason, ms: since(start) }, loaded };
  } catch (error) {
    const code = NpuFirstError.isInstance(error) ? error.code : void 0;
    const outcome = ModelRejectedError.isInstance(error) ? 'rejected' : 'failed';
    const reason = ModelRejectedError.isInstance(error) ? error.reason : messageOf(error);
    const attempt = {
      ...base,
      outcome,
      reason,
      ms: since(start),
      ...(code ? { code } : {}),
    };
    return { attempt, error };
  }
}
function chainError(model, attempts, corruptReasons) {
  const tried = attempts.filter((a) => a.outcome === 'failed' || a.outcome === 'rejected');
  if (tried.length > 0 && tried.every((a) => a.code === 'MODEL_CORRUPT')) {
    const error = new CorruptModelError(model.name, [...new Set(corruptReasons)].join('; '));
    error.attempts = attempts;
    return error;
  }
  return new AllBackendsFailedError(model.name, attempts);
}

// ../../work/main/packages/core/dist/discovery/collect-backends.js
async function collectBackends(request) {
  const found = [];
  const broken2 = [];
  for (const item of request.explicit ?? []) {
    const backends = isPlugin(item) ? await item.createBackends() : [item];
    for (const backend of backends) {
      found.push({
        backend: validateBackend(backend, isPlugin(item) ? 'explicit plugin' : 'explicit backend'),
        source: 'explicit',
      });
    }
  }
  if (request.discover) {
    const packages = findBackendPackages(request.roots);
    const loaded = await Promise.all(
      packages.map(async (pkg) => {
        const left = request.excluded(pkg.name);
        if (left) return { pkg, error: left };
        try {
          return {
            pkg,
            backends: await withTimeout(
              loadPlugin(pkg),
              request.pluginTimeoutMs,
              `importing ${pkg.name}`,
            ),
          };
        } catch (error) {
          return { pkg, error: PluginError.isInstance(error) ? error.reason : messageOf(error) };
        }
      }),
    );
    for (const item of loaded) {
      if ('error' in item) {
        broken2.push(unusable(item.pkg.name, null, 'discovered', item.pkg.name, item.error));
      } else {
        for (const backend of item.backends)
          found.push({ backend, source: 'discovered', packageName: item.pkg.name });
      }
    }
  }
  const collected = [];
  const seen = /* @__PURE__ */ new Set();
  for (const c of found) {
    if (seen.has(c.backend.id)) {
      const reason = 'another backend already uses this id; this one is ignored';
      broken2.push(
        unusable(
          c.backend.id,
          c.backend.deviceKind,
          c.source,
          c.packageName,
          reason,
          c.backend.displayName,
        ),
      );
      continue;
    }
    seen.add(c.backend.id);
    collected.push(c);
  }
  return { collected, broken: broken2 };
}
function unusable(id, deviceKind, source, packageName, reason, displayName = id) {
  return {
    id,
    deviceKind,
    displayName,
    source,
    ...(packageName ? { package: packageName } : {}),
    available: false,
    reason,
    devices: [],
    probeMs: 0,
  };
}
function isPlugin(item) {
  return typeof item.createBackends === 'function';
}

// ../../work/main/packages/core/dist/probing/probe-backend.js
async function probeBackend(backend, timeoutMs) {
  const start = performance.now();
  try {
    const result = await withTimeout(
      Promise.resolve().then(() => backend.probe()),
      timeoutMs,
      `${backend.id} probe()`,
    );
    if (typeof result !== 'object' || result === null || typeof result.available !== 'boolean') {
      return {
        available: false,
        devices: [],
        reason: 'probe() returned a malformed result',
        ms: since(start),
      };
    }
    const devices = Array.isArray(result.devices) ? result.devices : [];
    const reason = result.available ? result.reason : (result.reason ?? 'probe() gave no reason');
    return {
      available: result.available,
      devices,
      ...(reason ? { reason } : {}),
      ms: since(start),
    };
  } catch (error) {
    return {
      available: false,
      devices: [],
      reason: `probe failed: ${messageOf(error)}`,
      ms: since(start),
    };
  }
}

// ../../work/main/packages/core/dist/runtime/load-options.js
var KEYS = /* @__PURE__ */ new Set([
  'policy',
  'backendOptions',
  'loadTimeoutMs',
  'threads',
  'graphOptimizationLevel',
  'contextSize',
  'task',
]);
var TASKS = ['graph', 'text-generation'];
var LEVELS = ['disabled', 'basic', 'extended', 'all'];
function checkLoadOptions(options) {
  if (typeof options !== 'object' || options === null)
    throw new InvalidOptionError('options', 'expected an object');
  for (const key of Object.keys(options)) {
    if (!KEYS.has(key))
      throw new InvalidOptionError(key, `unknown load option (known: ${[...KEYS].join(', ')})`);
  }
  const { threads, graphOptimizationLevel, backendOptions, loadTimeoutMs, contextSize, task } =
    options;
  if (task !== void 0 && !TASKS.includes(task)) {
    throw new InvalidOptionError('task', `expected ${TASKS.join(' or ')}, got ${String(task)}`);
  }
  if (contextSize !== void 0 && !(Number.isInteger(contextSize) && contextSize >= 16)) {
    throw new InvalidOptionError(
      'contextSize',
      `expected a whole number of tokens \u2265 16, got ${String(contextSize)}`,
    );
  }
  if (threads !== void 0 && !(Number.isInteger(threads) && threads >= 1 && threads <= 1024)) {
    throw new InvalidOptionError(
      'threads',
      `expected a whole number from 1 to 1024, got ${String(threads)}`,
    );
  }
  if (graphOptimizationLevel !== void 0 && !LEVELS.includes(graphOptimizationLevel)) {
    throw new InvalidOptionError(
      'graphOptimizationLevel',
      `expected one of ${LEVELS.join(', ')}, got ${String(graphOptimizationLevel)}`,
    );
  }
  if (loadTimeoutMs !== void 0 && !(typeof loadTimeoutMs === 'number' && loadTimeoutMs > 0)) {
    throw new InvalidOptionError('loadTimeoutMs', 'expected a positive number of milliseconds');
  }
  if (backendOptions !== void 0) {
    if (typeof backendOptions !== 'object' || backendOptions === null) {
      throw new InvalidOptionError('backendOptions', 'expected { [backendId]: { \u2026options } }');
    }
    for (const [id, value] of Object.entries(backendOptions)) {
      if (typeof value !== 'object' || value === null)
        throw new InvalidOptionError(`backendOptions.${id}`, 'expected an object');
    }
  }
}

// ../../work/main/packages/core/dist/runtime/placed-model.js
var PlacedGraphModel = class {
  task = 'graph';
  #inner;
  placement;
  constructor(inner, placement) {
    this.#inner = inner;
    this.placement = placement;
  }
  get inputs() {
    return this.#inner.inputs;
  }
  get outputs() {
    return this.#inner.outputs;
  }
  get device() {
    return this.#inner.device;
  }
  run(feeds, options) {
    return this.#inner.run(feeds, options);
  }
  dispose() {
    return this.#inner.dispose();
  }
  [Symbol.asyncDispose]() {
    return this.#inner.dispose();
  }
};
var PlacedTextGenerator = class {
  task = 'text-generation';
  #inner;
  placement;
  constructor(inner, placement) {
    this.#inner = inner;
    this.placement = placement;
  }
  get device() {
    return this.#inner.device;
  }
  get contextSize() {
    return this.#inner.contextSize;
  }
  generate(input, options) {
    return this.#inner.generate(input, options);
  }
  stream(input, options) {
    return this.#inner.stream(input, options);
  }
  dispose() {
    return this.#inner.dispose();
  }
  [Symbol.asyncDispose]() {
    return this.#inner.dispose();
  }
};
function placeModel(inner, placement) {
  return inner.task === 'graph'
    ? new PlacedGraphModel(inner, placement)
    : new PlacedTextGenerator(inner, placement);
}

// ../../work/main/packages/core/dist/runtime/create-runtime.js
var RUNTIME_KEYS = /* @__PURE__ */ new Set([
  'plugins',
  'pluginTimeoutMs',
  'probe',
  'backends',
  'discover',
  'roots',
  'policy',
  'probeTimeoutMs',
  'loadTimeoutMs',
  'env',
]);
async function createRuntime(options = {}) {
  for (const key of Object.keys(options)) {
    if (!RUNTIME_KEYS.has(key))
      throw new InvalidOptionError(
        key,
        `unknown runtime option (known: ${[...RUNTIME_KEYS].join(', ')})`,
      );
  }
  const env = options.env ?? process.env;
  resolvePolicy(options.policy, env);
  const probeTimeoutMs = options.probeTimeoutMs ?? 1e4;
  const eager = (options.probe ?? 'eager') === 'eager';
  if (!['eager', 'lazy'].includes(options.probe ?? 'eager')) {
    throw new InvalidOptionError(
      'probe',
      `expected "eager" or "lazy", got ${String(options.probe)}`,
    );
  }
  const defaultLoadTimeoutMs = options.loadTimeoutMs ?? 3e5;
  const start = performance.now();
  const { collected, broken: broken2 } = await collectBackends({
    explicit: options.backends,
    discover: options.discover ?? options.backends === void 0,
    roots: options.roots ?? defaultRoots(),
    excluded: pluginFilter(options.plugins, env),
    pluginTimeoutMs: options.pluginTimeoutMs ?? 1e4,
  });
  const entries = collected.map((c) => {
    let probed;
    const probe = () => {
      probed ??= probeBackend(c.backend, probeTimeoutMs);
      return probed;
    };
    if (eager) void probe();
    return { ...c, probe };
  });
  entries.sort(byTierAndPriority);
  const discoveryMs = since(start);
  const load = async (model, loadOptions = {}) => {
    checkLoadOptions(loadOptions);
    const t0 = performance.now();
    const policy = resolvePolicy(loadOptions.policy ?? options.policy, env);
    const descriptor = await inspectModel(model);
    const task = FORMAT_TASKS[descriptor.format];
    if (loadOptions.task !== void 0 && loadOptions.task !== task) {
      throw new UnsupportedFormatError(
        descriptor.name,
        `a ${loadOptions.task} model was asked for, but this is ${descriptor.format === 'onnx' ? 'an ONNX graph' : 'a GGUF text-generation'} model`,
      );
    }
    const { loaded, entry, attempts } = await runChain({
      model: descriptor,
      steps: planChain(entries, policy),
      options: commonOptions(loadOptions),
      backendOptions: loadOptions.backendOptions ?? {},
      loadTimeoutMs: loadOptions.loadTimeoutMs ?? defaultLoadTimeoutMs,
    });
    const placement = {
      backend: entry.backend.id,
      deviceKind: entry.backend.deviceKind,
      device: loaded.device.name,
      attempts,
      policy: { source: policy.source, text: policy.text },
      model: {
        name: descriptor.name,
        format: descriptor.format,
        sizeBytes: descriptor.sizeBytes,
      },
      totalMs: since(t0),
    };
    return placeModel(loaded, placement);
  };
  return {
    discoveryMs,
    async backends() {
      const reports = await Promise.all(entries.map(async (e) => report(e, await e.probe())));
      return [...reports, ...broken2];
    },
    // The overloads narrow the result by `task`, which `load` has checked against the model.
    load,
  };
}
function commonOptions({ threads, graphOptimizationLevel, contextSize }) {
  return {
    ...(threads !== void 0 ? { threads } : {}),
    ...(graphOptimizationLevel ? { graphOptimizationLevel } : {}),
    ...(contextSize !== void 0 ? { contextSize } : {}),
  };
}
function defaultRoots() {
  const main = process.argv[1];
  return main ? [process.cwd(), dirname2(main)] : [process.cwd()];
}
function report(entry, probe) {
  const { backend } = entry;
  return {
    id: backend.id,
    deviceKind: backend.deviceKind,
    displayName: backend.displayName ?? backend.id,
    source: entry.source,
    ...(entry.packageName ? { package: entry.packageName } : {}),
    available: probe.available,
    ...(probe.reason ? { reason: probe.reason } : {}),
    devices: probe.devices,
    probeMs: probe.ms,
  };
}
function dirOf(moduleUrl) {
  return dirname2(fileURLToPath(moduleUrl));
}

// ../../work/main/packages/core/dist/spec/lazy-backend.js
function lazyBackend(descriptor, implement) {
  let real;
  const get = () => {
    real ??= implement().then((backend) => {
      if (backend.id !== descriptor.id) {
        throw new Error(`lazy backend "${descriptor.id}" was implemented as "${backend.id}"`);
      }
      return backend;
    });
    return real;
  };
  return {
    ...descriptor,
    probe: async () => (await get()).probe(),
    accepts: async (model, context) => {
      const backend = await get();
      return backend.accepts ? backend.accepts(model, context) : { accepted: true };
    },
    load: async (model, context) => (await get()).load(model, context),
  };
}

// ../../work/main/packages/core/dist/spec/tensor.js
var ARRAY_CONSTRUCTORS = {
  float32: Float32Array,
  float64: Float64Array,
  float16: Uint16Array,
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int64: BigInt64Array,
  uint64: BigUint64Array,
  bool: Uint8Array,
};
var DTYPES = [...Object.keys(ARRAY_CONSTRUCTORS), 'string'];
function dataMatchesType(type, data) {
  if (type === 'string') return Array.isArray(data);
  const ctor = ARRAY_CONSTRUCTORS[type];
  return ctor !== void 0 && data instanceof ctor;
}
function storageName(type) {
  return type === 'string' ? 'string[]' : ARRAY_CONSTRUCTORS[type].name;
}
function describeData(data) {
  if (Array.isArray(data)) return 'Array';
  if (ArrayBuffer.isView(data)) return data.constructor.name;
  return data === null ? 'null' : typeof data;
}
function allocate(type, count) {
  if (type === 'string') return new Array(count).fill('');
  const ctor = ARRAY_CONSTRUCTORS[type];
  return new ctor(count);
}
function elementCount(dims) {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}
function tensor(type, data, dims = [data.length]) {
  if (!dataMatchesType(type, data)) {
    throw new TypeError(`tensor(): ${type} needs ${storageName(type)}, got ${describeData(data)}`);
  }
  if (elementCount(dims) !== data.length) {
    throw new TypeError(
      `tensor(): dims [${dims.join(', ')}] hold ${elementCount(dims)} elements but data has ${data.length}`,
    );
  }
  return { type, data, dims };
}
function formatShape(shape) {
  if (shape === null) return '[any rank]';
  return `[${shape.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;
}

// ../../work/main/packages/core/dist/validation/check-generation.js
var DEFAULT_MAX_TOKENS = 256;
var OPTION_KEYS = /* @__PURE__ */ new Set([
  'maxTokens',
  'temperature',
  'topP',
  'seed',
  'stop',
  'signal',
]);
var ROLES = /* @__PURE__ */ new Set(['system', 'user', 'assistant']);
function checkGenerationInput(input) {
  if (typeof input === 'string') {
    if (input.trim() === '')
      throw new InvalidInputError('prompt', 'a non-empty prompt', 'an empty string');
    return;
  }
  if (!Array.isArray(input))
    throw new InvalidInputError('prompt', 'a string or an array of chat messages', typeof input);
  if (input.length === 0)
    throw new InvalidInputError('messages', 'at least one message', 'an empty array');
  input.forEach((m, i) => {
    if (
      typeof m !== 'object' ||
      m === null ||
      !ROLES.has(m.role) ||
      typeof m.content !== 'string'
    ) {
      throw new InvalidInputError(
        `messages[${i}]`,
        '{ role: "system" | "user" | "assistant", content: string }',
        JSON.stringify(m),
      );
    }
  });
  const last = input[input.length - 1];
  if (last.role !== 'user' || last.content.trim() === '') {
    throw new InvalidInputError(
      `messages[${input.length - 1}]`,
      'a last message from the user with text',
      `a ${last.role} message${last.content.trim() === '' ? ' with no text' : ''}`,
    );
  }
}
function checkGenerateOptions(options, contextSize) {
  if (typeof options !== 'object' || options === null)
    throw new InvalidOptionError('options', 'expected an object');
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.has(key))
      throw new InvalidOptionError(
        key,
        `unknown generation option (known: ${[...OPTION_KEYS].join(', ')})`,
      );
  }
  const {
    maxTokens = Math.min(DEFAULT_MAX_TOKENS, contextSize),
    temperature = 0,
    topP,
    seed,
    stop = [],
    signal,
  } = options;
  if (!Number.isInteger(maxTokens) || maxTokens < 1) {
    throw new InvalidOptionError(
      'maxTokens',
      `expected a whole number \u2265 1, got ${String(maxTokens)}`,
    );
  }
  if (maxTokens > contextSize) {
    throw new InvalidOptionError(
      'maxTokens',
      `${maxTokens} is more than the model's context of ${contextSize} tokens`,
    );
  }
  if (typeof temperature !== 'number' || !(temperature >= 0 && temperature <= 100)) {
    throw new InvalidOptionError(
      'temperature',
      `expected a number from 0 to 100, got ${String(temperature)}`,
    );
  }
  if (topP !== void 0 && !(typeof topP === 'number' && topP > 0 && topP <= 1)) {
    throw new InvalidOptionError('topP', `expected a number in (0, 1], got ${String(topP)}`);
  }
  if (seed !== void 0 && !(Number.isInteger(seed) && seed >= 0 && seed <= 4294967295)) {
    throw new InvalidOptionError(
      'seed',
      `expected a whole number from 0 to 4294967295, got ${String(seed)}`,
    );
  }
  if (!Array.isArray(stop) || stop.some((s) => typeof s !== 'string' || s === '')) {
    throw new InvalidOptionError('stop', 'expected an array of non-empty strings');
  }
  if (signal !== void 0 && !(signal instanceof AbortSignal)) {
    throw new InvalidOptionError('signal', 'expected an AbortSignal');
  }
  return { maxTokens, temperature, topP, seed, stop, signal };
}

// ../../work/main/packages/core/dist/validation/validate-feeds.js
function validateFeeds(inputs, feeds) {
  if (typeof feeds !== 'object' || feeds === null || Array.isArray(feeds)) {
    throw new InvalidInputError(
      '(feeds)',
      'an object mapping input names to tensors',
      describeData(feeds),
    );
  }
  const symbols = /* @__PURE__ */ new Map();
  for (const info of inputs) {
    const feed = feeds[info.name];
    if (feed === void 0) {
      throw new InvalidInputError(
        info.name,
        `a ${describeInfo(info)} tensor (required input)`,
        'no feed',
      );
    }
    checkTensor(info, feed, symbols);
  }
  if (Object.keys(feeds).length !== inputs.length) {
    for (const name of Object.keys(feeds)) {
      if (!inputs.some((i) => i.name === name)) {
        const known = inputs.map((i) => `"${i.name}"`).join(', ');
        throw new InvalidInputError(
          name,
          `one of the model's inputs (${known})`,
          'an unknown input name',
        );
      }
    }
  }
}
function describeInfo(info) {
  return `${info.type} ${formatShape(info.shape)}`;
}
function checkTensor(info, feed, symbols) {
  const name = info.name;
  if (
    typeof feed !== 'object' ||
    feed === null ||
    !('type' in feed) ||
    !('data' in feed) ||
    !('dims' in feed)
  ) {
    throw new InvalidInputError(name, 'a tensor { type, data, dims }', describeData(feed));
  }
  const { type, data, dims } = feed;
  if (info.type !== 'unknown' && type !== info.type) {
    throw new InvalidInputError(name, `dtype ${info.type}`, `dtype ${String(type)}`);
  }
  if (!dataMatchesType(type, data)) {
    throw new InvalidInputError(
      name,
      `${storageName(type)} data for dtype ${type}`,
      `${describeData(data)} data`,
    );
  }
  if (!Array.isArray(dims) || dims.some((d) => !Number.isSafeInteger(d) || d < 0)) {
    throw new InvalidInputError(
      name,
      'dims of non-negative integers',
      `dims ${JSON.stringify(dims)}`,
    );
  }
  const count = elementCount(dims);
  if (count !== data.length) {
    throw new InvalidInputError(
      name,
      `${count} elements for dims [${dims.join(', ')}]`,
      `${data.length} elements of data`,
    );
  }
  const shape = info.shape;
  if (shape === null) return;
  if (dims.length !== shape.length) {
    throw new InvalidInputError(
      name,
      `rank ${shape.length} ${formatShape(shape)}`,
      `rank ${dims.length} [${dims.join(', ')}]`,
    );
  }
  for (let i = 0; i < shape.length; i++) {
    const want = shape[i];
    const got = dims[i];
    if (typeof want === 'number') {
      if (want >= 0 && want !== got) {
        throw new InvalidInputError(
          name,
          `dimension ${i} to be ${want} (shape ${formatShape(shape)})`,
          `${got} (dims [${dims.join(', ')}])`,
        );
      }
    } else if (typeof want === 'string' && want !== '') {
      const seen = symbols.get(want);
      if (seen === void 0) symbols.set(want, { value: got, input: name });
      else if (seen.value !== got) {
        throw new InvalidInputError(
          name,
          `dimension ${i} ("${want}") to be ${seen.value}, as in input "${seen.input}"`,
          `${got}`,
        );
      }
    }
  }
}

export {
  AllBackendsFailedError,
  allocate,
  BackendLoadError,
  BackendUnavailableError,
  bytesSource,
  ContextOverflowError,
  CorruptModelError,
  checkGenerateOptions,
  checkGenerationInput,
  createRuntime,
  DEFAULT_MAX_TOKENS,
  DEVICE_KINDS,
  DTYPES,
  dataMatchesType,
  defineBackendPlugin,
  describeData,
  dirOf,
  EngineMissingError,
  elementCount,
  FORMAT_TASKS,
  fileSource,
  findBackendPackages,
  formatShape,
  GenerationAbortedError,
  InvalidInputError,
  InvalidOptionError,
  inspectModel,
  lazyBackend,
  MANIFEST_KEY,
  ModelDisposedError,
  ModelDownloadError,
  ModelNotFoundError,
  ModelRejectedError,
  ModelUnreadableError,
  messageOf,
  NpuFirstError,
  PLUGINS_ALLOW_ENV,
  PLUGINS_DENY_ENV,
  PlacedGraphModel,
  PlacedTextGenerator,
  PluginError,
  POLICY_ENV,
  POLICY_PRESETS,
  parsePolicy,
  placeModel,
  planChain,
  pluginFilter,
  RunFailedError,
  readVarint,
  resolvePolicy,
  SPECIFICATION_VERSION,
  SUPPORTED_SPECIFICATION_VERSIONS,
  storageName,
  TIER_PACKAGES,
  TimeoutError,
  tensor,
  UnsupportedFormatError,
  validateFeeds,
};
