import { sampleAlias } from '../core/alias';
import type { TabularMDP } from './problem';
import { sampleSuccessor } from './transitions';

/**
 * What a sampled estimator asks of an environment: a start state and a successor, each from one uniform
 * u ∈ [0, 1) of the caller's stream (so samples depend only on the stream), and the agent's reward. A
 * tabular MDP is one (`tabularEnvironment`); a simulator with its own state type can be another.
 */
export interface Environment<State> {
  /** s₀ ~ ρ. */
  reset(u: number): State;
  /** s' ~ P(·|s, a). */
  step(s: State, a: number, u: number): State;
  /** R(s, a). */
  reward(s: State, a: number): number;
}

/** A TabularMDP as an Environment over states 0 … S−1: ρ and each row of P drawn from their alias tables. */
export function tabularEnvironment(mdp: TabularMDP): Environment<number> {
  const { S, A, reward: R, transitions: P, rhoCut, rhoOther } = mdp;
  return {
    reset: (u) => sampleAlias(rhoCut, rhoOther, 0, S, u),
    step: (s, a, u) => sampleSuccessor(P, s * A + a, u),
    reward: (s, a) => R[s * A + a],
  };
}
