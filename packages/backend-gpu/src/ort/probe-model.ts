/**
 * The smallest useful ONNX model — y = Relu(x), x float32 [1, 4], opset 13 — used to ask an
 * execution provider to really start. Generated with @npu-first/testkit's ONNX builder
 * (`graph({ nodes: [node('Relu', ['x'], ['y'])], … })`); 104 bytes, so it lives inline.
 */
export const PROBE_MODEL = Uint8Array.from(
  Buffer.from(
    'CAcSEkBucHUtZmlyc3QvdGVzdGtpdBoBMTpHChQKAXgSAXkaBlJlbHVfeSIEUmVsdRIFcHJvYmVaEwoBeBIOCgwIARIICgIIAQoCCARiEwoBeRIOCgwIARIICgIIAQoCCARCBAoAEA0=',
    'base64',
  ),
);
