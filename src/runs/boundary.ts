import { formatValue } from '../core/check';
import { DivergenceError, ValidationError } from '../core/errors';
import type { AgentRound, Algorithm, RoundResult } from '../algorithms/algorithm';

/**
 * The plug-in boundary: what an algorithm hands the run loop (its init state, each round's result, its θ̄ and
 * θ_i) and what it hands the round context (θ, output buffers, counts) is checked here, on every round,
 * whatever the metrics setting, because a wrong length or a NaN that passes becomes a NaN column, a
 * TypeError far from its cause, or a state that cannot be restored. Every failure names the algorithm, where
 * (init, round t, a context call), the field and the value. The cost is O(N·d) per round, against a round's
 * N·(H+1) gradient estimates of at least O(d) each (docs/plugins.md gives the measured share).
 */

/** Where a value came from: `algorithm "x", round 3` or `algorithm "x", init`. */
export interface BoundarySite {
  algorithm: string;
  where: string;
}

/** Throw a ValidationError `algorithm "x", round t: <field> <problem>` carrying the field and the value. */
export function boundaryFail(site: BoundarySite, field: string, value: unknown, problem: string): never {
  throw new ValidationError(field, value, `algorithm "${site.algorithm}", ${site.where}: ${field} ${problem}`);
}

/**
 * A parameter vector across the boundary: a Float64Array of length d with finite entries. A non-finite
 * entry is a divergence (DivergenceError naming the index and the value), anything else a ValidationError.
 */
export function checkParameters(site: BoundarySite, field: string, v: unknown, d: number): Float64Array {
  if (!(v instanceof Float64Array)) boundaryFail(site, field, v, `must be a Float64Array of length ${d}, got ${formatValue(v)}`);
  if (v.length !== d) boundaryFail(site, field, v, `has length ${v.length}, expected ${d} (d, the policy's parameters)`);
  for (let k = 0; k < d; k++) {
    const x = v[k];
    // x − x is 0 for finite x and NaN for ±∞ and NaN: one comparison per entry.
    if (x - x !== 0) throw new DivergenceError(`diverged: algorithm "${site.algorithm}", ${site.where}: ${field}[${k}] is ${formatValue(x)}`);
  }
  return v;
}

/** A vector of `length` finite numbers ≥ 0 (drifts). */
function checkNonNegativeVector(site: BoundarySite, field: string, v: unknown, length?: number): void {
  if (!(v instanceof Float64Array)) boundaryFail(site, field, v, `must be a Float64Array, got ${formatValue(v)}`);
  if (length !== undefined && v.length !== length) boundaryFail(site, field, v, `has length ${v.length}, expected ${length}`);
  for (let k = 0; k < v.length; k++) if (!(v[k] >= 0 && v[k] < Infinity)) boundaryFail(site, `${field}[${k}]`, v[k], `must be a finite number ≥ 0, got ${formatValue(v[k])}`);
}

/** A count of envSteps, messages or syncs: a non-negative integer. */
export function checkCount(site: BoundarySite, field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) boundaryFail(site, field, value, `must be an integer ≥ 0, got ${formatValue(value)}`);
  return value;
}

/** A per-agent list: an array of exactly N entries. */
function checkPerAgent(site: BoundarySite, field: string, v: unknown, N: number): readonly unknown[] {
  if (!Array.isArray(v)) boundaryFail(site, field, v, `must be an array of N = ${N} entries, got ${formatValue(v)}`);
  if (v.length !== N) boundaryFail(site, field, v, `has length ${v.length}, expected one entry per agent (N = ${N})`);
  return v;
}

/** One AgentRound of a round's `agents`. */
function checkAgentRound(site: BoundarySite, i: number, a: unknown, d: number, full: boolean): void {
  const f = `agents[${i}]`;
  if (a === null || typeof a !== 'object') boundaryFail(site, f, a, `must be an AgentRound object (what localUpdate returns), got ${formatValue(a)}`);
  const r = a as Partial<AgentRound>;
  checkParameters(site, `${f}.thetaLocal`, r.thetaLocal, d);
  checkNonNegativeVector(site, `${f}.drift`, r.drift);
  if (r.correction != null) checkParameters(site, `${f}.correction`, r.correction, d);
  if (r.anchor != null) checkParameters(site, `${f}.anchor`, r.anchor, d);
  checkCount(site, `${f}.envSteps`, r.envSteps);
  if (full && r.gradients != null) {
    if (!Array.isArray(r.gradients)) boundaryFail(site, `${f}.gradients`, r.gradients, `must be an array of vectors, got ${formatValue(r.gradients)}`);
    r.gradients.forEach((g, l) => checkParameters(site, `${f}.gradients[${l}]`, g, d));
  }
}

/** θ_i of a personalised algorithm: null or N parameter vectors. */
export function checkAgentTheta(site: BoundarySite, own: unknown, N: number, d: number): readonly Float64Array[] | null {
  if (own == null) return null;
  checkPerAgent(site, 'agentTheta(state)', own, N).forEach((v, i) => checkParameters(site, `agentTheta(state)[${i}]`, v, d));
  return own as Float64Array[];
}

/**
 * A round's result: an object with a state whose θ̄ is a finite vector of length d, and, when present, N
 * AgentRounds, an anchor mean of length d and an assignment of N integers ≥ 0. Returns the new θ̄.
 */
export function checkRoundResult<S>(site: BoundarySite, algorithm: Algorithm<S>, out: unknown, N: number, d: number, full: boolean): Float64Array {
  if (out === null || typeof out !== 'object') boundaryFail(site, 'round(ctx, state)', out, `must return { state, agents?, anchorMean?, assignment? }, got ${formatValue(out)}`);
  const r = out as Partial<RoundResult<S>>;
  if (r.state === undefined) boundaryFail(site, 'round(ctx, state).state', r.state, 'is missing: a round returns { state, … }');
  const thetaBar = checkParameters(site, 'thetaBar', thetaBarOf(site, algorithm, r.state as S), d);
  if (r.agents !== undefined) checkPerAgent(site, 'agents', r.agents, N).forEach((a, i) => checkAgentRound(site, i, a, d, full));
  if (r.anchorMean != null) checkParameters(site, 'anchorMean', r.anchorMean, d);
  if (r.assignment != null) {
    checkPerAgent(site, 'assignment', r.assignment, N).forEach((k, i) => {
      if (!Number.isSafeInteger(k) || (k as number) < 0) boundaryFail(site, `assignment[${i}]`, k, `must be a model index (an integer ≥ 0), got ${formatValue(k)}`);
    });
  }
  return thetaBar;
}

/** The algorithm's θ̄ of a state (its `thetaBar`, whose own errors are given the site). */
export function thetaBarOf<S>(site: BoundarySite, algorithm: Algorithm<S>, state: S): unknown {
  try {
    return algorithm.thetaBar(state);
  } catch (e) {
    if (e instanceof ValidationError) boundaryFail(site, e.field, e.value, e.message.startsWith(e.field) ? e.message.slice(e.field.length + 1) : e.message);
    throw e;
  }
}

/** Refuse a round that changed θ̄ᵗ in the state it was given (`before` as it was, `copy` taken before the round). */
export function checkUnchanged(site: BoundarySite, before: Float64Array, copy: Float64Array): void {
  for (let k = 0; k < copy.length; k++) {
    // Object.is: a NaN that stayed NaN is unchanged; −0 and 0 differ.
    if (!Object.is(before[k], copy[k])) {
      boundaryFail(site, 'thetaBar', before, `of the state the round was given was updated in place (entry ${k}: ${formatValue(copy[k])} → ${formatValue(before[k])}): a round must return a new state and leave its input as it was (docs/plugins.md, State)`);
    }
  }
}
