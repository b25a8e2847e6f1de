export { createOrtModel } from './create-session.js';
export { loadOrt, type Ort } from './load-ort.js';
export { cleanOrtMessage, loadError, runError } from './ort-errors.js';
export { OrtGraphModel } from './ort-graph-model.js';
export {
  type OrtSessionSettings,
  readSessionSettings,
  toSessionOptions,
} from './session-options.js';
export { toTensorInfo } from './tensor-info.js';
