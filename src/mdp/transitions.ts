import { buildAlias, sampleAlias } from '../core/alias';
import { checkInteger, fail, formatValue } from '../core/check';

/**
 * Shared transition model P(s'|s,a).
 *
 * Layout (the one place it is documented; every module reads it through this type):
 * compressed sparse rows over state–action pairs. Row r = s·A + a owns the entries k in
 * [rowStart[r], rowStart[r+1]): successor `next[k]` with probability `prob[k] > 0`. Zero probabilities are
 * not stored, so a Garnet with branching b holds S·A·b entries and a dense P at most S·A·S; both use this
 * one layout. For O(1) sampling every row also carries a Walker alias table over its own entries
 * (`aliasCut[k]`, and `aliasOther[k]`, a position relative to the row start): see core/alias.ts.
 * Reward tables, θ and π are dense row-major S×A: `R[s*A + a]`, `theta[s*A + a]`, `pi[s*A + a]`.
 */
export interface Transitions {
  readonly S: number;
  readonly A: number;
  readonly rowStart: Int32Array;
  readonly next: Int32Array;
  readonly prob: Float64Array;
  readonly aliasCut: Float64Array;
  readonly aliasOther: Int32Array;
}

/** Tolerance on Σ_s' P(s'|s,a) = 1. */
export const ROW_SUM_TOLERANCE = 1e-9;

/** One row of P in sparse form: successors and their probabilities. */
export interface SparseRow {
  next: ArrayLike<number>;
  prob: ArrayLike<number>;
}

function rowLabel(S: number, A: number, r: number): string {
  void S;
  return `(s=${Math.floor(r / A)},a=${r % A})`;
}

/**
 * Build and validate transitions from sparse rows, `rows[s*A + a] = { next, prob }`. Probabilities must be
 * finite and ≥ 0, successors integers in [0, S), each row summing to 1 within 1e-9. Zero entries are
 * dropped and repeated successors merged.
 */
export function transitionsFromRows(S: number, A: number, rows: ArrayLike<SparseRow>, field = 'transitions'): Transitions {
  checkInteger('S', S, 1);
  checkInteger('A', A, 1);
  if (rows.length !== S * A) fail(field, rows, `has ${rows.length} rows, expected S·A = ${S * A}`);
  const rowStart = new Int32Array(S * A + 1);
  const nextList: number[] = [];
  const probList: number[] = [];
  const merged = new Map<number, number>();
  for (let r = 0; r < S * A; r++) {
    const row = rows[r];
    const label = rowLabel(S, A, r);
    if (!row || row.next == null || row.prob == null) fail(`${field} row ${label}`, row, 'is missing next or prob');
    if (row.next.length !== row.prob.length) {
      fail(`${field} row ${label}`, row, `has ${row.next.length} successors but ${row.prob.length} probabilities`);
    }
    merged.clear();
    let sum = 0;
    for (let j = 0; j < row.next.length; j++) {
      const sp = row.next[j];
      const p = row.prob[j];
      if (typeof sp !== 'number' || !Number.isInteger(sp) || sp < 0 || sp >= S) {
        fail(`${field} row ${label} next[${j}]`, sp, `must be a state in [0, ${S}), got ${formatValue(sp)}`);
      }
      // The field names the model (`transitions`, or `agentTransitions[i]`: which agent's matrix) and the row.
      if (typeof p !== 'number' || !Number.isFinite(p)) fail(`${field}: P(s'=${sp}|s,a) in row ${label}`, p, `is ${formatValue(p)}`);
      if (p < 0) fail(`${field}: P(s'=${sp}|s,a) in row ${label}`, p, `is negative: ${p}`);
      sum += p;
      if (p > 0) merged.set(sp, (merged.get(sp) ?? 0) + p);
    }
    if (Math.abs(sum - 1) > ROW_SUM_TOLERANCE) fail(`${field}: P row ${label}`, sum, `sums to ${Number(sum.toPrecision(12))}`);
    const keys = [...merged.keys()].sort((x, y) => x - y);
    for (const k of keys) {
      nextList.push(k);
      probList.push(merged.get(k) as number);
    }
    rowStart[r + 1] = nextList.length;
  }
  return withAlias(S, A, rowStart, Int32Array.from(nextList), Float64Array.from(probList));
}

/** Build and validate transitions from a dense array `P[(s*A + a)*S + s']` (zeros are not stored). */
export function transitionsFromDense(S: number, A: number, P: ArrayLike<number>, field = 'transitions'): Transitions {
  checkInteger('S', S, 1);
  checkInteger('A', A, 1);
  if (P.length !== S * A * S) fail(field, P, `has ${P.length} entries, expected S·A·S = ${S * A * S}`);
  const rows: SparseRow[] = [];
  const all = Array.from({ length: S }, (_, i) => i);
  for (let r = 0; r < S * A; r++) rows.push({ next: all, prob: Array.prototype.slice.call(P, r * S, r * S + S) as number[] });
  return transitionsFromRows(S, A, rows, field);
}

function withAlias(S: number, A: number, rowStart: Int32Array, next: Int32Array, prob: Float64Array): Transitions {
  const aliasCut = new Float64Array(prob.length);
  const aliasOther = new Int32Array(prob.length);
  let work = new Int32Array(2);
  for (let r = 0; r < S * A; r++) {
    const n = rowStart[r + 1] - rowStart[r];
    if (work.length < 2 * n) work = new Int32Array(2 * n);
    buildAlias(prob, rowStart[r], n, aliasCut, aliasOther, work);
  }
  return { S, A, rowStart, next, prob, aliasCut, aliasOther };
}

/** Draw s' ~ P(·|s,a) for row r = s·A + a with one uniform u ∈ [0,1); O(1). */
export function sampleSuccessor(P: Transitions, r: number, u: number): number {
  const start = P.rowStart[r];
  return P.next[start + sampleAlias(P.aliasCut, P.aliasOther, start, P.rowStart[r + 1] - start, u)];
}

/** The dense S·A·S array `P[(s*A + a)*S + s']` (for small models, tests and export). */
export function denseTransitions(P: Transitions): Float64Array {
  const out = new Float64Array(P.S * P.A * P.S);
  for (let r = 0; r < P.S * P.A; r++) {
    for (let k = P.rowStart[r]; k < P.rowStart[r + 1]; k++) out[r * P.S + P.next[k]] += P.prob[k];
  }
  return out;
}

/** Number of stored non-zeros of P. */
export function transitionNonZeros(P: Transitions): number {
  return P.rowStart[P.S * P.A];
}
