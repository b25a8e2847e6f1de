export {
  type CalibrateOptions,
  type Calibration,
  calibrateIntraOpThreads,
  ortVersion,
  pickThreads,
} from './calibrate-threads.js';
export { openOrtSession } from './create-session.js';
export { loadOrt, type Ort } from './load-ort.js';
export { cleanOrtMessage, loadError, runError } from './ort-errors.js';
export { loadOrtSession, OrtGraphSession, type OrtLoadFacts } from './ort-graph-session.js';
export { checkOrtInstall, type OrtInstallCheck, ortBinaryDir } from './ort-install.js';
export {
  type FirstRunProfile,
  loadProfiledOrtSession,
  type ProfiledOrtSession,
} from './profile-first-run.js';
export {
  type OrtSessionSettings,
  readSessionSettings,
  toSessionOptions,
} from './session-options.js';
export {
  ORT_TELEMETRY_OPT_IN,
  ORT_TELEMETRY_SWITCH,
  type OrtTelemetryChoice,
  silenceOrtTelemetry,
} from './telemetry.js';
export { toTensorInfo } from './tensor-info.js';
export {
  type CpuTopology,
  chooseIntraOpThreads,
  readCpuTopology,
  SMALL_MODEL_BYTES,
  type ThreadChoiceInput,
  type ThreadSource,
} from './thread-choice.js';
export {
  readTuning,
  type TuningEntry,
  tuningCachePath,
  tuningKey,
  writeTuning,
} from './tuning-cache.js';
