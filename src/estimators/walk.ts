import { TWO_POW_MINUS_32 } from '../core/xoshiro';

/**
 * The tables a trajectory walk reads (built by estimators/sampled.ts) and the buffers it writes: for
 * trajectory slot j and step t, `visits[j·K + t]` = s_t·A + a_t and `discounted[j·K + t]` = γ^t r_t.
 *   actF[3q..3q+2] = [cut, reward of the slot's pair, of its alias's pair]   (q = s·A + j, π's alias slot)
 *   actI[6q..6q+5] = [pair, start of its row of P, row length] for the slot, then for the alias
 *   succNext[2k], succNext[2k+1] = the successor below / above entry k's cut aliasCut[k] (P's alias table)
 */
export interface WalkTables {
  readonly S: number;
  readonly A: number;
  readonly K: number;
  readonly gamma: number;
  readonly rhoCut: Float64Array;
  readonly rhoOther: Int32Array;
  readonly actF: Float64Array;
  readonly actI: Int32Array;
  readonly succNext: Int32Array;
  readonly aliasCut: Float64Array;
  readonly visits: Int32Array;
  readonly discounted: Float64Array;
}

/**
 * One trajectory of K steps from the xoshiro128** state at st[4·lane..], which it advances by exactly
 * 2K draws (s₀; then per step the action and, except after the last step, the successor), written at
 * buffer slot `slot`. The generator's step (core/xoshiro.ts, xoshiroNext) is inlined on purpose: with the
 * state in locals V8 keeps it in registers (≈ 15% more steps/s than calling xoshiroNext).
 */
export function walkOne(tb: WalkTables, st: Int32Array, lane: number, slot: number): void {
  const { S, A, K, gamma, rhoCut, rhoOther, actF, actI, succNext, aliasCut, visits, discounted } = tb;
  let x0 = st[4 * lane];
  let x1 = st[4 * lane + 1];
  let x2 = st[4 * lane + 2];
  let x3 = st[4 * lane + 3];
  let r = Math.imul(x1, 5);
  let w = Math.imul((r << 7) | (r >>> 25), 9);
  let t9 = x1 << 9;
  x2 ^= x0; x3 ^= x1; x1 ^= x2; x0 ^= x3; x2 ^= t9; x3 = (x3 << 11) | (x3 >>> 21);
  const u = (w >>> 0) * TWO_POW_MINUS_32 * S;
  const j0 = u | 0;
  let s = u - j0 < rhoCut[j0] ? j0 : rhoOther[j0];
  let disc = 1;
  const base = slot * K;
  for (let t = 0; t < K; t++) {
    r = Math.imul(x1, 5);
    w = Math.imul((r << 7) | (r >>> 25), 9);
    t9 = x1 << 9;
    x2 ^= x0; x3 ^= x1; x1 ^= x2; x0 ^= x3; x2 ^= t9; x3 = (x3 << 11) | (x3 >>> 21);
    // Action: alias slot q of π(·|s), then the slot itself (0) or its alias (1).
    const x = (w >>> 0) * TWO_POW_MINUS_32 * A;
    const j = x | 0;
    const q = s * A + j;
    const which = x - j < actF[3 * q] ? 0 : 1;
    const e = 6 * q + 3 * which;
    visits[base + t] = actI[e];
    discounted[base + t] = disc * actF[3 * q + 1 + which];
    disc *= gamma;
    if (t + 1 < K) {
      r = Math.imul(x1, 5);
      w = Math.imul((r << 7) | (r >>> 25), 9);
      t9 = x1 << 9;
      x2 ^= x0; x3 ^= x1; x1 ^= x2; x0 ^= x3; x2 ^= t9; x3 = (x3 << 11) | (x3 >>> 21);
      // Successor: alias slot of the pair's row of P, then its successor or the alias's.
      const y = (w >>> 0) * TWO_POW_MINUS_32 * actI[e + 2];
      const i = y | 0;
      const k = actI[e + 1] + i;
      s = succNext[2 * k + (y - i < aliasCut[k] ? 0 : 1)];
    }
  }
  st[4 * lane] = x0;
  st[4 * lane + 1] = x1;
  st[4 * lane + 2] = x2;
  st[4 * lane + 3] = x3;
}

/**
 * Four trajectories in lockstep, lane l from the state at st[4l..] into buffer slot slots[l]: the same
 * draws, in the same order within each lane, as four calls of walkOne, so the results are identical. The
 * point is memory-level parallelism: a step's table reads depend on the previous step's, and with four
 * independent chains in flight the processor overlaps their cache misses instead of waiting for each.
 */
export function walkFour(tb: WalkTables, st: Int32Array, slotA: number, slotB: number, slotC: number, slotD: number): void {
  const { S, A, K, gamma, rhoCut, rhoOther, actF, actI, succNext, aliasCut, visits, discounted } = tb;
  let a0 = st[0], a1 = st[1], a2 = st[2], a3 = st[3];
  let b0 = st[4], b1 = st[5], b2 = st[6], b3 = st[7];
  let c0 = st[8], c1 = st[9], c2 = st[10], c3 = st[11];
  let d0 = st[12], d1 = st[13], d2 = st[14], d3 = st[15];
  let r = 0;
  let w = 0;
  let t9 = 0;
  let u = 0;
  let j = 0;
  r = Math.imul(a1, 5); w = Math.imul((r << 7) | (r >>> 25), 9); t9 = a1 << 9;
  a2 ^= a0; a3 ^= a1; a1 ^= a2; a0 ^= a3; a2 ^= t9; a3 = (a3 << 11) | (a3 >>> 21);
  u = (w >>> 0) * TWO_POW_MINUS_32 * S;
  j = u | 0;
  let sa = u - j < rhoCut[j] ? j : rhoOther[j];
  const basea = slotA * K;
  r = Math.imul(b1, 5); w = Math.imul((r << 7) | (r >>> 25), 9); t9 = b1 << 9;
  b2 ^= b0; b3 ^= b1; b1 ^= b2; b0 ^= b3; b2 ^= t9; b3 = (b3 << 11) | (b3 >>> 21);
  u = (w >>> 0) * TWO_POW_MINUS_32 * S;
  j = u | 0;
  let sb = u - j < rhoCut[j] ? j : rhoOther[j];
  const baseb = slotB * K;
  r = Math.imul(c1, 5); w = Math.imul((r << 7) | (r >>> 25), 9); t9 = c1 << 9;
  c2 ^= c0; c3 ^= c1; c1 ^= c2; c0 ^= c3; c2 ^= t9; c3 = (c3 << 11) | (c3 >>> 21);
  u = (w >>> 0) * TWO_POW_MINUS_32 * S;
  j = u | 0;
  let sc = u - j < rhoCut[j] ? j : rhoOther[j];
  const basec = slotC * K;
  r = Math.imul(d1, 5); w = Math.imul((r << 7) | (r >>> 25), 9); t9 = d1 << 9;
  d2 ^= d0; d3 ^= d1; d1 ^= d2; d0 ^= d3; d2 ^= t9; d3 = (d3 << 11) | (d3 >>> 21);
  u = (w >>> 0) * TWO_POW_MINUS_32 * S;
  j = u | 0;
  let sd = u - j < rhoCut[j] ? j : rhoOther[j];
  const based = slotD * K;
  let disc = 1;
  for (let t = 0; t < K; t++) {
    const last = t + 1 === K;
    {
      r = Math.imul(a1, 5); w = Math.imul((r << 7) | (r >>> 25), 9); t9 = a1 << 9;
      a2 ^= a0; a3 ^= a1; a1 ^= a2; a0 ^= a3; a2 ^= t9; a3 = (a3 << 11) | (a3 >>> 21);
      const x = (w >>> 0) * TWO_POW_MINUS_32 * A;
      const jx = x | 0;
      const q = sa * A + jx;
      const which = x - jx < actF[3 * q] ? 0 : 1;
      const e = 6 * q + 3 * which;
      visits[basea + t] = actI[e];
      discounted[basea + t] = disc * actF[3 * q + 1 + which];
      if (!last) {
        r = Math.imul(a1, 5); w = Math.imul((r << 7) | (r >>> 25), 9); t9 = a1 << 9;
        a2 ^= a0; a3 ^= a1; a1 ^= a2; a0 ^= a3; a2 ^= t9; a3 = (a3 << 11) | (a3 >>> 21);
        const y = (w >>> 0) * TWO_POW_MINUS_32 * actI[e + 2];
        const i = y | 0;
        const k = actI[e + 1] + i;
        sa = succNext[2 * k + (y - i < aliasCut[k] ? 0 : 1)];
      }
    }
    {
      r = Math.imul(b1, 5); w = Math.imul((r << 7) | (r >>> 25), 9); t9 = b1 << 9;
      b2 ^= b0; b3 ^= b1; b1 ^= b2; b0 ^= b3; b2 ^= t9; b3 = (b3 << 11) | (b3 >>> 21);
      const x = (w >>> 0) * TWO_POW_MINUS_32 * A;
      const jx = x | 0;
      const q = sb * A + jx;
      const which = x - jx < actF[3 * q] ? 0 : 1;
      const e = 6 * q + 3 * which;
      visits[baseb + t] = actI[e];
      discounted[baseb + t] = disc * actF[3 * q + 1 + which];
      if (!last) {
        r = Math.imul(b1, 5); w = Math.imul((r << 7) | (r >>> 25), 9); t9 = b1 << 9;
        b2 ^= b0; b3 ^= b1; b1 ^= b2; b0 ^= b3; b2 ^= t9; b3 = (b3 << 11) | (b3 >>> 21);
        const y = (w >>> 0) * TWO_POW_MINUS_32 * actI[e + 2];
        const i = y | 0;
        const k = actI[e + 1] + i;
        sb = succNext[2 * k + (y - i < aliasCut[k] ? 0 : 1)];
      }
    }
    {
      r = Math.imul(c1, 5); w = Math.imul((r << 7) | (r >>> 25), 9); t9 = c1 << 9;
      c2 ^= c0; c3 ^= c1; c1 ^= c2; c0 ^= c3; c2 ^= t9; c3 = (c3 << 11) | (c3 >>> 21);
      const x = (w >>> 0) * TWO_POW_MINUS_32 * A;
      const jx = x | 0;
      const q = sc * A + jx;
      const which = x - jx < actF[3 * q] ? 0 : 1;
      const e = 6 * q + 3 * which;
      visits[basec + t] = actI[e];
      discounted[basec + t] = disc * actF[3 * q + 1 + which];
      if (!last) {
        r = Math.imul(c1, 5); w = Math.imul((r << 7) | (r >>> 25), 9); t9 = c1 << 9;
        c2 ^= c0; c3 ^= c1; c1 ^= c2; c0 ^= c3; c2 ^= t9; c3 = (c3 << 11) | (c3 >>> 21);
        const y = (w >>> 0) * TWO_POW_MINUS_32 * actI[e + 2];
        const i = y | 0;
        const k = actI[e + 1] + i;
        sc = succNext[2 * k + (y - i < aliasCut[k] ? 0 : 1)];
      }
    }
    {
      r = Math.imul(d1, 5); w = Math.imul((r << 7) | (r >>> 25), 9); t9 = d1 << 9;
      d2 ^= d0; d3 ^= d1; d1 ^= d2; d0 ^= d3; d2 ^= t9; d3 = (d3 << 11) | (d3 >>> 21);
      const x = (w >>> 0) * TWO_POW_MINUS_32 * A;
      const jx = x | 0;
      const q = sd * A + jx;
      const which = x - jx < actF[3 * q] ? 0 : 1;
      const e = 6 * q + 3 * which;
      visits[based + t] = actI[e];
      discounted[based + t] = disc * actF[3 * q + 1 + which];
      if (!last) {
        r = Math.imul(d1, 5); w = Math.imul((r << 7) | (r >>> 25), 9); t9 = d1 << 9;
        d2 ^= d0; d3 ^= d1; d1 ^= d2; d0 ^= d3; d2 ^= t9; d3 = (d3 << 11) | (d3 >>> 21);
        const y = (w >>> 0) * TWO_POW_MINUS_32 * actI[e + 2];
        const i = y | 0;
        const k = actI[e + 1] + i;
        sd = succNext[2 * k + (y - i < aliasCut[k] ? 0 : 1)];
      }
    }
    disc *= gamma;
  }
  st[0] = a0;
  st[1] = a1;
  st[2] = a2;
  st[3] = a3;
  st[4] = b0;
  st[5] = b1;
  st[6] = b2;
  st[7] = b3;
  st[8] = c0;
  st[9] = c1;
  st[10] = c2;
  st[11] = c3;
  st[12] = d0;
  st[13] = d1;
  st[14] = d2;
  st[15] = d3;
}
