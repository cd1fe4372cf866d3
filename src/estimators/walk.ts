import { TWO_POW_MINUS_32 } from '../core/xoshiro';

/**
 * The tables a trajectory walk reads (built by estimators/sampled.ts, in the WebAssembly kernel's memory:
 * walk.wat walks the same tables four trajectories at a time) and the buffers it writes: for trajectory
 * slot j and step t, `visits[j·K + t]` = s_t·A + a_t and `discounted[j·K + t]` = γ^t r_t.
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
 * buffer slot `slot`: the reference the kernel's lanes reproduce, and the walk of batches too small to
 * fill four lanes. The generator's step (core/xoshiro.ts, xoshiroNext) is inlined on purpose: with the
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

