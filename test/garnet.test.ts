import assert from 'node:assert/strict';
import { test } from 'node:test';
import { averageMDP, averageReward, evaluatePolicy, exactGradient, garnet, maxAbsDiff } from '../src/index';
import { randomTheta } from './helpers';

const base = { states: 7, actions: 3, branching: 3, gamma: 0.8, heterogeneity: 1, seed: 5 } as const;

test("'centered' rewards keep R̄ = R₀ for every N, with the same per-agent spread for N ≥ 2", () => {
  const big = { ...base, states: 60, actions: 4 };
  const one = garnet({ ...big, agents: 1, rewardModel: 'centered' });
  for (const N of [2, 5, 16]) {
    const p = garnet({ ...big, agents: N, rewardModel: 'centered' });
    assert.ok(maxAbsDiff(averageReward(p), one.rewards[0]) < 1e-15, `N=${N}`);
    // Var(R_i − R̄) = h²/12 per entry by construction. The mean of d² over the 240·N entries has relative sd
    // ≤ √(kurtosis − 1)/√240 ≈ 1.2/15.5 ≈ 0.077 (N = 2, triangular d, kurtosis 2.4; smaller for larger N,
    // counting only the 240 independent entries), so 35% is more than 4.5 sd.
    const dev: number[] = [];
    for (const r of p.rewards) r.forEach((x, k) => dev.push(x - one.rewards[0][k]));
    const v = dev.reduce((s, x) => s + x * x, 0) / dev.length;
    assert.ok(Math.abs(v - 1 / 12) < 0.35 / 12, `N=${N}: variance ${v}`);
  }
});

test('rewardShift c moves J by c/(1−γ) and leaves ∇J (and so every gap) unchanged', () => {
  const p0 = garnet({ ...base, agents: 3 });
  const p1 = garnet({ ...base, agents: 3, rewardShift: -1.5 });
  const theta = randomTheta(21, 1, 2);
  for (const entropy of [0, 0.3]) {
    const J0 = evaluatePolicy(averageMDP(p0), theta, { entropy }).J;
    const J1 = evaluatePolicy(averageMDP(p1), theta, { entropy }).J;
    assert.ok(Math.abs(J1 - J0 + 1.5 / (1 - 0.8)) < 1e-12);
    assert.ok(maxAbsDiff(exactGradient(averageMDP(p0), theta, { entropy }), exactGradient(averageMDP(p1), theta, { entropy })) < 1e-13);
  }
  assert.throws(() => garnet({ ...base, agents: 2, rewardShift: Number.NaN }), /rewardShift/);
});
