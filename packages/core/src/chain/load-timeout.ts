/**
 * The default bound on one backend's `accepts()` + `load()` for a model of `sizeBytes`:
 * a base for the engine's start-up and a small model's compilation, plus time to read the
 * file at a slow disk's rate and about as long again for the engine to convert or upload it.
 *
 * - 30 s base: an engine starts and compiles a small graph in well under that (NPU graph
 *   compilers, the slowest, take seconds to tens of seconds on first load).
 * - 10 MB/s: reading at 20 MB/s — the slow end of what models are loaded from (USB 2 drives,
 *   SD cards, network shares; an HDD reads 100 MB/s and more) — plus an equal time for the work
 *   that grows with size (weight conversion, GPU upload).
 *
 * So a 2 MB model gets 30 s (not the five minutes a hung backend used to hold the CPU tier
 * back), a 500 MB one about 80 s, a 4 GB language model about 7 minutes.
 * `loadTimeoutMs` (runtime or load option) overrides it.
 */
export function defaultLoadTimeoutMs(sizeBytes: number): number {
  const size = Number.isFinite(sizeBytes) && sizeBytes > 0 ? sizeBytes : 0;
  return LOAD_TIMEOUT_BASE_MS + Math.ceil(size / LOAD_BYTES_PER_MS);
}

/** The base of the default load time-out, in ms. */
export const LOAD_TIMEOUT_BASE_MS = 30_000;
/** The rate the default load time-out allows for the size of the model: 10 MB/s, in bytes per ms. */
export const LOAD_BYTES_PER_MS = 10_000;
