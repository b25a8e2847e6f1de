import type { PluginRules } from '../discovery/plugin-filter.js';
import type { Placement } from '../placement/placement.js';
import type { Policy } from '../policy/policy.js';
import type { LoadOptions } from '../runtime/load-options.js';
import type { DeviceInfo, RunOptions } from '../spec/backend.js';
import type { PlacementDetails } from '../spec/backend-v2.js';
import type { Feeds, TensorInfo } from '../spec/tensor.js';
import type { EmbedOptions, GenerateOptions, GenerationInput } from '../spec/text-generation.js';

/**
 * The messages between an application and the process an isolated model lives in. They go
 * over Node's IPC channel with `serialization: 'advanced'` (structured clone), so typed arrays
 * and bigints cross as they are, without JSON.
 */

/** The runtime options that can cross a process boundary: discovery, never backend objects. */
export interface IsolatedRuntimeOptions {
  readonly roots: readonly string[];
  readonly plugins?: PluginRules;
  readonly pluginTimeoutMs?: number;
  readonly policy?: Policy;
  readonly probeTimeoutMs?: number;
  readonly loadTimeoutMs?: number;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** A backend that crashed an earlier process: the next one records it as failed instead. */
export interface CrashedBackend {
  readonly backend: string;
  readonly reason: string;
}

/** An error as it crosses: enough to rebuild a typed npu-first error on the other side. */
export interface WireError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  readonly details?: Record<string, unknown>;
}

export type ToChild =
  | {
      readonly type: 'load';
      readonly runtime: IsolatedRuntimeOptions;
      readonly model: string | Uint8Array;
      readonly options: Omit<LoadOptions, 'isolate'>;
      readonly crashed: readonly CrashedBackend[];
    }
  | {
      readonly type: 'run';
      readonly id: number;
      readonly feeds: Feeds;
      readonly options?: RunOptions;
    }
  | {
      readonly type: 'generate';
      readonly id: number;
      readonly input: GenerationInput;
      readonly options: Omit<GenerateOptions, 'signal'>;
      readonly stream: boolean;
      readonly aborted: boolean;
    }
  | {
      readonly type: 'embed';
      readonly id: number;
      readonly input: string | readonly string[];
      readonly options: Omit<EmbedOptions, 'signal'>;
      readonly aborted: boolean;
    }
  /** The caller's `AbortSignal` fired. */
  | { readonly type: 'abort'; readonly id: number }
  /** The caller stopped iterating a stream early (`break`). */
  | { readonly type: 'stop'; readonly id: number }
  | { readonly type: 'dispose' };

/** What the application learns of the loaded model, to answer without asking the child. */
export type LoadedInfo =
  | {
      readonly task: 'graph';
      readonly inputs: readonly TensorInfo[];
      readonly outputs: readonly TensorInfo[];
      readonly device: DeviceInfo;
      readonly placementNote?: string;
      readonly details: PlacementDetails;
      readonly placement: Placement;
    }
  | {
      readonly task: 'text-generation';
      readonly device: DeviceInfo;
      readonly contextSize: number;
      readonly details: PlacementDetails;
      readonly placement: Placement;
    };

export type FromChild =
  /** The chain is about to ask this backend to probe, check or load: blamed if the process dies. */
  | { readonly type: 'working-on'; readonly backend: string; readonly step: string }
  | { readonly type: 'loaded'; readonly info: LoadedInfo }
  | { readonly type: 'load-failed'; readonly error: WireError }
  | { readonly type: 'chunk'; readonly id: number; readonly text: string }
  | { readonly type: 'result'; readonly id: number; readonly value: unknown }
  | { readonly type: 'error'; readonly id: number; readonly error: WireError };
