import type { XoshiroState } from './xoshiro';

/**
 * Jump-ahead for xoshiro128** (core/xoshiro.ts): the state after n steps, in O(1) table reads.
 *
 * One step of the state is linear over GF(2): s ↦ T s with T a 128×128 bit matrix (xors, a shift and a
 * rotation; the output function plays no part). So n steps are s ↦ Tⁿ s, and Tⁿ is built once by
 * repeated squaring. It is stored as a nibble table: entry (p, v) is Tⁿ applied to the 128-bit vector
 * whose nibble p (bits 4p..4p+3 of the state, word p>>3) is v and whose other bits are 0; by linearity,
 *   Tⁿ s = ⊕_{p<32} table[p][nibble p of s],
 * i.e. 32 reads of four words. This lets a sampler start several trajectories of one stream at once
 * (trajectory m starts m·(draws per trajectory) steps in) and still draw exactly the sequential stream.
 */
export type XoshiroJumpTable = Int32Array;

/** A 128×128 GF(2) matrix as the images of the 128 unit vectors, four words each. */
type BitMatrix = Int32Array;

/** The step matrix T: column i is one step applied to the state with only bit i set. */
function stepMatrix(): BitMatrix {
  const T = new Int32Array(128 * 4);
  for (let i = 0; i < 128; i++) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    const bit = 1 << (i & 31);
    if (i >> 5 === 0) s0 = bit;
    else if (i >> 5 === 1) s1 = bit;
    else if (i >> 5 === 2) s2 = bit;
    else s3 = bit;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    T.set([s0, s1, s2, s3], 4 * i);
  }
  return T;
}

/** The nibble table of `matrix`: entry (p, v) = ⊕ of the columns 4p + b for the bits b set in v. */
function nibbleTable(matrix: BitMatrix): XoshiroJumpTable {
  const table = new Int32Array(32 * 16 * 4);
  for (let p = 0; p < 32; p++) {
    for (let v = 1; v < 16; v++) {
      const low = v & (v - 1);
      const b = 31 - Math.clz32(v ^ low);
      for (let w = 0; w < 4; w++) table[(p * 16 + v) * 4 + w] = table[(p * 16 + low) * 4 + w] ^ matrix[(4 * p + b) * 4 + w];
    }
  }
  return table;
}

/** Apply a jump (nibble table) to the state at `from` of `src`, writing it at `to` of `dst` (may alias). */
export function xoshiroJump(table: XoshiroJumpTable, src: XoshiroState, from: number, dst: XoshiroState, to: number): void {
  let y0 = 0;
  let y1 = 0;
  let y2 = 0;
  let y3 = 0;
  for (let w = 0; w < 4; w++) {
    const v = src[from + w];
    for (let n = 0; n < 8; n++) {
      const e = ((w * 8 + n) * 16 + ((v >>> (4 * n)) & 15)) * 4;
      y0 ^= table[e];
      y1 ^= table[e + 1];
      y2 ^= table[e + 2];
      y3 ^= table[e + 3];
    }
  }
  dst[to] = y0;
  dst[to + 1] = y1;
  dst[to + 2] = y2;
  dst[to + 3] = y3;
}

/** The product X·Y (apply Y, then X) of two bit matrices, through X's nibble table. */
function compose(X: BitMatrix, Y: BitMatrix): BitMatrix {
  const table = nibbleTable(X);
  const out = new Int32Array(128 * 4);
  for (let i = 0; i < 128; i++) xoshiroJump(table, Y, 4 * i, out, 4 * i);
  return out;
}

const cache = new Map<number, XoshiroJumpTable>();

/** The nibble table of Tⁿ (n ≥ 0 steps), built by repeated squaring in O(log n) products and cached per n. */
export function xoshiroJumpTable(n: number): XoshiroJumpTable {
  const hit = cache.get(n);
  if (hit) return hit;
  let power: BitMatrix = stepMatrix();
  let result: BitMatrix | null = null;
  for (let k = n; k > 0; k = Math.floor(k / 2)) {
    if (k % 2 === 1) result = result ? compose(result, power) : power;
    if (k > 1) power = compose(power, power);
  }
  const table = nibbleTable(result ?? identity());
  if (cache.size > 64) cache.clear();
  cache.set(n, table);
  return table;
}

function identity(): BitMatrix {
  const I = new Int32Array(128 * 4);
  for (let i = 0; i < 128; i++) I[4 * i + (i >> 5)] = 1 << (i & 31);
  return I;
}
