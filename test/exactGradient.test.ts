import assert from 'node:assert/strict';
import { test } from 'node:test';
import { averageMDP, evaluatePolicy, exactGradient, garnet, gridworld, maxAbs, maxAbsDiff, optimalValue, valueIteration } from '../src/index';
import { finiteDifferenceGradient, randomTheta } from './helpers';

const sizes = [
  { states: 3, actions: 2, branching: 2 },
  { states: 8, actions: 3, branching: 3 },
  { states: 20, actions: 4, branching: 5 },
];

for (const size of sizes) {
  for (const entropy of [0, 0.05, 0.5]) {
    test(`exact gradient equals central finite differences (S=${size.states}, A=${size.actions}, τ=${entropy})`, () => {
      for (const seed of [1, 2]) {
        const mdp = averageMDP(garnet({ ...size, agents: 3, gamma: 0.9, heterogeneity: 0.7, seed }));
        const theta = randomTheta(size.states * size.actions, `theta-${seed}`, 2);
        const grad = exactGradient(mdp, theta, { entropy });
        const fd = finiteDifferenceGradient(mdp, theta, entropy);
        // Central differences with h = 1e-5: truncation error ~ h²·|J'''| ≲ 1e-9 here, cancellation ~ ε·J/h ≈ 1e-10.
        const err = maxAbsDiff(grad, fd);
        assert.ok(err < 1e-7 * Math.max(1, maxAbs(grad)), `max |∇J − FD| = ${err}`);
      }
    });
  }
}

test('dense LU and sparse iterative solvers agree on V, d_ρ and ∇J', () => {
  const mdp = averageMDP(garnet({ states: 60, actions: 4, branching: 5, agents: 2, gamma: 0.95, heterogeneity: 0.5, seed: 7 }));
  const theta = randomTheta(240, 'solvers', 1);
  for (const entropy of [0, 0.1]) {
    const dense = evaluatePolicy(mdp, theta, { entropy, solver: 'dense' });
    const iterative = evaluatePolicy(mdp, theta, { entropy, solver: 'iterative' });
    // The iterative solver guarantees 1e-14 relative to max|r|/(1−γ) ≈ 20, i.e. ≈ 2e-13 absolute.
    assert.ok(maxAbsDiff(dense.V, iterative.V) < 1e-12, `V differs by ${maxAbsDiff(dense.V, iterative.V)}`);
    assert.ok(maxAbsDiff(dense.occupancy, iterative.occupancy) < 1e-13);
    const gd = exactGradient(mdp, theta, { entropy, solver: 'dense' });
    const gi = exactGradient(mdp, theta, { entropy, solver: 'iterative' });
    assert.ok(maxAbsDiff(gd, gi) < 1e-11);
  }
});

test('occupancy is a distribution and J = ρᵀV = Σ_s d(s) r_π(s) / (1−γ)', () => {
  const mdp = averageMDP(garnet({ states: 15, actions: 3, branching: 4, agents: 2, gamma: 0.8, heterogeneity: 0.5, seed: 3 }));
  const ev = evaluatePolicy(mdp, randomTheta(45, 'occ'));
  const total = ev.occupancy.reduce((x, y) => x + y, 0);
  assert.ok(Math.abs(total - 1) < 1e-13, `Σ d = ${total}`);
  let viaOccupancy = 0;
  for (let s = 0; s < 15; s++) for (let a = 0; a < 3; a++) viaOccupancy += (ev.occupancy[s] * ev.pi[s * 3 + a] * mdp.reward[s * 3 + a]) / (1 - 0.8);
  assert.ok(Math.abs(viaOccupancy - ev.J) < 1e-12, `${viaOccupancy} vs ${ev.J}`);
});

for (const entropy of [0, 0.2]) {
  test(`policy iteration (optimalValue) agrees with value iteration, τ=${entropy}`, () => {
    const mdp = averageMDP(garnet({ states: 25, actions: 4, branching: 3, agents: 4, gamma: 0.9, heterogeneity: 1, seed: 11 }));
    const pi = optimalValue(mdp, { entropy });
    const vi = valueIteration(mdp, { entropy, tolerance: 1e-13 });
    assert.ok(Math.abs(pi.J - vi.J) < 1e-11, `PI J* = ${pi.J}, VI J* = ${vi.J}`);
    assert.ok(maxAbsDiff(pi.V, vi.V) < 1e-11);
    // No random policy beats J*.
    for (let i = 0; i < 20; i++) assert.ok(evaluatePolicy(mdp, randomTheta(100, `probe-${i}`, 3), { entropy }).J <= pi.J + 1e-12);
    if (entropy > 0) {
      // θ* = Q*/τ is a stationary point of the regularised objective.
      const g = exactGradient(mdp, pi.theta as Float64Array, { entropy });
      assert.ok(maxAbs(g) < 1e-11, `‖∇J_τ(θ*)‖∞ = ${maxAbs(g)}`);
      assert.ok(Math.abs(evaluatePolicy(mdp, pi.theta as Float64Array, { entropy }).J - pi.J) < 1e-11);
    }
  });
}

test('gridworld: the optimum of a single goal is the discounted value of walking there and staying', () => {
  // 1×4 corridor, start at column 0, goal at column 3, no slip, γ = 0.9: three moves, then reward 1 forever.
  const p = gridworld({ width: 4, height: 1, goals: [[0, 3]], slip: 0, gamma: 0.9, start: [0, 0] });
  const opt = optimalValue(averageMDP(p));
  assert.ok(Math.abs(opt.J - 0.9 ** 3 / (1 - 0.9)) < 1e-12, `J* = ${opt.J}`);
});

test('GMRES (krylov) agrees with LU on sparse and dense P, within its a-posteriori error guarantee', () => {
  for (const branching of [3, 40]) {
    const mdp = averageMDP(garnet({ states: 40, actions: 3, branching, agents: 2, gamma: 0.95, heterogeneity: 0.5, seed: 9 }));
    const theta = randomTheta(120, `krylov-${branching}`, 2);
    for (const entropy of [0, 0.2]) {
      const lu = evaluatePolicy(mdp, theta, { entropy, solver: 'dense' });
      const kr = evaluatePolicy(mdp, theta, { entropy, solver: 'krylov' });
      // Guarantee: ‖V − V*‖∞ ≤ 1e-14 · max|r_π|/(1−γ) (≈ 1e-14 · 20 here) and ‖d − d*‖₁ ≤ 1e-14.
      const scale = Math.max(...Array.from(lu.V, Math.abs));
      assert.ok(maxAbsDiff(lu.V, kr.V) <= 1e-14 * 2 * scale + 1e-15, `V differs by ${maxAbsDiff(lu.V, kr.V)}`);
      assert.ok(maxAbsDiff(lu.occupancy, kr.occupancy) <= 1e-13, `d differs by ${maxAbsDiff(lu.occupancy, kr.occupancy)}`);
      assert.ok(maxAbsDiff(exactGradient(mdp, theta, { entropy, solver: 'dense' }), exactGradient(mdp, theta, { entropy, solver: 'krylov' })) < 1e-12);
    }
  }
});
