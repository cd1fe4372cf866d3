import { checkVector } from '../core/check';
import { softmaxLogRows } from '../core/softmax';
import { checkEvaluationOptions, type EvaluationOptions, evaluatePolicyProbs, type PolicyEvaluation } from '../mdp/evaluate';
import type { TabularMDP } from '../mdp/problem';
import { tabularStateSpace } from '../mdp/stateSpace';
import { featureLogits } from './logLinear';
import { type PolicyClass, policyClass, type PolicySpec } from './policyClass';

/** Options of exact evaluation of π_θ: τ, the solver, and the policy class (default: the tabular softmax). */
export interface PolicyEvaluationOptions extends EvaluationOptions {
  /** 'tabular' (default) or a log-linear class: a spec (policy/policyClass.ts) or a class from `policyClass`. */
  policy?: PolicySpec | PolicyClass<number>;
}

/**
 * The policy class an exact routine uses on `mdp` (null for the tabular softmax, whose path stays as it was),
 * with the options left for evaluatePolicyProbs.
 */
export function exactPolicyClass(mdp: TabularMDP, options: PolicyEvaluationOptions, extra: readonly string[] = [], what = 'evaluation options'): { policy: PolicyClass<number> | null; rest: EvaluationOptions } {
  checkEvaluationOptions(options, ['policy', ...extra], what);
  const { policy, ...rest } = options ?? {};
  if (policy === undefined) return { policy: null, rest };
  const cls = policyClass(policy, tabularStateSpace(mdp));
  return { policy: cls.features === null ? null : cls, rest };
}

/**
 * Exact evaluation of π_θ on `mdp` (mdp/evaluate.ts gives V, Q, the advantage, d_ρ and J of given
 * probabilities). The tabular softmax π_θ(a|s) = exp θ(s,a) / Σ_b exp θ(s,b) by default; with a log-linear
 * class, π_θ(a|s) ∝ exp ℓ(s, a) with the logits ℓ = Φθ (policy/logLinear.ts), θ of the class's length d.
 * Everything returned is over state–action pairs (π, Q, A of length S·A), whatever d is.
 */
export function evaluatePolicy(mdp: TabularMDP, theta: ArrayLike<number>, options: PolicyEvaluationOptions = {}): PolicyEvaluation {
  const { policy, rest } = exactPolicyClass(mdp, options);
  const th = checkVector('theta', theta, policy ? policy.dimension : mdp.S * mdp.A);
  const logits = policy?.features ? featureLogits(policy.features, th, mdp.S) : th;
  const pi = new Float64Array(mdp.S * mdp.A);
  const logPi = new Float64Array(mdp.S * mdp.A);
  softmaxLogRows(logits, mdp.S, mdp.A, pi, logPi);
  return evaluatePolicyProbs(mdp, pi, logPi, rest);
}
