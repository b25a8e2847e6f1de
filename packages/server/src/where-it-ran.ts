import type { Placement } from '@npu-first/core';

/** The extension field every JSON answer carries: where the request ran and what was passed over. */
export interface WhereItRan {
  readonly backend: string;
  readonly device: string;
  readonly device_kind: string;
  /** The chain's steps that did not serve the model, each with why (from the load's placement). */
  readonly passed_over: readonly { backend: string | null; outcome: string; reason: string }[];
  /** Moves while serving (failover), the last one first. */
  readonly failovers: number;
}

/** The attempts of the placement that did not serve the model. */
const passedOver = (placement: Placement) =>
  placement.attempts.filter((a) => a.outcome !== 'selected');

export function whereItRan(placement: Placement): WhereItRan {
  return {
    backend: placement.backend,
    device: placement.device,
    device_kind: placement.deviceKind,
    passed_over: passedOver(placement).map((a) => ({
      backend: a.backend,
      outcome: a.outcome,
      reason: a.reason,
    })),
    failovers: placement.failovers?.length ?? 0,
  };
}

/**
 * The same, as headers: `x-npu-first-backend`, `x-npu-first-device`, and
 * `x-npu-first-passed-over` (`id=outcome` pairs, comma-separated; the reasons are in the body).
 * Header values are ASCII: anything else in a device name becomes `?`.
 */
export function whereItRanHeaders(placement: Placement): Record<string, string> {
  const passed = passedOver(placement)
    .map((a) => `${a.backend ?? `no-${a.deviceKind ?? 'backend'}`}=${a.outcome}`)
    .join(', ');
  return {
    'x-npu-first-backend': ascii(placement.backend),
    'x-npu-first-device': ascii(placement.device),
    'x-npu-first-passed-over': ascii(passed).slice(0, 1024),
  };
}

const ascii = (value: string) => value.replace(/[^\x20-\x7e]/g, '?');
