/**
 * Deterministic payload bytes, shared by workflows (sandbox), activities and clients: the same
 * (length, seed) always gives the same bytes, so replay matches and nothing compresses them away.
 */
export function deterministicBytes(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 0x9e3779b9; // xorshift32 must not start at 0
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

/** A uniform number in [0, 1) fixed by (seed, n): per-attempt coin flips that replay the same way. */
export function seededUnit(seed: number, n: number): number {
  let h = (Math.imul(seed >>> 0, 0x85ebca6b) ^ Math.imul(n >>> 0, 0xc2b2ae35)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d) >>> 0;
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b) >>> 0;
  h ^= h >>> 16;
  return (h >>> 0) / 2 ** 32;
}
