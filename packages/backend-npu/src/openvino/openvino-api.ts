/**
 * The part of openvino-node's API this adapter uses, written from its published
 * declarations (`src/bindings/js/node/lib/addon.ts` in openvinotoolkit/openvino). Declared
 * here because openvino-node is an optional peer that is not installed at build time.
 */

/** openvino-node's element type names. It has none for float16 or boolean tensors. */
export type OvElementType =
  | 'u8'
  | 'u16'
  | 'u32'
  | 'u64'
  | 'i8'
  | 'i16'
  | 'i32'
  | 'i64'
  | 'f32'
  | 'f64'
  | 'string';

export type OvTypedArray =
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

export interface OvTensor {
  getData(): OvTypedArray;
  getShape(): number[];
}

export interface OvOutput {
  getAnyName(): string;
  getShape(): number[];
}

export interface OvModel {
  clone(): OvModel;
  /** The model's operations (`Parameter`, `Constant` and `Result` included). Optional: older openvino-node lacks it. */
  getOps?(): unknown[];
  isDynamic(): boolean;
  readonly inputs: OvOutput[];
  readonly outputs: OvOutput[];
  /** Pins input shapes: keys are input names, values partial-shape strings such as `[1,512]`. */
  reshape(shapes: Map<string, string>): OvModel;
}

export interface OvInferRequest {
  inferAsync(inputs: Record<string, OvTensor>): Promise<Record<string, OvTensor>>;
}

export interface OvCompiledModel {
  readonly inputs: OvOutput[];
  readonly outputs: OvOutput[];
  createInferRequest(): OvInferRequest;
}

export interface OvCore {
  getAvailableDevices(): string[];
  getProperty(deviceName: string, propertyName: string): string | number | boolean;
  readModel(modelPath: string): Promise<OvModel>;
  readModel(modelBuffer: Uint8Array): Promise<OvModel>;
  compileModel(
    model: OvModel,
    deviceName: string,
    config?: Record<string, string | number | boolean>,
  ): Promise<OvCompiledModel>;
  /**
   * The operations of `model` the device supports, as `{ [operation name]: device }`.
   * Optional here: openvino-node releases before its `queryModel` binding lack it.
   */
  queryModel?(
    model: OvModel,
    deviceName: string,
    properties?: Record<string, string | number | boolean>,
  ): Record<string, string>;
}

/** The `addon` export of openvino-node: `const { addon: ov } = require('openvino-node')`. */
export interface OvAddon {
  readonly Core: new () => OvCore;
  readonly Tensor: new (type: OvElementType, shape: number[], data: OvTypedArray) => OvTensor;
}
