/**
 * A counter-based hash of 32-bit integers: the same words always give the same 32 bits, with no state to
 * carry or split. Used where a random quantity must be a pure function of its indices (random features
 * φ(s, a) of any state s, computed when s is visited, never stored).
 *
 * hashWords folds each word into h with the multiply–xorshift rounds of MurmurHash3's finaliser
 * (Appleby 2011, fmix32), h ← fmix32(h ⊕ fmix32(w + c)), c a fixed odd constant, and returns h as an
 * unsigned 32-bit integer. Not cryptographic; its outputs pass as independent uniform bits for features.
 */
export function hashWords(a: number, b: number, c: number, d: number): number {
  let h = fmix32(a + 0x9e3779b9);
  h = fmix32(h ^ fmix32(b + 0x7f4a7c15));
  h = fmix32(h ^ fmix32(c + 0x85ebca6b));
  h = fmix32(h ^ fmix32(d + 0xc2b2ae35));
  return h >>> 0;
}

/** MurmurHash3's 32-bit finaliser: an invertible mix in which every input bit affects every output bit. */
function fmix32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}
