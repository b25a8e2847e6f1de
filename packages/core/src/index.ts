export type { BackendEntry, TimedProbe } from './chain/backend-entry.js';
export { type DryRunStep, dryRunChain } from './chain/dry-run-chain.js';
export {
  type ChainStep,
  planChain,
  TIER_PACKAGES,
  type UnloadablePlugin,
} from './chain/plan-chain.js';
export { type BackendPackage, findBackendPackages } from './discovery/find-packages.js';
export { SUPPORTED_SPECIFICATION_VERSIONS } from './discovery/load-plugin.js';
export { type BackendManifest, MANIFEST_KEY } from './discovery/manifest.js';
export {
  PLUGINS_ALLOW_ENV,
  PLUGINS_DENY_ENV,
  type PluginRules,
  pluginFilter,
} from './discovery/plugin-filter.js';
export * from './errors/index.js';
export { type ByteSource, bytesSource, fileSource } from './format/byte-source.js';
export { inspectModel, type ModelInput } from './format/inspect-model.js';
export { readVarint } from './format/onnx-wire.js';
// Backend spec v2: core's lifecycles, for testkits and tools that load a v2 backend directly.
export { GraphLifecycle } from './lifecycle/graph-lifecycle.js';
export { type LifecycleModel, openLifecycle } from './lifecycle/open-lifecycle.js';
export type {
  Attempt,
  AttemptOutcome,
  Measurement,
  Placement,
  PolicySource,
  SelectionReport,
  ServingMove,
} from './placement/placement.js';
export {
  DEFAULT_TOLERANCE,
  POLICY_ENV,
  POLICY_PRESETS,
  type Policy,
  type PolicyObject,
  type PolicyPreset,
  type PolicyText,
  parsePolicy,
  type ResolvedPolicy,
  resolvePolicy,
  SELECTIONS,
  type Selection,
} from './policy/policy.js';
export {
  type BackendReport,
  createRuntime,
  type DryRun,
  dirOf,
  packageRootOf,
  type Runtime,
  type RuntimeOptions,
} from './runtime/create-runtime.js';
export { checkLoadOptions, type LoadOptions } from './runtime/load-options.js';
export {
  PlacedGraphModel,
  type PlacedModel,
  PlacedTextGenerator,
  placeModel,
} from './runtime/placed-model.js';
export { modelFingerprint } from './selection/model-fingerprint.js';
export { REFERENCE_REQUEST } from './selection/reference-request.js';
export {
  checkDimNames,
  describeFeeds,
  dimName,
  guessDim,
  MAX_GENERATED_BYTES,
  randomTensor,
  type TrialOptions,
} from './selection/trial-inputs.js';
export { PLACEMENT_CACHE_ENV } from './selection/verdict-cache.js';
export { CALLER_ERROR_CODES, isCallerError } from './serving/caller-errors.js';
export { type CircuitBreakerOptions, DEFAULT_BREAKER } from './serving/circuit-breaker.js';
export type { ServingEvent, ServingListener } from './serving/serving-model.js';
export * from './spec/backend.js';
export type {
  BackendOptions,
  BackendOptionsMap,
  LlamaGpuOptions,
  NpuShapeOptions,
  OrtGpuOptions,
  OrtSessionSettings,
  ShapePins,
} from './spec/backend-options.js';
export type {
  BackendCapabilities,
  BackendPluginV2,
  BackendV2,
  CheckedGeneration,
  CoverageDetails,
  GenerationSession,
  GraphSession,
  JsonValue,
  LoadedSession,
  PlacementDetails,
  SessionEmbedding,
  SessionGeneration,
  ThreadsDetails,
} from './spec/backend-v2.js';
export {
  isKnownBackendId,
  KNOWN_BACKEND_IDS,
  type KnownBackendId,
} from './spec/known-backends.js';
export { type BackendDescriptor, lazyBackend } from './spec/lazy-backend.js';
export * from './spec/tensor.js';
export * from './spec/text-generation.js';
export { type AnyBackend, adaptV1, isBackendV2 } from './spec/v1-adapter.js';
export { envMilliseconds } from './util/env-milliseconds.js';
export { cacheFilePath, readCacheFile, writeCacheEntries } from './util/json-cache.js';
export { median } from './util/stats.js';
export { messageOf } from './util/timeout.js';
export { checkEmbeddingInput, checkEmbedOptions } from './validation/check-embedding.js';
export {
  type CheckedGenerateOptions,
  checkGenerateOptions,
  checkGenerationInput,
  DEFAULT_MAX_TOKENS,
} from './validation/check-generation.js';
export { checkRunOptions } from './validation/check-run-options.js';
export { didYouMean, nearestName } from './validation/did-you-mean.js';
export { validateFeeds } from './validation/validate-feeds.js';
