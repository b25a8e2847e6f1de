/**
 * ONNX Runtime's own switch. Its non-Windows builds (1.29 and later, onnxruntime-node
 * included) start a 1DS telemetry uploader with the first environment unless this is set
 * (`1`, `true`, `yes`) when the native library initialises: a device id and an event database
 * under `~/.cache/Microsoft/DeveloperTools/.onnxruntime/`, `$TMPDIR/mat-debug-<pid>.log`, and
 * uploads to mobile.events.data.microsoft.com from about 10 s in. Read once per process.
 */
export const ORT_TELEMETRY_SWITCH = 'ORT_DISABLE_TELEMETRY';

/** Set to `1` to leave ONNX Runtime's telemetry as ONNX Runtime ships it (on). */
export const ORT_TELEMETRY_OPT_IN = 'NPU_FIRST_ORT_TELEMETRY';

/**
 * What {@link silenceOrtTelemetry} did: `disabled` (it set the switch), `user` (the switch
 * was already set, by whoever runs us: left as it is) or `opted-in` (the opt-in is set).
 */
export type OrtTelemetryChoice = 'disabled' | 'user' | 'opted-in';

const YES = ['1', 'true', 'yes', 'on'];

/**
 * Turns ONNX Runtime's telemetry off unless the user opted in or set ORT's switch themselves.
 * Must run before onnxruntime-node is first imported: the native library reads the switch
 * once, when it starts, and a later change does nothing. Child processes inherit the choice.
 */
export function silenceOrtTelemetry(
  env: Record<string, string | undefined> = process.env,
): OrtTelemetryChoice {
  if (YES.includes(env[ORT_TELEMETRY_OPT_IN]?.trim().toLowerCase() ?? '')) return 'opted-in';
  if ((env[ORT_TELEMETRY_SWITCH]?.trim() ?? '') !== '') return 'user';
  env[ORT_TELEMETRY_SWITCH] = '1';
  return 'disabled';
}
