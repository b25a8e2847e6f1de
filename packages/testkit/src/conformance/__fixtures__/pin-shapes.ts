import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** Graph input dims a static-shapes engine cannot compile: symbolic names, or unnamed. */
export function openDims(model: Uint8Array): { input: string; dim: string }[] {
  const decoded = onnx.ModelProto.decode(model);
  return (decoded.graph?.input ?? []).flatMap((input) =>
    (input.type?.tensorType?.shape?.dim ?? [])
      .filter((d) => d.dimValue === undefined || d.dimValue === null || d.dimParam)
      .map((d) => ({ input: input.name ?? '?', dim: d.dimParam || '?' })),
  );
}

/** The model with its graph inputs' symbolic dims replaced by the sizes in `pins`. */
export function pinShapes(model: Uint8Array, pins: Readonly<Record<string, number>>): Uint8Array {
  const decoded = onnx.ModelProto.decode(model);
  for (const input of decoded.graph?.input ?? []) {
    const shape = input.type?.tensorType?.shape;
    if (!shape?.dim) continue;
    // New dims rather than edits: dim_value and dim_param are a oneof, and both would be written.
    shape.dim = shape.dim.map((dim) => {
      const size = dim.dimParam ? pins[dim.dimParam] : undefined;
      return size === undefined ? dim : onnx.TensorShapeProto.Dimension.create({ dimValue: size });
    });
  }
  return onnx.ModelProto.encode(decoded).finish();
}
