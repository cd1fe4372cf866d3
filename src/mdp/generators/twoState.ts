import { checkVector } from '../../core/check';
import { TWO_STATE_SCHEMA } from '../../core/parameters';
import { validateObject } from '../../core/schema';
import { createProblem, type FederatedProblem } from '../problem';

/** Parameters of the two-state toy. */
export interface TwoStateOptions {
  gamma: number;
  /** Reward tables, each [R(0,stay), R(0,switch), R(1,stay), R(1,switch)]. Default: agent 0 likes state 0, agent 1 likes state 1. */
  rewards?: readonly (readonly number[])[];
  /** Initial distribution; default [1, 0]. */
  rho?: readonly number[];
}

/**
 * A 2-state, 2-action toy with closed-form values: action 0 "stay" keeps the state, action 1 "switch"
 * moves to the other state, deterministically. Under π with p_s = π(stay|s), P_π = [[p₀, 1−p₀], [1−p₁, p₁]],
 * so V = (I − γP_π)⁻¹ r_π is a 2×2 inverse (worked by hand in test/closedForm.test.ts).
 */
export function twoState(options: TwoStateOptions): FederatedProblem {
  validateObject('', options, TWO_STATE_SCHEMA, 'two-state options');
  const rewards = (options.rewards ?? [[1, 0, 0, 0], [0, 0, 1, 0]]).map((r, i) => checkVector(`rewards[${i}]`, r, 4));
  return createProblem({
    name: 'two-state',
    S: 2,
    A: 2,
    gamma: options.gamma,
    rho: options.rho ?? [1, 0],
    transitions: { dense: [/* s=0 */ 1, 0, 0, 1, /* s=1 */ 0, 1, 1, 0] },
    rewards,
    stateNames: ['s0', 's1'],
    actionNames: ['stay', 'switch'],
    meta: { generator: 'two-state', ...options },
  });
}
