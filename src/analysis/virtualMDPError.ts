import { createRng } from '../core/rng';
import { VIRTUAL_MDP_ERROR_SCHEMA } from '../core/parameters';
import { validateObject } from '../core/schema';
import { federatedObjective } from '../estimators/federated';
import { evaluatePolicy } from '../policy/evaluatePolicy';
import { garnet, type GarnetOptions } from '../mdp/generators/garnet';
import type { FederatedProblem } from '../mdp/problem';
import { virtualMDP, virtualMDPBound } from '../mdp/virtual';

/** How far the virtual MDP's objective is from the federated one, over random policies, and the bound. */
export interface VirtualMDPError {
  /** max_k |J(π_k) − J̄(π_k)| over the random policies π_k. */
  maxError: number;
  /** (1/n) Σ_k |J(π_k) − J̄(π_k)|. */
  meanError: number;
  /** The simulation-lemma bound (virtualMDPBound), which holds for every policy. */
  bound: number;
  /** maxError / bound (0 when the bound is 0: shared P, where J̄ = J exactly). */
  ratio: number;
  policies: number;
  /** Half-width of the random θ entries. */
  scale: number;
}

/**
 * The virtual MDP's error against its bound: for n random policies π_k (θ entries iid U[−scale, scale],
 * stream `seed/policy:k`), e_k = |J(π_k) − J̄(π_k)| with J = (1/N) Σ_i J_i exact by agents
 * (`federatedObjective`) and J̄ the value of (P̄, R̄) (`virtualMDP`), both with entropy weight τ; returns
 * max_k e_k, mean_k e_k and the bound γ/(2(1−γ)²) · (1/N) Σ_i span_i ε_i (docs/heterogeneous-transitions.md).
 * The maximum over random policies is a lower bound on sup_π |J − J̄|, which the bound caps from above.
 */
export function virtualMDPError(problem: FederatedProblem, options: Record<string, unknown> = {}): VirtualMDPError {
  const o = validateObject('', options, VIRTUAL_MDP_ERROR_SCHEMA, 'virtualMDPError options');
  const entropy = o.entropy as number;
  const n = o.policies as number;
  const scale = o.scale as number;
  const size = problem.S * problem.A;
  const virtual = virtualMDP(problem);
  const root = createRng(o.seed as number | string);
  let maxError = 0;
  let sum = 0;
  for (let k = 0; k < n; k++) {
    const rng = root.fold(`policy:${k}`);
    const theta = Float64Array.from({ length: size }, () => scale * (2 * rng.double() - 1));
    const e = Math.abs(federatedObjective(problem, theta, { entropy }).J - evaluatePolicy(virtual, theta, { entropy }).J);
    maxError = Math.max(maxError, e);
    sum += e;
  }
  const { bound } = virtualMDPBound(problem, { entropy });
  return { maxError, meanError: sum / n, bound, ratio: bound > 0 ? maxError / bound : 0, policies: n, scale };
}

/**
 * `virtualMDPError` on the Garnet `base` at each transition heterogeneity κ (and each reward heterogeneity h
 * of `heterogeneities`, default [base.heterogeneity]): one row per (h, κ) with `heterogeneity`,
 * `transitionHeterogeneity`, `maxError`, `meanError`, `bound`, `ratio`, `policies`, `scale`, the rows
 * `virtualBoundFigure` draws. The same policies (seed) are used at every κ.
 */
export function virtualMDPErrorAgainstKappa(base: Omit<GarnetOptions, 'transitionHeterogeneity'>, kappas: readonly number[], options: Record<string, unknown> & { heterogeneities?: readonly number[] } = {}): Record<string, number>[] {
  const { heterogeneities, ...errorOptions } = options;
  const hs = heterogeneities ?? [base.heterogeneity ?? 1];
  return hs.flatMap((h) =>
    kappas.map((kappa) => {
      const e = virtualMDPError(garnet({ ...base, heterogeneity: h, transitionHeterogeneity: kappa }), errorOptions);
      return { heterogeneity: h, transitionHeterogeneity: kappa, maxError: e.maxError, meanError: e.meanError, bound: e.bound, ratio: e.ratio, policies: e.policies, scale: e.scale };
    }),
  );
}
