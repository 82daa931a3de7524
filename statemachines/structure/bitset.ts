/** Fixed-size bitsets over node indices; reachability for 500 nodes fits in 16 words per node. */

export type Bitset = Uint32Array;

export const bitsetWords = (n: number) => (n + 31) >>> 5;
export const newBitset = (n: number): Bitset => new Uint32Array(bitsetWords(n));

export const hasBit = (b: Bitset, i: number) => ((b[i >>> 5] ?? 0) & (1 << (i & 31))) !== 0;

export function setBit(b: Bitset, i: number) {
  b[i >>> 5] = (b[i >>> 5] ?? 0) | (1 << (i & 31));
}

export function orInto(target: Bitset, source: Bitset) {
  for (let w = 0; w < target.length; w++) target[w] = (target[w] ?? 0) | (source[w] ?? 0);
}

export function popcount32(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** |a ∩ b| */
export function andCount(a: Bitset, b: Bitset): number {
  let c = 0;
  for (let w = 0; w < a.length; w++) c += popcount32((a[w] ?? 0) & (b[w] ?? 0));
  return c;
}

export function countBits(a: Bitset): number {
  let c = 0;
  for (let w = 0; w < a.length; w++) c += popcount32(a[w] ?? 0);
  return c;
}

export function fromIndices(n: number, indices: Iterable<number>): Bitset {
  const b = newBitset(n);
  for (const i of indices) setBit(b, i);
  return b;
}
