import type { Tensor } from '@npu-first/core';
import type { FixtureModel } from '../fixtures/index.js';

export interface BadFeedCase {
  readonly what: string;
  readonly input: string;
  readonly feeds: Record<string, Tensor>;
}

/**
 * Ways to get the `dynamic` fixture's feeds wrong (inputs `x` float32 [batch, 3] and
 * `k` int64 [batch]), each with the input the error must name.
 */
export function badFeedCases(fixture: FixtureModel): BadFeedCase[] {
  const good = () => fixture.makeFeeds(1, { batch: 2 });
  const { k: _k, ...withoutK } = good();
  return [
    { what: 'missing input', input: 'k', feeds: withoutK },
    {
      what: 'unknown input',
      input: 'mask',
      feeds: { ...good(), mask: { type: 'float32', data: new Float32Array(1), dims: [1] } },
    },
    {
      what: 'wrong dtype',
      input: 'k',
      feeds: { ...good(), k: { type: 'int32', data: new Int32Array(2), dims: [2] } },
    },
    {
      what: 'storage not matching dtype',
      input: 'x',
      feeds: {
        ...good(),
        x: { type: 'float32', data: new Float64Array(6) as never, dims: [2, 3] },
      },
    },
    {
      what: 'wrong rank',
      input: 'x',
      feeds: { ...good(), x: { type: 'float32', data: new Float32Array(6), dims: [6] } },
    },
    {
      what: 'static dimension mismatch',
      input: 'x',
      feeds: { ...good(), x: { type: 'float32', data: new Float32Array(8), dims: [2, 4] } },
    },
    {
      what: 'symbolic dimension disagreeing across inputs',
      input: 'k',
      feeds: { ...good(), k: { type: 'int64', data: new BigInt64Array(3), dims: [3] } },
    },
    {
      what: 'data length not matching dims',
      input: 'x',
      feeds: { ...good(), x: { type: 'float32', data: new Float32Array(5), dims: [2, 3] } },
    },
  ];
}
