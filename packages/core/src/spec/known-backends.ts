/**
 * Every backend id the first-party packages (`@npu-first/backend-cpu`, `-gpu`, `-npu`) create,
 * whether or not they are installed here. The runtime accepts these in a policy and in
 * `backendOptions` even when the backend is absent: an app ships one configuration for every
 * machine it runs on. Any other id must belong to an installed backend.
 */
export const KNOWN_BACKEND_IDS = [
  'npu-coreml',
  'npu-openvino',
  'gpu-onnxruntime-tensorrt',
  'gpu-onnxruntime-cuda',
  'gpu-onnxruntime-dml',
  'gpu-onnxruntime-webgpu',
  'gpu-onnxruntime-coreml',
  'gpu-llamacpp-cuda',
  'gpu-llamacpp-vulkan',
  'gpu-llamacpp-metal',
  'cpu-onnxruntime',
  'cpu-llamacpp',
] as const;

/** An id from {@link KNOWN_BACKEND_IDS}. */
export type KnownBackendId = (typeof KNOWN_BACKEND_IDS)[number];

/** True when `id` is a first-party backend id. */
export function isKnownBackendId(id: string): id is KnownBackendId {
  return (KNOWN_BACKEND_IDS as readonly string[]).includes(id);
}
