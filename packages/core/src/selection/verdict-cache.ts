import { cacheFilePath, readCacheFile, writeCacheEntries } from '../util/json-cache.js';
import { messageOf } from '../util/timeout.js';

/** The environment variable that moves the placement cache (`off` turns it off). */
export const PLACEMENT_CACHE_ENV = 'NPU_FIRST_PLACEMENT_CACHE';

const MAX_ENTRIES = 512;

/**
 * One candidate's trial, as kept on disk; or, with `rejected`, why the backend would not take
 * the model (a refusal depends on the model and the backend only, so it is kept too — a
 * failed load is not: it may not fail next time).
 */
export interface StoredVerdict {
  readonly rejected?: { readonly reason: string; readonly code?: string };
  readonly msPerRun?: number;
  readonly runs: number;
  readonly promptTokensPerSecond?: number;
  readonly tokensPerSecond?: number;
  readonly outputs: 'agree' | 'differ' | 'unchecked';
  readonly failure?: string;
  readonly at: string;
}

/** What a verdict is about: change any part and the candidate is measured again. */
export interface VerdictSubject {
  /** {@link modelFingerprint} of the model's content. */
  readonly model: string;
  /** The inputs it ran on (`describeFeeds`), or the trial's generation settings. */
  readonly inputs: string;
  readonly backend: string;
  readonly device: string;
  /** The engine and version its probe reported (empty when it reported none). */
  readonly engine: string;
}

export function verdictKey(s: VerdictSubject): string {
  return [s.model, s.inputs, s.backend, s.device, s.engine].join('|');
}

/**
 * Measured placement verdicts on disk (`placement.json` beside the tuning cache). Reads never
 * throw: a missing file is empty, an unreadable one or one that is not an npu-first cache is
 * ignored, left untouched and `problems` says so; a failed write is reported the same way, and
 * the model is served all the same.
 */
export class VerdictCache {
  readonly path: string | undefined;
  readonly problems: string[] = [];
  #entries: Promise<Record<string, unknown>> | undefined;
  /** The file could not be used (not ours, unreadable): it is left alone, and said once. */
  #unusable = false;

  /**
   * `env` is the runtime's environment; where it says nothing of the cache, the process's
   * does (the cache's place is the machine's, like `HOME`).
   */
  constructor(env: Readonly<Record<string, string | undefined>>) {
    this.path = cacheFilePath(PLACEMENT_CACHE_ENV, 'placement.json', { ...process.env, ...env });
  }

  async get(subject: VerdictSubject): Promise<StoredVerdict | undefined> {
    if (this.path === undefined) return undefined;
    this.#entries ??= readCacheFile(this.path).then(({ entries, problem }) => {
      if (problem) {
        this.#unusable = true;
        this.problems.push(`placement cache ignored: ${problem}`);
      }
      return entries;
    });
    const entry = (await this.#entries)[verdictKey(subject)];
    return isVerdict(entry) ? entry : undefined;
  }

  async put(verdicts: ReadonlyMap<VerdictSubject, StoredVerdict>): Promise<void> {
    if (this.path === undefined || verdicts.size === 0 || this.#unusable) return;
    const updates: Record<string, StoredVerdict> = {};
    for (const [subject, verdict] of verdicts) updates[verdictKey(subject)] = verdict;
    try {
      await writeCacheEntries(this.path, updates, MAX_ENTRIES);
      this.#entries = undefined;
    } catch (error) {
      this.problems.push(`placement cache not written: ${messageOf(error)}`);
    }
  }
}

function isVerdict(value: unknown): value is StoredVerdict {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.at === 'string' &&
    typeof v.runs === 'number' &&
    (v.msPerRun === undefined || (typeof v.msPerRun === 'number' && v.msPerRun > 0)) &&
    (v.msPerRun !== undefined || typeof v.failure === 'string' || typeof v.rejected === 'object')
  );
}
