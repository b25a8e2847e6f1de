import { CorruptModelError, type ModelDescriptor } from '@npu-first/core';
import { type OnnxGraphFacts, readOnnxGraphFacts } from './onnx-input-shapes.js';
import { WireError } from './protobuf-reader.js';
import { checkStaticShapes, type StaticShapeCheck } from './static-shapes.js';

/** The pre-flight's findings: the graph facts and the shape verdict. */
export type ShapePreflight = StaticShapeCheck & { readonly facts: OnnxGraphFacts };

/**
 * Reads a model's declared inputs without compiling it and checks them against the `shapes`
 * pins. Bytes that do not walk as an ONNX graph throw `MODEL_CORRUPT`.
 */
export async function preflightShapes(
  backendId: string,
  model: ModelDescriptor,
  shapes: Readonly<Record<string, number>>,
): Promise<ShapePreflight> {
  let facts: OnnxGraphFacts;
  try {
    facts = await readOnnxGraphFacts(model);
  } catch (error) {
    if (error instanceof WireError) {
      throw new CorruptModelError(model.name, `its graph does not parse (${error.message})`, {
        cause: error,
      });
    }
    throw error;
  }
  return { ...checkStaticShapes(backendId, facts.inputs, shapes), facts };
}
