/**
 * Deterministic pseudo-random numbers and bytes for the benchmark generator, so that the same
 * parameters always produce byte-identical objects (and a cached object can be trusted to be
 * the one a rerun would have built).
 */

/** A seeded SplitMix64 generator (BigInt arithmetic: fast enough for a few million draws). */
export class Prng {
  private state: bigint;

  /** `seed` is any integer; equal seeds give equal sequences. */
  constructor(seed: number) {
    this.state = BigInt.asUintN(64, BigInt(seed) * 0x9e3779b97f4a7c15n + 1n);
  }

  /** Next 64-bit value as a BigInt. */
  next64(): bigint {
    this.state = BigInt.asUintN(64, this.state + 0x9e3779b97f4a7c15n);
    let z = this.state;
    z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
    z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
    return z ^ (z >> 31n);
  }

  /** Uniform float in [0, 1). */
  float(): number {
    return Number(this.next64() >> 11n) / 2 ** 53;
  }

  /** Uniform integer in [min, max] (inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  /** Fill `buf` with pseudo-random bytes (8 at a time). */
  fill(buf: Buffer): Buffer {
    for (let i = 0; i < buf.length; i += 8) {
      const v = this.next64();
      if (i + 8 <= buf.length) buf.writeBigUInt64LE(v, i);
      else for (let j = i; j < buf.length; j++) buf[j] = Number((v >> BigInt(8 * (j - i))) & 0xffn);
    }
    return buf;
  }
}

/**
 * A pool of pseudo-random bytes that file contents are sliced from: generating fresh random
 * bytes for every file would make generation CPU-bound; slicing a pool at pseudo-random offsets
 * and prefixing a unique header keeps every file distinct (hence every digest unique) for free.
 */
export function bytePool(seed: number, size = 4 << 20): Buffer {
  return new Prng(seed ^ 0x5bd1e995).fill(Buffer.allocUnsafe(size));
}
