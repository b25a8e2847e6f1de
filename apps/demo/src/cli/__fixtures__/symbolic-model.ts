import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeModel, graph, node, valueInfo } from '@npu-first/testkit';

/**
 * A one-node ONNX model (Relu) whose input is shaped as PaddleOCR's detector exports it:
 * `x float32 [p2o.DynamicDimension.0, 3, p2o.DynamicDimension.1, p2o.DynamicDimension.2]` —
 * the names a person had to guess to pass `--dim`. Written to `dir/symbolic.onnx`.
 */
export async function writeSymbolicModel(dir: string): Promise<string> {
  const shape = ['p2o.DynamicDimension.0', 3, 'p2o.DynamicDimension.1', 'p2o.DynamicDimension.2'];
  const bytes = encodeModel(
    graph({
      name: 'symbolic',
      nodes: [node('Relu', ['x'], ['y'])],
      inputs: [valueInfo('x', 'float32', shape)],
      outputs: [valueInfo('y', 'float32', shape)],
    }),
  );
  const path = join(dir, 'symbolic.onnx');
  await writeFile(path, bytes);
  return path;
}
