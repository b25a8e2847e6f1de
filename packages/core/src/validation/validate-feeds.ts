import { InvalidInputError } from '../errors/errors.js';
import {
  type DType,
  dataMatchesType,
  describeData,
  elementCount,
  type Feeds,
  formatShape,
  storageName,
  type Tensor,
  type TensorInfo,
} from '../spec/tensor.js';

/**
 * Checks feeds against a model's declared inputs before an engine sees them: names,
 * element type, storage, rank, static dimensions, and that a symbolic dimension
 * (`batch`) has one value across all inputs. Throws `InvalidInputError` naming the input.
 * Every backend calls this, so every backend reports bad feeds the same way.
 */
export function validateFeeds(inputs: readonly TensorInfo[], feeds: Feeds): void {
  if (typeof feeds !== 'object' || feeds === null || Array.isArray(feeds)) {
    throw new InvalidInputError(
      '(feeds)',
      'an object mapping input names to tensors',
      describeData(feeds),
    );
  }
  const symbols = new Map<string, { value: number; input: string }>();
  for (const info of inputs) {
    const feed = feeds[info.name];
    if (feed === undefined) {
      throw new InvalidInputError(
        info.name,
        `a ${describeInfo(info)} tensor (required input)`,
        'no feed',
      );
    }
    checkTensor(info, feed, symbols);
  }
  if (Object.keys(feeds).length !== inputs.length) {
    for (const name of Object.keys(feeds)) {
      if (!inputs.some((i) => i.name === name)) {
        const known = inputs.map((i) => `"${i.name}"`).join(', ');
        throw new InvalidInputError(
          name,
          `one of the model's inputs (${known})`,
          'an unknown input name',
        );
      }
    }
  }
}

function describeInfo(info: TensorInfo): string {
  return `${info.type} ${formatShape(info.shape)}`;
}

function checkTensor(
  info: TensorInfo,
  feed: Tensor,
  symbols: Map<string, { value: number; input: string }>,
): void {
  const name = info.name;
  if (
    typeof feed !== 'object' ||
    feed === null ||
    !('type' in feed) ||
    !('data' in feed) ||
    !('dims' in feed)
  ) {
    throw new InvalidInputError(name, 'a tensor { type, data, dims }', describeData(feed));
  }
  const { type, data, dims } = feed;
  if (info.type !== 'unknown' && type !== info.type) {
    throw new InvalidInputError(name, `dtype ${info.type}`, `dtype ${String(type)}`);
  }
  if (!dataMatchesType(type as DType, data)) {
    throw new InvalidInputError(
      name,
      `${storageName(type as DType)} data for dtype ${type}`,
      `${describeData(data)} data`,
    );
  }
  if (!Array.isArray(dims) || dims.some((d) => !Number.isSafeInteger(d) || d < 0)) {
    throw new InvalidInputError(
      name,
      'dims of non-negative integers',
      `dims ${JSON.stringify(dims)}`,
    );
  }
  const count = elementCount(dims);
  if (count !== data.length) {
    throw new InvalidInputError(
      name,
      `${count} elements for dims [${dims.join(', ')}]`,
      `${data.length} elements of data`,
    );
  }
  const shape = info.shape;
  if (shape === null) return;
  if (dims.length !== shape.length) {
    throw new InvalidInputError(
      name,
      `rank ${shape.length} ${formatShape(shape)}`,
      `rank ${dims.length} [${dims.join(', ')}]`,
    );
  }
  for (let i = 0; i < shape.length; i++) {
    const want = shape[i];
    const got = dims[i] as number;
    if (typeof want === 'number') {
      if (want >= 0 && want !== got) {
        throw new InvalidInputError(
          name,
          `dimension ${i} to be ${want} (shape ${formatShape(shape)})`,
          `${got} (dims [${dims.join(', ')}])`,
        );
      }
    } else if (typeof want === 'string' && want !== '') {
      const seen = symbols.get(want);
      if (seen === undefined) symbols.set(want, { value: got, input: name });
      else if (seen.value !== got) {
        throw new InvalidInputError(
          name,
          `dimension ${i} ("${want}") to be ${seen.value}, as in input "${seen.input}"`,
          `${got}`,
        );
      }
    }
  }
}
