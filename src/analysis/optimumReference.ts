import { createRng } from '../core/rng';
import { OPTIMUM_REFERENCE_SCHEMA } from '../core/parameters';
import { validateObject } from '../core/schema';
import { federatedObjective } from '../estimators/federated';
import type { FederatedProblem } from '../mdp/problem';

/** One start of the reference ascent. */
export interface ReferenceStart {
  /** θ at the end. */
  theta: Float64Array;
  /** J(θ) = (1/N) Σ_i J_i(θ) at the end. */
  J: number;
  /** ‖∇J(θ)‖² at the end (the stationarity Theorem 2 bounds). */
  gradNormSq: number;
  /** Ascent steps taken. */
  iterations: number;
}

/** A reference for the federated optimum: the best of several exact-gradient ascents, and their spread. */
export interface OptimumReference {
  /** max over starts of the final J: a value some policy attains, so a lower bound on J*, not J* itself. */
  J: number;
  /** θ of the best start. */
  theta: Float64Array;
  /** ‖∇J‖² at the best start's end. */
  gradNormSq: number;
  /** max − min of the final J over starts (0: every start reached the same value). */
  spread: number;
  starts: ReferenceStart[];
  method: 'exact-gradient-ascent (union objective, Armijo backtracking)';
}

/**
 * A reference for max_θ J(θ), J = (1/N) Σ_i J_i, when value iteration does not give it (per-agent P_i: the
 * best common policy of the union MDP is constrained to be tied across agents). Exact gradient ascent,
 * θ ← θ + η ∇J(θ), from θ = 0 and from `starts − 1` random θ (entries U[−scale, scale], stream
 * `seed/start:k`), each step with Armijo backtracking (accept η when J(θ + η∇J) ≥ J(θ) + ½ η ‖∇J‖², else
 * halve; the next step tries 2η), until ‖∇J‖² ≤ tolerance·(max|R|/(1−γ))² or `iterations` steps. J and ∇J are
 * exact (estimators/federated.ts). Works for shared P too (where optimalValue gives J* directly, a check).
 * Gradient ascent on a non-concave objective finds stationary points: the best final J is a lower bound on J*,
 * and `spread` says how much the starts disagree.
 */
export function optimumReference(problem: FederatedProblem, options: Record<string, unknown> = {}): OptimumReference {
  const o = validateObject('', options, OPTIMUM_REFERENCE_SCHEMA, 'optimumReference options');
  const { S, A, gamma } = problem;
  const entropy = o.entropy as number;
  const rMax = problem.rewards.reduce((m, R) => R.reduce((mm, r) => Math.max(mm, Math.abs(r)), m), 0) + entropy * Math.log(A);
  const stop = (o.tolerance as number) * (Math.max(rMax, 1e-300) / (1 - gamma)) ** 2;
  const root = createRng(o.seed as number | string);
  const starts: ReferenceStart[] = [];
  for (let k = 0; k < (o.starts as number); k++) {
    const rng = root.fold(`start:${k}`);
    const scale = o.scale as number;
    let theta = Float64Array.from({ length: S * A }, () => (k === 0 ? 0 : (2 * rng.double() - 1) * scale));
    let current = federatedObjective(problem, theta, { entropy });
    let eta = 1;
    let it = 0;
    let g2 = current.grad.reduce((acc, g) => acc + g * g, 0);
    while (it < (o.iterations as number) && g2 > stop) {
      for (;;) {
        const trial = Float64Array.from(theta, (t, j) => t + eta * current.grad[j]);
        const next = federatedObjective(problem, trial, { entropy });
        if (next.J >= current.J + 0.5 * eta * g2 || eta < 1e-12) {
          theta = trial;
          current = next;
          break;
        }
        eta /= 2;
      }
      eta *= 2;
      it++;
      g2 = current.grad.reduce((acc, g) => acc + g * g, 0);
    }
    starts.push({ theta, J: current.J, gradNormSq: g2, iterations: it });
  }
  let best = starts[0];
  for (const s of starts) if (s.J > best.J) best = s;
  const Js = starts.map((s) => s.J);
  return { J: best.J, theta: best.theta, gradNormSq: best.gradNormSq, spread: Math.max(...Js) - Math.min(...Js), starts, method: 'exact-gradient-ascent (union objective, Armijo backtracking)' };
}
