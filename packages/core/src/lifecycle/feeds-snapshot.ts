import type { Feeds, Tensor } from '../spec/tensor.js';

/**
 * Feeds that passed validation, with what the session prepared from them and what they were
 * checked with. A loop that passes the same feeds object again, refilling its buffers in
 * place, matches: it is validated and prepared once. Anything else — another tensor, buffer,
 * length, type or dims, a key added or removed — does not, and is validated again. String
 * tensors never match (their arrays hold values, not a buffer).
 */
export class FeedsSnapshot<Prepared> {
  readonly #feeds: Feeds;
  readonly #entries: {
    readonly name: string;
    readonly tensor: Tensor;
    readonly type: string;
    readonly data: Tensor['data'];
    readonly length: number;
    readonly dims: readonly number[];
  }[];
  readonly prepared: Prepared;

  constructor(feeds: Feeds, prepared: Prepared) {
    this.#feeds = feeds;
    this.prepared = prepared;
    this.#entries = Object.keys(feeds).map((name) => {
      const tensor = feeds[name] as Tensor;
      return {
        name,
        tensor,
        type: tensor.type,
        data: tensor.data,
        length: tensor.data.length,
        dims: [...tensor.dims],
      };
    });
  }

  /** Whether `feeds` holds exactly the tensors validated before, unchanged but for buffer contents. */
  matches(feeds: Feeds): boolean {
    if (feeds !== this.#feeds) return false;
    let count = 0;
    for (const _ in feeds) count++;
    if (count !== this.#entries.length) return false;
    for (const e of this.#entries) {
      const t = feeds[e.name];
      if (
        e.type === 'string' ||
        t !== e.tensor ||
        t.type !== e.type ||
        t.data !== e.data ||
        t.data.length !== e.length ||
        t.dims.length !== e.dims.length
      )
        return false;
      for (let i = 0; i < e.dims.length; i++) if (t.dims[i] !== e.dims[i]) return false;
    }
    return true;
  }
}
