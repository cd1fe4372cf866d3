import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRng, createRun, garnet } from '../src/index';
import { adjustedRandIndex } from '../src/internals';
import { bestBipartition, cosineSimilarity } from '../src/baselines';

/** Exhaustive: the smallest largest cross similarity over all 2^{n−1} − 1 bipartitions. */
function bruteForce(vectors: Float64Array[]): number {
  const n = vectors.length;
  let best = Infinity;
  for (let mask = 1; mask < 2 ** (n - 1); mask++) {
    let worst = -Infinity;
    // index n − 1 always in the second half (mask bit clear) so each bipartition is counted once
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if ((mask >> i) & 1 && !((mask >> j) & 1)) worst = Math.max(worst, cosineSimilarity(vectors[i], vectors[j]));
    best = Math.min(best, worst);
  }
  return best;
}

test('bestBipartition (single linkage) attains the exhaustive minimum of the largest cross similarity', () => {
  for (let n = 2; n <= 8; n++) {
    for (let rep = 0; rep < 20; rep++) {
      const rng = createRng(`bip:${n}:${rep}`);
      const vectors = Array.from({ length: n }, () => Float64Array.from({ length: 4 }, () => 2 * rng.double() - 1));
      const split = bestBipartition(vectors);
      assert.equal(split.first.length + split.second.length, n);
      assert.ok(split.first.length > 0 && split.second.length > 0 && split.first.includes(0));
      // Its reported value is its own largest cross similarity, and it equals the exhaustive optimum.
      const own = Math.max(...split.first.flatMap((i) => split.second.map((j) => cosineSimilarity(vectors[i], vectors[j]))));
      assert.equal(split.maxCrossSimilarity, own);
      assert.equal(own, bruteForce(vectors), `n = ${n}, rep ${rep}`);
    }
  }
});

test('without a split CFL is Fast-FedPG to the bit (sampled oracle)', () => {
  const p = garnet({ states: 6, actions: 3, branching: 2, agents: 4, gamma: 0.9, heterogeneity: 1, seed: 2 });
  const base = { localSteps: 3, stepSize: 0.3, seed: 'cfl', oracle: { kind: 'sampled', horizon: 12, batch: 5 }, detail: 'agents' };
  // α_split = −1: no bipartition has a largest cross similarity below −1, so no split ever happens.
  const a = createRun(p, { ...base, algorithm: 'cfl', splitSimilarity: -1, splitMeanNorm: 100 } as never);
  const b = createRun(p, { ...base, algorithm: 'fast-fedpg' } as never);
  for (let t = 0; t < 5; t++) {
    const ta = a.step();
    const tb = b.step();
    assert.deepEqual(ta.assignment, [0, 0, 0, 0]);
    assert.deepStrictEqual([Array.from(ta.thetaAfter ?? []), ta.J, ta.envSteps, ta.messages, ta.syncs, ta.anchors?.map((x) => Array.from(x))], [Array.from(tb.thetaAfter ?? []), tb.J, tb.envSteps, tb.messages, tb.syncs, tb.anchors?.map((x) => Array.from(x))]);
  }
});

test('exact gradients: two reward clusters are split exactly once, at a stationary point of the joint objective, into the true groups', () => {
  for (let seed = 0; seed < 4; seed++) {
    const p = garnet({ states: 8, actions: 3, branching: 3, agents: 6, gamma: 0.9, heterogeneity: 1, rewardClusters: 2, clusterSpread: 0, seed });
    const run = createRun(p, { algorithm: 'cfl', localSteps: 3, stepSize: 0.5, oracle: { kind: 'exact' }, entropy: 0.1, seed } as never);
    let splitAt = -1;
    let tr = run.step();
    for (let t = 1; t < 200; t++) {
      const before = tr.gradNorm;
      tr = run.step({ record: false });
      if (splitAt < 0 && new Set(tr.assignment).size > 1) {
        splitAt = t + 1;
        // The split round started near a stationary point of the average objective: ‖∇J(θ̄)‖ was small.
        assert.ok(before < 0.05, `seed ${seed}: ‖∇J(θ̄)‖ = ${before} before the split`);
      }
    }
    assert.ok(splitAt > 0, `seed ${seed}: no split in 200 rounds`);
    assert.equal(new Set(tr.assignment).size, 2, `seed ${seed}: ${tr.assignment}`);
    assert.equal(adjustedRandIndex(p.clusterOf as number[], tr.assignment as number[]), 1);
  }
});

test('identical agents are never split, even once at a stationary point (‖c̄‖ < ε₁)', () => {
  const p = garnet({ states: 6, actions: 3, branching: 2, agents: 4, gamma: 0.9, heterogeneity: 0, seed: 3 });
  // ε₂ = 0 would split any cluster whose members are not exactly stationary: identical anchors (cos = 1) still forbid it.
  const run = createRun(p, { algorithm: 'cfl', splitMaxNorm: 0, localSteps: 3, stepSize: 1, oracle: { kind: 'exact' }, entropy: 0.1, seed: 1 } as never);
  const traces = run.runFor(200, { every: 200 }).traces;
  assert.deepEqual(traces.at(-1)?.assignment, [0, 0, 0, 0]);
  assert.ok((traces.at(-1)?.gradNorm ?? 1) < 0.01, `‖∇J(θ̄)‖ = ${traces.at(-1)?.gradNorm}`);
});
