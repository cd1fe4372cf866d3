import assert from 'node:assert/strict';
import { test } from 'node:test';
import { agentMDP, averageMDP, defineFeatures, evaluatePolicy, exactGradient, federatedObjective, garnet, gridworld, maxAbs, maxAbsDiff, policyClass, type PolicySpec, type TabularMDP, tabularStateSpace, truncatedGradient, unionObjective, windyCliff } from '../src/index';
import { createFeatureRows } from '../src/internals';
import { randomTheta } from './helpers';

// Exact quantities of log-linear policies (estimators/exact.ts, truncated.ts, federated.ts): checked against
// central differences of J, against the policy-gradient theorem written literally with the centred score,
// against the tabular code for one-hot features (bit for bit), and the helper lemma for log-linear policies.

const problem = garnet({ states: 9, actions: 3, branching: 3, agents: 4, gamma: 0.85, heterogeneity: 0.9, seed: 11 });
const mdp = averageMDP(problem);
const grid = gridworld({ width: 5, height: 4, goals: [[0, 0], [3, 4], [0, 4]], walls: [[1, 2]], slip: 0.15, gamma: 0.9 });
const gridMDP = averageMDP(grid);
const wave = defineFeatures({ name: 'wave', dimension: 4, actions: 3, features: (s: number, a: number, out) => ((out[0] = Math.cos(s * (a + 1))), (out[1] = a === 0 ? 1 : 0), (out[2] = (s % 3) - 1), (out[3] = a * Math.sin(s))) });

/** The specs tried, with the MDP whose states they fit. */
const CASES: [string, PolicySpec, TabularMDP][] = [
  ['random', { kind: 'log-linear', features: { kind: 'random', dimension: 8, nonZeros: 3, seed: 2 } }, mdp],
  ['table', { kind: 'log-linear', features: { kind: 'table', dimension: 5, table: Array.from(randomTheta(9 * 3 * 5, 'tab')) } }, mdp],
  ['custom', { kind: 'log-linear', features: wave }, mdp],
  ['tile-coding', { kind: 'log-linear', features: { kind: 'tile-coding', tiles: [2, 3], tilings: 2 } }, gridMDP],
  ['radial-basis', { kind: 'log-linear', features: { kind: 'radial-basis', centres: [2, 2], width: 0.7 } }, gridMDP],
];

/** Central differences of f along each coordinate of θ. */
function centralDifferences(f: (theta: Float64Array) => number, theta: Float64Array, h = 1e-5): Float64Array {
  return Float64Array.from(theta, (_, k) => {
    const plus = Float64Array.from(theta);
    const minus = Float64Array.from(theta);
    plus[k] += h;
    minus[k] -= h;
    return (f(plus) - f(minus)) / (2 * h);
  });
}

test('∇J of log-linear policies equals central differences of J (τ = 0 and τ = 0.2), every feature map', () => {
  for (const [name, policy, m] of CASES) {
    const d = policyClass(policy, tabularStateSpace(m)).dimension;
    const theta = randomTheta(d, name, 1);
    for (const entropy of [0, 0.2]) {
      const grad = exactGradient(m, theta, { policy, entropy });
      const fd = centralDifferences((th) => evaluatePolicy(m, th, { policy, entropy }).J, theta);
      // h = 1e-5: truncation h²|J'''|/6 ≲ 1e-10 (|J'''| is bounded by ‖φ‖³ times a few /(1−γ)³), cancellation ε·|J|/h ≈ 1e-10.
      assert.ok(maxAbsDiff(grad, fd) < 1e-7 * Math.max(1, maxAbs(grad)), `${name}, τ = ${entropy}: ${maxAbsDiff(grad, fd)}`);
    }
  }
});

test('∇J is the policy-gradient theorem with the centred log-linear score, written literally', () => {
  for (const [name, policy, m] of CASES) {
    const cls = policyClass(policy, tabularStateSpace(m));
    const theta = randomTheta(cls.dimension, `literal-${name}`, 1.5);
    for (const entropy of [0, 0.5]) {
      const ev = evaluatePolicy(m, theta, { policy, entropy });
      // (1/(1−γ)) Σ_s d(s) Σ_a π(a|s) A(s,a) (φ(s,a) − Σ_b π(b|s) φ(s,b)), φ written out densely per (s, a).
      const literal = new Float64Array(cls.dimension);
      const rows = createFeatureRows(cls.features!);
      for (let s = 0; s < m.S; s++) {
        cls.features!.write(s, rows);
        const phi = Array.from({ length: m.A }, (_, a) => {
          const v = new Float64Array(cls.dimension);
          for (let e = rows.start[a]; e < rows.start[a + 1]; e++) v[rows.index[e]] += rows.value[e];
          return v;
        });
        const mean = new Float64Array(cls.dimension);
        for (let a = 0; a < m.A; a++) for (let k = 0; k < cls.dimension; k++) mean[k] += ev.pi[s * m.A + a] * phi[a][k];
        for (let a = 0; a < m.A; a++) {
          const w = (ev.occupancy[s] * ev.pi[s * m.A + a] * ev.advantage[s * m.A + a]) / (1 - m.gamma);
          for (let k = 0; k < cls.dimension; k++) literal[k] += w * (phi[a][k] - mean[k]);
        }
      }
      const grad = exactGradient(m, theta, { policy, entropy });
      // Both sum the same O(S·A·d) terms of size ≤ max|A|/(1−γ)·‖φ‖∞² in different orders: round-off ≲ 1e-14 here.
      assert.ok(maxAbsDiff(grad, literal) < 1e-13 * Math.max(1, maxAbs(grad)), `${name}, τ = ${entropy}: ${maxAbsDiff(grad, literal)}`);
    }
  }
});

test('one-hot features reproduce the tabular exact quantities bit for bit: ∇J, J_K and ∇J_K, the federated objective', () => {
  const oneHot: PolicySpec = { kind: 'log-linear', features: { kind: 'one-hot' } };
  const theta = randomTheta(mdp.S * mdp.A, 'one-hot-exact', 2);
  for (const entropy of [0, 0.3]) {
    assert.deepStrictEqual(exactGradient(mdp, theta, { policy: oneHot, entropy }), exactGradient(mdp, theta, { entropy }));
    assert.deepStrictEqual(truncatedGradient(mdp, theta, { horizon: 7, entropy, policy: oneHot }), truncatedGradient(mdp, theta, { horizon: 7, entropy }));
    assert.deepStrictEqual(federatedObjective(problem, theta, { policy: oneHot, entropy }), federatedObjective(problem, theta, { entropy }));
    assert.deepStrictEqual(unionObjective(problem, theta, { policy: oneHot, entropy }), unionObjective(problem, theta, { entropy }));
  }
  // The generic path (a feature table equal to the identity, no shortcut) agrees to round-off.
  const identity = Array.from({ length: mdp.S * mdp.A * mdp.S * mdp.A }, (_, i) => (i % (mdp.S * mdp.A + 1) === 0 ? 1 : 0));
  const table: PolicySpec = { kind: 'log-linear', features: { kind: 'table', dimension: mdp.S * mdp.A, table: identity } };
  assert.ok(maxAbsDiff(exactGradient(mdp, theta, { policy: table }), exactGradient(mdp, theta)) < 1e-15);
});

test('the truncated gradient ∇J_K of a log-linear policy equals central differences of J_K, and tends to ∇J as γ^K', () => {
  for (const [name, policy, m] of CASES.slice(2, 4)) {
    const d = policyClass(policy, tabularStateSpace(m)).dimension;
    const theta = randomTheta(d, `trunc-${name}`, 1);
    const { grad } = truncatedGradient(m, theta, { horizon: 6, entropy: 0.1, policy });
    const fd = centralDifferences((th) => truncatedGradient(m, th, { horizon: 6, entropy: 0.1, policy }).J, theta);
    assert.ok(maxAbsDiff(grad, fd) < 1e-7 * Math.max(1, maxAbs(grad)), `${name}: ${maxAbsDiff(grad, fd)}`);
    // |∇J − ∇J_K| ≤ Σ_{t≥K} γ^t · (t+1) · 2 max|r| · max‖φ‖₁-ish: it shrinks geometrically; K = 400 leaves < 1e-12.
    const far = truncatedGradient(m, theta, { horizon: 400, policy }).grad;
    assert.ok(maxAbsDiff(far, exactGradient(m, theta, { policy })) < 1e-12, `${name}: K = 400`);
  }
});

test('the helper lemma for log-linear policies: (1/N) Σ_i ∇J_i(θ) = ∇J̄(θ), exactly to round-off; union = per-agent', () => {
  for (const [name, policy, m] of CASES) {
    const p = m === mdp ? problem : grid;
    const d = policyClass(policy, tabularStateSpace(m)).dimension;
    const theta = randomTheta(d, `lemma-${name}`, 2);
    for (const entropy of [0, 0.1]) {
      const N = p.rewards.length;
      const mean = new Float64Array(d);
      for (let i = 0; i < N; i++) exactGradient(agentMDP(p, i), theta, { policy, entropy }).forEach((g, k) => (mean[k] += g / N));
      const avg = exactGradient(averageMDP(p), theta, { policy, entropy });
      assert.ok(maxAbsDiff(mean, avg) < 1e-13 * Math.max(1, maxAbs(avg)), `${name}, τ = ${entropy}: ${maxAbsDiff(mean, avg)}`);
      assert.ok(maxAbsDiff(federatedObjective(p, theta, { policy, entropy }).grad, avg) < 1e-13 * Math.max(1, maxAbs(avg)));
    }
  }
  // Per-agent transitions: no averaged MDP, but the union MDP gives the federated objective; both routes agree.
  const cliff = windyCliff({ width: 4, height: 3, winds: [0, 0.5, 1], gamma: 0.9 });
  const policy: PolicySpec = { kind: 'log-linear', features: { kind: 'random', dimension: 6, seed: 1 } };
  const theta = randomTheta(6, 'cliff');
  const a = federatedObjective(cliff, theta, { policy });
  const b = unionObjective(cliff, theta, { policy });
  assert.ok(Math.abs(a.J - b.J) < 1e-12 && maxAbsDiff(a.grad, b.grad) < 1e-12);
});
