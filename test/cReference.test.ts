import assert from 'node:assert/strict';
import { test } from 'node:test';
import { averageMDP, garnet, truncatedGradient } from '../src/index';
import { gccVersion, runCReference, worstZOfBatches } from '../bench/cReference';
import { bonferroniZ, randomTheta } from './helpers';

test('the C reference estimator (bench/c) is unbiased for ∇J_K: mean of B estimates within a Bonferroni z-bound', { skip: gccVersion() === null ? 'gcc not installed' : false }, () => {
  const mdp = averageMDP(garnet({ states: 7, actions: 3, branching: 3, agents: 1, gamma: 0.85, heterogeneity: 0, seed: 5 }));
  const theta = randomTheta(21, 'c-reference', 1.5);
  const K = 20;
  const M = 50;
  const B = 1000;
  const r = runCReference(mdp, theta, K, M, 1, B);
  const truth = truncatedGradient(mdp, theta, { horizon: K }).grad;
  const z = worstZOfBatches(r.mean, r.variance, B, truth);
  assert.ok(z < bonferroniZ(21), `worst z-score ${z.toFixed(2)} ≥ ${bonferroniZ(21).toFixed(2)}`);
  // The bound has power: a truth shifted by 10 standard errors per coordinate is refused.
  const shifted = truth.map((g, k) => g + 10 * Math.sqrt(r.variance[k] / B) + 1e-9);
  assert.ok(worstZOfBatches(r.mean, r.variance, B, shifted) > bonferroniZ(21), 'the check must see a shift');
  assert.ok(r.seconds > 0 && r.secondsPrepared > 0);
});
