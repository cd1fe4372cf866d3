import assert from 'node:assert/strict';
import { test } from 'node:test';
import { averageMDP, createGradientEstimator, createRng, type EstimatorBackend, type EstimatorKind, garnet, gridworld, type Policy, policyClass, type PolicySpec, referenceEstimate, type TabularMDP, tabularEnvironment, tabularStateSpace, truncatedGradient } from '../src/index';
import { createFeatureRows, logLinearPolicyAt } from '../src/internals';
import { bonferroniZ, randomTheta, worstZ } from './helpers';

// Sampled gradients of log-linear policies (estimators/sampled.ts): the reference walks with the log-linear
// policy, the kernel at the logits Φθ with its sums pulled back by Φᵀ. Both are unbiased for ∇J_K (z-tests
// with the estimator's own variance, two-sided, Bonferroni over the d coordinates), they walk the same
// trajectories (the mean return is equal bit for bit), and one-hot features are the tabular estimator bit for bit.

const mdp = averageMDP(garnet({ states: 7, actions: 3, branching: 3, agents: 3, gamma: 0.85, heterogeneity: 0.8, seed: 5, rewardShift: -0.5 }));
const grid = gridworld({ width: 4, height: 3, goals: [[0, 0], [2, 3]], walls: [[1, 1]], slip: 0.2, gamma: 0.9 });
const gridMDP = averageMDP(grid);
const CASES: [string, PolicySpec, TabularMDP][] = [
  ['random', { kind: 'log-linear', features: { kind: 'random', dimension: 6, nonZeros: 3, seed: 3 } }, mdp],
  ['tile-coding', { kind: 'log-linear', features: { kind: 'tile-coding', tiles: [2, 2], tilings: 2 } }, gridMDP],
];

test('one-hot features give the tabular sampled estimates bit for bit (both backends, both estimators, τ = 0 and 0.3)', () => {
  const theta = randomTheta(mdp.S * mdp.A, 'one-hot-sampled', 1.5);
  for (const backend of ['wasm', 'reference'] as EstimatorBackend[]) {
    for (const estimator of ['gpomdp', 'reinforce'] as EstimatorKind[]) {
      for (const entropy of [0, 0.3]) {
        const options = { horizon: 9, batch: 37, estimator, entropy, backend };
        const a = createGradientEstimator(mdp, options).estimate(theta, createRng('one-hot'));
        const b = createGradientEstimator(mdp, { ...options, policy: { kind: 'log-linear', features: { kind: 'one-hot' } } }).estimate(theta, createRng('one-hot'));
        assert.deepStrictEqual(b.grad, a.grad, `${backend} ${estimator} τ = ${entropy}`);
        assert.deepStrictEqual(b.stats, a.stats);
      }
    }
  }
});

test('log-linear sampled gradients are unbiased for ∇J_K: both backends, GPOMDP and REINFORCE, τ = 0 and 0.3', () => {
  const K = 6;
  const M = 6000;
  for (const [name, policy, m] of CASES) {
    const d = policyClass(policy, tabularStateSpace(m)).dimension;
    const theta = randomTheta(d, `unbiased-${name}`, 1);
    for (const entropy of [0, 0.3]) {
      const truth = truncatedGradient(m, theta, { horizon: K, entropy, policy }).grad;
      const flipped = truth.map((x) => -x);
      for (const backend of ['wasm', 'reference'] as EstimatorBackend[]) {
        for (const estimator of ['gpomdp', 'reinforce'] as EstimatorKind[]) {
          const est = createGradientEstimator(m, { horizon: K, batch: M, estimator, entropy, backend, policy }).estimate(theta, createRng(`z-${name}-${entropy}-${backend}-${estimator}`));
          const variance = est.stats.variance as Float64Array;
          // Under unbiasedness each z is ≈ N(0, 1) (M = 6000 per-trajectory terms); Bonferroni at family level 1e-4.
          const z = worstZ(est.grad, truth, variance, M);
          assert.ok(z < bonferroniZ(d), `${name} ${backend} ${estimator} τ = ${entropy}: worst |z| = ${z.toFixed(2)}`);
          // The same test rejects −∇J_K (a score with the wrong sign): it has the power to see a wrong mean.
          assert.ok(worstZ(est.grad, flipped, variance, M) > bonferroniZ(d), `${name} ${backend} ${estimator}: no power`);
        }
      }
    }
  }
});

test('the kernel path walks the reference trajectories: mean return bit for bit, ĝ within the round-off of its sums', () => {
  const U = 2 ** -53;
  for (const [name, policy, m] of CASES) {
    const cls = policyClass(policy, tabularStateSpace(m));
    const theta = randomTheta(cls.dimension, `paths-${name}`, 1.5);
    for (const reinforce of [false, true]) {
      const options = { horizon: 11, batch: 300, estimator: (reinforce ? 'reinforce' : 'gpomdp') as EstimatorKind, entropy: 0.2 };
      const fast = createGradientEstimator(m, { ...options, policy, backend: 'wasm' }).estimate(theta, createRng(name));
      const ref = createGradientEstimator(m, { ...options, policy, backend: 'reference' }).estimate(theta, createRng(name));
      assert.equal(fast.stats.meanReturn, ref.stats.meanReturn);
      // Per coordinate k both sum the terms G·π(b|s)φ(s,b)_k and G·φ(s,a)_k of every visit, in different orders and
      // groupings (the kernel adds G into W(s,a) first, forms W − π ΣW, then Φᵀ): each errs by at most γ_n Σ|terms|
      // (Higham, Accuracy and Stability, §4.2), n the terms in the longest chain, ≤ steps·(A + 1)·(entries per row).
      // Σ|terms| per coordinate: the same stream walked again with a policy that adds |G|·|term| instead.
      const lin = logLinearPolicyAt(cls.features!, theta);
      const rows = createFeatureRows(cls.features!);
      const magnitudes: Policy<number> = {
        dimension: cls.dimension,
        sample: (s, u) => lin.sample(s, u),
        logProb: (s, a) => lin.logProb(s, a),
        addScore(s, a, w, out) {
          const { pi } = lin.row(s);
          cls.features!.write(s, rows);
          for (let b = 0; b < m.A; b++) for (let e = rows.start[b]; e < rows.start[b + 1]; e++) out[rows.index[e]] += Math.abs(w * pi[b] * rows.value[e]);
          for (let e = rows.start[a]; e < rows.start[a + 1]; e++) out[rows.index[e]] += Math.abs(w * rows.value[e]);
        },
      };
      const total = new Float64Array(cls.dimension);
      referenceEstimate(tabularEnvironment(m), magnitudes, m.gamma, { horizon: 11, batch: 300, reinforce, entropy: 0.2, variance: false }, createRng(name), total);
      const n = 300 * 11 * (m.A + 1) * cls.features!.capacity + m.A + 2;
      const gammaN = (n * U) / (1 - n * U);
      let worst = 0;
      for (let k = 0; k < cls.dimension; k++) {
        const diff = Math.abs(fast.grad[k] - ref.grad[k]);
        assert.ok(diff <= 2 * gammaN * total[k], `${name} k=${k}: ${diff} > ${2 * gammaN * total[k]}`);
        worst = Math.max(worst, diff);
      }
      assert.ok(worst > 0 || name === 'none', 'the two paths sum in different orders (a zero difference everywhere would suggest one path)');
      const vf = fast.stats.variance as Float64Array;
      const vr = ref.stats.variance as Float64Array;
      for (let k = 0; k < cls.dimension; k++) assert.ok(Math.abs(vf[k] - vr[k]) <= 1e-9 * Math.max(1e-12, vr[k]), `${name} variance k=${k}`);
    }
  }
});
