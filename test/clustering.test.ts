import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRng, garnet, optimalValue, ValidationError, withReward } from '../src/index';
import { clusterGaps, recoverySummary } from '../src/analysis';
import { adjustedRandIndex, assignmentAccuracy } from '../src/internals';

test('ARI, hand-worked: truth [0,0,0,1,1,1] against [0,0,1,1,2,2] is 8/33', () => {
  // Contingency rows (truth) × columns (predicted): [[2,1,0],[0,1,2]]. Σ C(n_uv,2) = 1 + 1 = 2;
  // rows a = (3,3): Σ C(a,2) = 6; columns b = (2,2,2): Σ C(b,2) = 3; C(6,2) = 15, E = 6·3/15 = 1.2;
  // ARI = (2 − 1.2)/((6 + 3)/2 − 1.2) = 0.8/3.3 = 8/33 (scikit-learn's documentation example, 0.24).
  assert.ok(Math.abs(adjustedRandIndex([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]) - 8 / 33) < 1e-15);
  // Symmetric, invariant under relabelling, 1 for the same partition.
  assert.ok(Math.abs(adjustedRandIndex([0, 0, 1, 1, 2, 2], [0, 0, 0, 1, 1, 1]) - 8 / 33) < 1e-15);
  assert.equal(adjustedRandIndex([0, 0, 1, 1, 2], [2, 2, 0, 0, 1]), 1);
  // Second example: truth [0,0,1,1], predicted [0,1,0,1]: Σ C(n,2) = 0, rows 1 + 1 = 2, columns 2,
  // E = 2·2/6 = 2/3, max = 2: ARI = (0 − 2/3)/(2 − 2/3) = −1/2.
  assert.ok(Math.abs(adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1]) + 0.5) < 1e-15);
  // Both partitions trivial: 0/0, agreement gives 1.
  assert.equal(adjustedRandIndex([0, 0, 0], [4, 4, 4]), 1);
});

test('accuracy after the best permutation', () => {
  // [0,0,1,1,2,2] onto [0,0,0,1,1,1]: 0→0 (2 hits), 2→1 (2 hits), label 1 has no partner left: 4/6.
  assert.ok(Math.abs(assignmentAccuracy([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]) - 4 / 6) < 1e-15);
  assert.equal(assignmentAccuracy([0, 1, 2, 0, 1, 2], [2, 0, 1, 2, 0, 1]), 1);
  assert.equal(assignmentAccuracy([0, 1, 0, 1], [0, 0, 0, 0]), 0.5);
  assert.throws(() => assignmentAccuracy([0, 1], [0]), ValidationError);
  assert.throws(() => adjustedRandIndex([0, 1], [0, -1]), (e: Error) => /predicted\[1\]/.test(e.message));
});

test('garnet with rewardClusters: centres drawn as agents are at heterogeneity h, members (1 − s)C + sW, round-robin groups', () => {
  const o = { states: 5, actions: 2, branching: 2, agents: 7, gamma: 0.9, heterogeneity: 0.6, rewardClusters: 3, clusterSpread: 0.25, rewardShift: -0.5, seed: 11 };
  const p = garnet(o);
  assert.deepEqual(p.clusterOf, [0, 1, 2, 0, 1, 2, 0]);
  // Independent recomputation from the documented streams.
  const root = createRng(11);
  const baseRng = root.fold('reward:base');
  const base = Array.from({ length: 10 }, () => baseRng.double());
  const centres = [0, 1, 2].map((k) => {
    const r = root.fold(`reward:cluster:${k}`);
    return base.map((r0) => (1 - 0.6) * r0 + 0.6 * r.double());
  });
  p.rewards.forEach((R, i) => {
    const w = root.fold(`reward:member:${i}`);
    assert.deepStrictEqual(Array.from(R), centres[i % 3].map((c) => (1 - 0.25) * c + 0.25 * w.double() - 0.5), `agent ${i}`);
  });
  // Same transitions as the plain Garnet of that seed; s = 0: identical members.
  const plain = garnet({ ...o, rewardClusters: undefined, clusterSpread: undefined });
  assert.deepStrictEqual(p.transitions, plain.transitions);
  assert.equal(plain.clusterOf, undefined);
  const tight = garnet({ ...o, clusterSpread: 0 });
  assert.deepStrictEqual(Array.from(tight.rewards[3]), Array.from(tight.rewards[0]));
  assert.throws(() => garnet({ ...o, clusterSpread: 2 }), (e: Error) => e instanceof ValidationError && /clusterSpread/.test(e.message));
});

test('clusterGaps: the optimum is value iteration on the cluster mean reward; the optimal policy of each cluster has gap 0', () => {
  const p = garnet({ states: 5, actions: 3, branching: 2, agents: 4, gamma: 0.8, heterogeneity: 1, rewardClusters: 2, clusterSpread: 0.3, seed: 3 });
  const mean = (k: number) => Float64Array.from(p.rewards[0], (_, q) => (p.rewards[k][q] + p.rewards[k + 2][q]) / 2);
  // With τ > 0 the optimum is attained at the finite θ* = Q*/τ of each cluster's mean-reward MDP.
  const thetas = [0, 1].map((k) => optimalValue(withReward(p, mean(k), 'c'), { entropy: 0.05 }));
  const gaps = clusterGaps(p, [0, 1, 0, 1].map((k) => thetas[k].theta as Float64Array), 0.05);
  gaps.forEach((g, k) => {
    assert.deepEqual(g.members, [k, k + 2]);
    assert.equal(g.optimum, thetas[k].J);
    assert.ok(Math.abs(g.gap) < 1e-9, `cluster ${k}: gap ${g.gap}`);
  });
});

test('recoverySummary: the Garnet is the unit (restarts averaged first); the exact-recovery share uses the first restart and a Wilson interval', () => {
  // Two Garnets × two restarts at one setting: ARIs (1, 0.5) and (0.2, 1) → per Garnet 0.75 and 0.6, mean 0.675.
  const row = (problemSeed: number, seed: number, ari: number) => ({ job: `${problemSeed}-${seed}`, clusterInit: 'random', heterogeneity: 1, oracle: 'exact', problemSeed, seed, round: 10, assignmentARI: ari, assignmentAccuracy: ari === 1 ? 1 : 2 / 3 });
  const rows = [row(1, 1, 1), row(1, 2, 0.5), row(2, 1, 0.2), row(2, 2, 1)];
  const [ari] = recoverySummary(rows, { y: 'assignmentARI', level: 0.9 });
  assert.equal(ari.n, 2);
  assert.ok(Math.abs((ari.assignmentARI_mean as number) - 0.675) < 1e-15);
  // t-interval over the two Garnet means 0.75 and 0.6: ± t_{0.95,1}·0.075.
  assert.ok(Math.abs((ari.assignmentARI_lo as number) - (0.675 - 6.313751514675 * 0.075)) < 1e-9, String(ari.assignmentARI_lo));
  assert.match(String(ari.assignmentARI_statistic), /^arithmetic mean over 2 Garnets \(mean over 2 restarts each\), 90% t-interval \(clipped to the possible range\)$/);
  // The t-interval reaches above 1 here (0.675 + 0.474); it is clipped at the ARI's maximum.
  assert.equal(ari.assignmentARI_hi, 1);
  const [share] = recoverySummary(rows, { y: 'exactRecovery', level: 0.9 });
  // First restarts: Garnet 1 recovered (ARI 1), Garnet 2 not (0.2): 1 of 2.
  assert.equal(share.exactRecovery_mean, 0.5);
  assert.ok((share.exactRecovery_lo as number) > 0 && (share.exactRecovery_hi as number) < 1);
  // Every Garnet recovered: the t-interval of the ARI has zero width, the Wilson interval does not.
  const all = [row(1, 1, 1), row(2, 1, 1), row(3, 1, 1)];
  const [a] = recoverySummary(all, { y: 'assignmentARI' });
  const [w] = recoverySummary(all, { y: 'exactRecovery' });
  assert.equal(a.assignmentARI_lo, a.assignmentARI_hi);
  assert.ok((w.exactRecovery_hi as number) - (w.exactRecovery_lo as number) > 0.3, `${w.exactRecovery_lo}–${w.exactRecovery_hi}`);
});
