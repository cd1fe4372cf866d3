import { checkInteger, checkPositive } from '../core/check';
import { logSoftmaxRows, softmaxRows } from '../core/softmax';
import { checkEvaluationOptions, type EvaluationOptions, evaluatePolicyProbs } from './evaluate';
import type { TabularMDP } from './problem';

/** The optimum of an MDP (regularised when τ > 0). */
export interface OptimalSolution {
  /** J* = ρᵀ V*. */
  J: number;
  V: Float64Array;
  Q: Float64Array;
  /** An optimal policy π*(a|s): deterministic when τ = 0, π* ∝ exp(Q* ÷ τ) when τ > 0. */
  pi: Float64Array;
  /** Softmax logits of π* when τ > 0 (θ* = Q* ÷ τ); undefined when τ = 0 (no finite θ attains the optimum). */
  theta?: Float64Array;
  /** Improvement steps (policy iteration) or sweeps (value iteration) taken. */
  iterations: number;
  /** Bound on ‖V − V*‖∞ when it ends: 0 for a stable policy of exact policy iteration. */
  residual: number;
  method: 'policy-iteration' | 'soft-policy-iteration' | 'value-iteration' | 'soft-value-iteration';
}

/** Options of `optimalValue` and `valueIteration`. */
export interface OptimalOptions extends EvaluationOptions {
  /** Stop when the bound on ‖V − V*‖∞ is below tolerance × max|R|/(1−γ). Default 1e-13. */
  tolerance?: number;
  maxIterations?: number;
}

function rewardScale(mdp: TabularMDP): number {
  let m = 0;
  for (let k = 0; k < mdp.reward.length; k++) m = Math.max(m, Math.abs(mdp.reward[k]));
  return Math.max(m, 1e-300) / (1 - mdp.gamma);
}

/** Q(s,a) = R(s,a) + γ Σ_s' P(s'|s,a) V(s'). */
function backup(mdp: TabularMDP, V: Float64Array, Q: Float64Array): Float64Array {
  const P = mdp.transitions;
  for (let k = 0; k < Q.length; k++) {
    let next = 0;
    for (let j = P.rowStart[k]; j < P.rowStart[k + 1]; j++) next += P.prob[j] * V[P.next[j]];
    Q[k] = mdp.reward[k] + mdp.gamma * next;
  }
  return Q;
}

function greedy(Q: Float64Array, S: number, A: number, previous: Float64Array | undefined, slack: number): Float64Array {
  const pi = new Float64Array(S * A);
  for (let s = 0; s < S; s++) {
    let best = 0;
    for (let a = 1; a < A; a++) if (Q[s * A + a] > Q[s * A + best]) best = a;
    // Keep the previous action unless another is better by more than round-off, so PI terminates.
    if (previous) {
      for (let a = 0; a < A; a++) {
        if (previous[s * A + a] === 1 && Q[s * A + a] >= Q[s * A + best] - slack) best = a;
      }
    }
    pi[s * A + best] = 1;
  }
  return pi;
}

/**
 * Optimal value of an MDP by policy iteration, exact up to the linear solve.
 * τ = 0: Howard's policy iteration (evaluate exactly, act greedily; finite termination).
 * τ > 0: soft policy iteration, π_{k+1} ∝ exp(Q_{π_k}/τ) with Q the soft Q of mdp/evaluate.ts, which
 * converges to the unique fixed point V* = τ log Σ_a exp(Q* ÷ τ); stops when ‖V_{k+1} − V_k‖∞ ≤
 * tolerance × max|R|/(1−γ). `valueIteration` is the independent (slower) check used in the tests.
 */
export function optimalValue(mdp: TabularMDP, options: OptimalOptions = {}): OptimalSolution {
  const { entropy, solver } = checkEvaluationOptions(options, ['tolerance', 'maxIterations'], 'optimalValue options');
  const tolerance = checkPositive('tolerance', options.tolerance ?? 1e-13);
  const maxIterations = checkInteger('maxIterations', options.maxIterations ?? 10_000, 1);
  const { S, A } = mdp;
  const scale = rewardScale(mdp);
  const Q0 = Float64Array.from(mdp.reward);
  if (entropy === 0) {
    let pi = greedy(Q0, S, A, undefined, 0);
    const zeros = new Float64Array(S * A);
    for (let it = 1; it <= maxIterations; it++) {
      const ev = evaluatePolicyProbs(mdp, pi, zeros, { entropy: 0, solver });
      const next = greedy(ev.Q, S, A, pi, 1e-13 * scale);
      let same = true;
      for (let k = 0; k < S * A && same; k++) same = next[k] === pi[k];
      if (same) return { J: ev.J, V: ev.V, Q: ev.Q, pi, iterations: it, residual: 0, method: 'policy-iteration' };
      pi = next;
    }
    throw new Error(`optimalValue: policy iteration did not stabilise in ${maxIterations} iterations`);
  }
  let theta = Q0.map((q) => q / entropy);
  let previousV: Float64Array | undefined;
  for (let it = 1; it <= maxIterations; it++) {
    const pi = softmaxRows(theta, S, A, new Float64Array(S * A));
    const logPi = logSoftmaxRows(theta, S, A, new Float64Array(S * A));
    const ev = evaluatePolicyProbs(mdp, pi, logPi, { entropy, solver });
    let change = Infinity;
    if (previousV) {
      change = 0;
      for (let s = 0; s < S; s++) change = Math.max(change, Math.abs(ev.V[s] - previousV[s]));
    }
    theta = ev.Q.map((q) => q / entropy);
    if (change <= tolerance * scale) {
      const piStar = softmaxRows(theta, S, A, new Float64Array(S * A));
      return { J: ev.J, V: ev.V, Q: ev.Q, pi: piStar, theta, iterations: it, residual: change, method: 'soft-policy-iteration' };
    }
    previousV = ev.V;
  }
  throw new Error(`optimalValue: soft policy iteration did not converge in ${maxIterations} iterations`);
}

/**
 * (Soft) value iteration: V ← max_a Q(s,a) (τ = 0) or V ← τ log Σ_a exp(Q(s,a)/τ) (τ > 0), with
 * Q = R + γPV, from V = 0. Both are γ-contractions, so after a sweep that changed V by Δ in the sup norm,
 * ‖V − V*‖∞ ≤ γΔ/(1−γ); it stops when that bound is ≤ tolerance × max|R|/(1−γ) (default 1e-12).
 */
export function valueIteration(mdp: TabularMDP, options: OptimalOptions = {}): OptimalSolution {
  const { entropy } = checkEvaluationOptions(options, ['tolerance', 'maxIterations'], 'valueIteration options');
  const tolerance = checkPositive('tolerance', options.tolerance ?? 1e-12);
  const maxIterations = checkInteger('maxIterations', options.maxIterations ?? 1_000_000, 1);
  const { S, A, gamma } = mdp;
  const scale = rewardScale(mdp);
  let V = new Float64Array(S);
  const Q = new Float64Array(S * A);
  for (let it = 1; it <= maxIterations; it++) {
    backup(mdp, V, Q);
    const next = new Float64Array(S);
    let delta = 0;
    for (let s = 0; s < S; s++) {
      let v: number;
      if (entropy > 0) {
        let m = -Infinity;
        for (let a = 0; a < A; a++) m = Math.max(m, Q[s * A + a] / entropy);
        let z = 0;
        for (let a = 0; a < A; a++) z += Math.exp(Q[s * A + a] / entropy - m);
        v = entropy * (m + Math.log(z));
      } else {
        v = -Infinity;
        for (let a = 0; a < A; a++) v = Math.max(v, Q[s * A + a]);
      }
      next[s] = v;
      delta = Math.max(delta, Math.abs(v - V[s]));
    }
    V = next;
    const residual = (gamma * delta) / (1 - gamma);
    if (residual <= tolerance * scale) {
      backup(mdp, V, Q);
      let J = 0;
      for (let s = 0; s < S; s++) J += mdp.rho[s] * V[s];
      if (entropy > 0) {
        const theta = Q.map((q) => q / entropy);
        const pi = softmaxRows(theta, S, A, new Float64Array(S * A));
        return { J, V, Q, pi, theta, iterations: it, residual, method: 'soft-value-iteration' };
      }
      return { J, V, Q, pi: greedy(Q, S, A, undefined, 0), iterations: it, residual, method: 'value-iteration' };
    }
  }
  throw new Error(`valueIteration: no convergence in ${maxIterations} sweeps`);
}
