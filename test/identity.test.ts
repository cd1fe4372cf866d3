import assert from 'node:assert/strict';
import { test } from 'node:test';
import { agentMDP, averageMDP, createRng, estimateGradient, exactGradient, garnet, gridworld, maxAbsDiff } from '../src/index';
import { bonferroniZ, randomTheta } from './helpers';

/*
 * Helper lemma (docs/paper.md): with P, γ, ρ shared, J is linear in R, so (1/N) Σ_i ∇J_i(θ) = ∇J̄(θ) where J̄ is
 * the MDP with R̄ = (1/N) Σ_i R_i; with entropy the regulariser is common to all agents, so it still holds.
 */
test('mean of the agents’ exact gradients equals the averaged MDP’s exact gradient (≤ 1e-12) on 60 random problems', () => {
  let worst = 0;
  for (let seed = 0; seed < 60; seed++) {
    const S = 2 + (seed % 7) * 4;
    const A = 2 + (seed % 3);
    const N = 1 + (seed % 6);
    const problem = garnet({ states: S, actions: A, branching: Math.min(S, 1 + (seed % 4)), agents: N, gamma: 0.5 + 0.45 * ((seed % 5) / 4), heterogeneity: (seed % 3) / 2, seed });
    const theta = randomTheta(S * A, `identity-${seed}`, 3);
    const entropy = seed % 2 === 0 ? 0 : 0.1;
    const mean = new Float64Array(S * A);
    for (let i = 0; i < N; i++) {
      const g = exactGradient(agentMDP(problem, i), theta, { entropy });
      for (let k = 0; k < S * A; k++) mean[k] += g[k] / N;
    }
    const err = maxAbsDiff(mean, exactGradient(averageMDP(problem), theta, { entropy }));
    worst = Math.max(worst, err);
  }
  assert.ok(worst <= 1e-12, `worst max-abs error ${worst}`);
});

test('identity on a gridworld with four goals, large S (iterative solver)', () => {
  const problem = gridworld({ width: 16, height: 16, goals: [[0, 0], [0, 15], [15, 0], [15, 15]], slip: 0.2, gamma: 0.9 });
  const theta = randomTheta(problem.S * problem.A, 'grid', 1);
  const mean = new Float64Array(theta.length);
  for (let i = 0; i < 4; i++) exactGradient(agentMDP(problem, i), theta).forEach((g, k) => (mean[k] += g / 4));
  const err = maxAbsDiff(mean, exactGradient(averageMDP(problem), theta));
  assert.ok(err <= 1e-12, `max-abs error ${err}`);
});

/*
 * In expectation: each agent's GPOMDP estimate is an unbiased estimate of ∇J_{i,K}, so the mean of N
 * independent estimates has mean ∇J̄_K and per-coordinate variance (1/N²) Σ_i v_i / M. The averaged MDP's
 * own estimate is independent of them, so their difference has variance (1/N²) Σ_i v_i/M + v̄/M; every
 * coordinate's |difference| / sd must stay below the Bonferroni 1e-4 critical value.
 */
test('identity in expectation for the sampled estimator, within a variance-derived bound', () => {
  const N = 3;
  const M = 4000;
  const problem = garnet({ states: 6, actions: 3, branching: 3, agents: N, gamma: 0.8, heterogeneity: 1, seed: 21 });
  const theta = randomTheta(18, 'sampled-identity');
  const rng = createRng('identity-sampled');
  const mean = new Float64Array(18);
  const varMean = new Float64Array(18);
  for (let i = 0; i < N; i++) {
    const { grad, stats } = estimateGradient(agentMDP(problem, i), theta, { horizon: 15, batch: M }, rng.fold(`agent:${i}`));
    for (let k = 0; k < 18; k++) {
      mean[k] += grad[k] / N;
      varMean[k] += (stats.variance as Float64Array)[k] / (N * N * M);
    }
  }
  const avg = estimateGradient(averageMDP(problem), theta, { horizon: 15, batch: M }, rng.fold('average'));
  const z = bonferroniZ(18);
  for (let k = 0; k < 18; k++) {
    const sd = Math.sqrt(varMean[k] + (avg.stats.variance as Float64Array)[k] / M);
    const diff = Math.abs(mean[k] - avg.grad[k]);
    assert.ok(diff <= z * sd, `coordinate ${k}: |difference| ${diff} > ${z.toFixed(2)} × sd ${sd}`);
  }
});
