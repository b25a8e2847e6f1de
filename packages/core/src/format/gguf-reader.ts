import type { ByteSource } from './byte-source.js';

/** A GGUF field that cannot be right: `field` names it, `offset` is where it starts. */
export class GgufFieldError extends Error {
  constructor(
    readonly field: string,
    readonly offset: number,
    readonly problem: string,
  ) {
    super(`${field} at byte ${offset}: ${problem}`);
  }
}

/** Bytes fetched per refill: a 150k-token vocabulary costs a few reads, not thousands. */
const CHUNK = 1024 * 1024;

/**
 * A forward-only little-endian reader over a `ByteSource` that fetches the header region in
 * chunks and skips payloads it does not need, so a multi-gigabyte file is never read whole.
 * Every read is bounds-checked against the file's size and names the field it was reading.
 */
export class GgufReader {
  #buf: Uint8Array = new Uint8Array(0);
  #bufStart = 0;
  pos = 0;
  readonly #decoder = new TextDecoder('utf-8', { fatal: false });

  constructor(readonly source: ByteSource) {}

  get size(): number {
    return this.source.size;
  }

  get remaining(): number {
    return this.source.size - this.pos;
  }

  /** Throws unless `n` more bytes exist, naming `field`. */
  need(n: number, field: string): void {
    if (n > this.remaining) {
      throw new GgufFieldError(
        field,
        this.pos,
        `needs ${n} bytes but the file ends after ${this.remaining} (truncated or a bad length)`,
      );
    }
  }

  async #view(n: number, field: string): Promise<DataView> {
    this.need(n, field);
    if (this.pos < this.#bufStart || this.pos + n > this.#bufStart + this.#buf.length) {
      this.#buf = await this.source.read(this.pos, Math.max(n, CHUNK));
      this.#bufStart = this.pos;
      if (this.#buf.length < n) this.need(Number.POSITIVE_INFINITY, field);
    }
    const at = this.pos - this.#bufStart;
    this.pos += n;
    return new DataView(this.#buf.buffer, this.#buf.byteOffset + at, n);
  }

  async u8(field: string): Promise<number> {
    return (await this.#view(1, field)).getUint8(0);
  }
  async u32(field: string): Promise<number> {
    return (await this.#view(4, field)).getUint32(0, true);
  }
  async i32(field: string): Promise<number> {
    return (await this.#view(4, field)).getInt32(0, true);
  }
  async f32(field: string): Promise<number> {
    return (await this.#view(4, field)).getFloat32(0, true);
  }
  async u64(field: string): Promise<bigint> {
    return (await this.#view(8, field)).getBigUint64(0, true);
  }

  /**
   * A u64 count or length that must fit what is left of the file at `bytesEach` bytes per
   * item: 2^63−1 tensors in a 24-byte file is refused here, before anything loops over it.
   */
  async count(field: string, bytesEach: number, limit = Number.MAX_SAFE_INTEGER): Promise<number> {
    const at = this.pos;
    const value = await this.u64(field);
    const fits = Math.floor(this.remaining / bytesEach);
    if (value > BigInt(Math.min(fits, limit))) {
      const why =
        fits <= limit
          ? `${this.remaining} bytes remain and each needs at least ${bytesEach}, so at most ${fits} fit`
          : `the limit is ${limit}`;
      throw new GgufFieldError(field, at, `${value} is impossible (${why})`);
    }
    return Number(value);
  }

  /** A GGUF string (u64 length + UTF-8); decoded only when `keep`, otherwise skipped. */
  async string(field: string, keep: boolean, maxLength?: number): Promise<string> {
    const length = await this.count(`${field} length`, 1, maxLength);
    if (!keep) {
      this.pos += length;
      return '';
    }
    if (length === 0) return '';
    const view = await this.#view(length, field);
    return this.#decoder.decode(view);
  }

  skip(n: number, field: string): void {
    this.need(n, field);
    this.pos += n;
  }
}
