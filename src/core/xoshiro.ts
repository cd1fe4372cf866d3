import { nextInt32s, type Rng } from './rng';

/**
 * xoshiro128** (Blackman & Vigna 2018): a 128-bit-state generator of 32-bit outputs, small enough to be
 * inlined into the samplers' inner loops, where a call into seedrandom per draw would cost more than the
 * rest of the step. It never replaces the project's streams: a sampler seeds one per call from four
 * 32-bit draws of its `Rng` (`xoshiroSeed`), so results still depend only on the stream's key.
 */
export type XoshiroState = Int32Array;

/** Four 32-bit words from `rng.uniform` (exact: its uniforms are k/2³²), never all zero. */
export function xoshiroSeed(rng: Rng, out: XoshiroState = new Int32Array(4)): XoshiroState {
  nextInt32s(rng, out, 4);
  if ((out[0] | out[1] | out[2] | out[3]) === 0) out[0] = 1;
  return out;
}

/** 2⁻³²: a 32-bit output times this is a uniform on [0, 1). */
export const TWO_POW_MINUS_32 = 2.3283064365386963e-10;

/**
 * The next uniform in [0, 1) from `state` (advanced in place): output rotl(s1·5, 7)·9, then
 *   t = s1 << 9; s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11).
 * The estimators inline exactly these lines; this function is their reference (tests compare the two).
 */
export function xoshiroNext(state: XoshiroState): number {
  const s0 = state[0];
  const s1 = state[1];
  const r = Math.imul(s1, 5);
  const out = Math.imul((r << 7) | (r >>> 25), 9);
  const t = s1 << 9;
  state[2] ^= s0;
  state[3] ^= s1;
  state[1] ^= state[2];
  state[0] ^= state[3];
  state[2] ^= t;
  state[3] = (state[3] << 11) | (state[3] >>> 21);
  return (out >>> 0) * TWO_POW_MINUS_32;
}
