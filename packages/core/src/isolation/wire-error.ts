import { type ErrorCode, NpuFirstError } from '../errors/base.js';
import { messageOf } from '../util/timeout.js';
import type { WireError } from './messages.js';

/** An error as it can cross the IPC channel: name, message, and for npu-first errors code and details. */
export function toWire(error: unknown): WireError {
  if (NpuFirstError.isInstance(error)) {
    let details: Record<string, unknown> | undefined;
    try {
      details = structuredClone(error.details());
    } catch {
      // Details that cannot be cloned are left behind; code and message still cross.
    }
    return {
      name: error.name,
      message: error.message,
      code: error.code,
      ...(details ? { details } : {}),
    };
  }
  return { name: error instanceof Error ? error.name : 'Error', message: messageOf(error) };
}

/**
 * An npu-first error thrown in the model's process, rebuilt here: same code, name, message
 * and detail fields, so `SomeError.isInstance(e)` and `e.code` work as for an in-process model.
 */
export class ForwardedError extends NpuFirstError {
  readonly #details: Record<string, unknown>;
  constructor(wire: WireError & { code: string }) {
    super(wire.code as ErrorCode, wire.message);
    this.name = wire.name;
    this.#details = wire.details ?? {};
    Object.assign(this, this.#details);
  }
  override details(): Record<string, unknown> {
    return this.#details;
  }
}

/** The error to throw here for one that crossed from the model's process. */
export function fromWire(wire: WireError): Error {
  if (wire.code) return new ForwardedError({ ...wire, code: wire.code });
  const error = new Error(wire.message);
  error.name = wire.name;
  return error;
}
