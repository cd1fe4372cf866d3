import assert from 'node:assert/strict';
import { test } from 'node:test';
import { truncatedValue } from './helpers';
import { agentMDP, averageMDP, createGradientEstimator, createRng, createRun, evaluatePolicy, garnet, optimalValue, readExperiment } from '../src/index';
import { adjustedRandIndex, assignmentAccuracy } from '../src/internals';
import { applyBudget, expandJobs } from '../src/experiments';
import { pickErrorBound } from '../src/analysis';
import { type JobCheckpoint, problemFromPoint, runJob } from '../src/experiments';

const dir = 'data/experiments';
const ciJobs = (name: string) => expandJobs(applyBudget(readExperiment(`${dir}/${name}.json`), 'ci'));

test('cluster-recovery.json: the assignment columns are the run\'s picks of the recorded round scored against problem.clusterOf', () => {
  const jobs = ciJobs('cluster-recovery');
  for (const job of [jobs.find((j) => j.point.oracle === 'sampled' && j.point.batch === 8 && j.point.heterogeneity === 1), jobs.find((j) => j.point.oracle === 'exact')]) {
    assert.ok(job);
    const problem = problemFromPoint(job.point, job.seed, dir);
    const rows = runJob(job, problem);
    // The same run stepped directly, its traces' assignments scored independently.
    const run = createRun(problem, { algorithm: 'ifca', clusters: 3, localSteps: 3, stepSize: 0.5, entropy: 0, seed: job.seed, oracle: job.point.oracle === 'exact' ? { kind: 'exact' } : { kind: 'sampled', horizon: 20, batch: 8 } });
    const picks = new Map<number, number[]>();
    for (let t = 0; t < (job.point.rounds as number); t++) {
      const trace = run.step();
      picks.set(trace.round, trace.assignment as number[]);
    }
    assert.ok(Number.isNaN(rows[0].assignmentAccuracy as number) && Number.isNaN(rows[0].assignmentARI as number), 'round 0: no picks yet');
    for (const r of rows.slice(1)) {
      const a = picks.get(r.round as number) as number[];
      assert.equal(r.assignmentAccuracy, assignmentAccuracy(problem.clusterOf as number[], a));
      assert.equal(r.assignmentARI, adjustedRandIndex(problem.clusterOf as number[], a));
    }
  }
});

test('a job resumed from a checkpoint gives the same rows, assignment and global-gap columns included', () => {
  const job = ciJobs('cluster-recovery').find((j) => j.point.oracle === 'sampled' && j.point.batch === 8) as ReturnType<typeof ciJobs>[number];
  const problem = problemFromPoint(job.point, job.seed, dir);
  const fresh = runJob(job, problem);
  let saved: JobCheckpoint | undefined;
  // Checkpoints round-trip through JSON, as the store writes them; keep the one taken after 7 rounds.
  runJob(job, problem, undefined, { load: () => undefined, save: (c) => { if (c.run.round === 7) saved = JSON.parse(JSON.stringify(c)); }, discard: () => {}, intervalMs: 0 });
  assert.ok(saved);
  const resumed = runJob(job, problem, undefined, { load: () => saved, save: () => {}, discard: (reason) => assert.fail(reason), intervalMs: 1e9 });
  assert.deepEqual(resumed, fresh);
});

test('agentGlobalGapMean: (1/N) Σ_i (J* − J(θ_i)) at each agent\'s parameters; the global gap itself for one policy (ditto-tradeoff.json, ci)', () => {
  const jobs = ciJobs('ditto-tradeoff');
  for (const job of [jobs.find((j) => j.point.algorithm === 'ditto' && JSON.parse(JSON.stringify(j.point.personalization)).lambda === 0.1), jobs.find((j) => j.point.algorithm === 'fast-fedpg')]) {
    assert.ok(job);
    const problem = problemFromPoint(job.point, job.seed, dir);
    const last = runJob(job, problem).at(-1) as Record<string, number>;
    if (job.point.algorithm === 'fast-fedpg') {
      assert.equal(last.agentGlobalGapMean, last.gap);
      continue;
    }
    const run = createRun(problem, { algorithm: 'ditto', personalization: job.point.personalization as object, localSteps: 3, stepSize: 0.5, entropy: 0.05, seed: job.seed, oracle: { kind: 'exact' } });
    run.runFor(job.point.rounds as number);
    const avg = averageMDP(problem);
    const Jstar = optimalValue(avg, { entropy: 0.05 }).J;
    const expected = (run.personal as Float64Array[]).reduce((s, v) => s + Jstar - evaluatePolicy(avg, v, { entropy: 0.05 }).J, 0) / 9;
    // J* − J is O(0.1) from values O(10): 1e-12 is ≈ 10³ ulps of J.
    assert.ok(Math.abs(last.agentGlobalGapMean - expected) < 1e-12, `${last.agentGlobalGapMean} vs ${expected}`);
    // Personal models serve their agents at the cost of the average reward.
    assert.ok(last.agentGlobalGapMean > last.gap, `${last.agentGlobalGapMean} vs θ̄'s ${last.gap}`);
  }
});

test('matched-budget.json: every approach samples the same environment steps per round (IFCA: plus N·M·K once, its initial anchors)', () => {
  for (const budget of ['ci', 'quick', 'full']) {
    const jobs = expandJobs(applyBudget(readExperiment(`${dir}/matched-budget.json`), budget));
    assert.deepEqual([...new Set(jobs.map((j) => j.point.algorithm))].sort(), ['ditto', 'fast-fedpg', 'ifca'], budget);
  }
  const jobs = ciJobs('matched-budget').filter((j) => j.point.heterogeneity === 1);
  const steps = new Map<string, number[]>();
  for (const job of jobs) {
    const rows = runJob(job, problemFromPoint(job.point, job.seed, dir));
    steps.set(`${job.point.algorithm}${JSON.stringify(job.point.personalization ?? '')}`, rows.map((r) => r.envSteps as number));
  }
  // N = 9, H = 3, K = 20: Fast-FedPG N(H+1)·7·K, IFCA N(H+1+3)·4·K (+ N·4·K once), Ditto N(2H+1)·4·K = 5040 per round.
  const perRound = 9 * 28 * 20;
  for (const [name, s] of steps) {
    const extra = name.startsWith('ifca') ? 9 * 4 * 20 : 0;
    assert.deepEqual(s, s.map((_, k) => (k === 0 ? 0 : [0, 5, 10][k] * perRound + extra)), name);
  }
});

test('pickErrorBound: gaps from exact truncated values, and the wrong-pick rate of sampled comparisons stays under it', () => {
  const p = garnet({ states: 6, actions: 2, branching: 2, agents: 3, gamma: 0.8, heterogeneity: 1, rewardClusters: 3, seed: 4 });
  const K = 10;
  const models = [0, 1, 2].map((k) => optimalValue(agentMDP(p, k), { entropy: 0.1 }).theta as Float64Array);
  const M = 200;
  const bound = pickErrorBound(p, models, { horizon: K, batch: M });
  for (let i = 0; i < 3; i++) {
    const J = models.map((m) => truncatedValue(p, i, m, K));
    assert.deepEqual(bound.gaps[i].map((g) => Math.round(g * 1e12)), J.flatMap((j, k) => (k === i ? [] : [Math.round((J[i] - j) * 1e12)])));
    const r = p.rewards[i];
    assert.ok(Math.abs(bound.ranges[i] - ((Math.max(...r) - Math.min(...r)) * (1 - 0.8 ** K)) / 0.2) < 1e-12);
    const expected = Math.min(1, bound.gaps[i].reduce((s, d) => s + (d > 0 ? Math.exp((-M * d * d) / (2 * bound.ranges[i] ** 2)) : Infinity), 0));
    assert.ok(Math.abs(bound.perAgent[i] - expected) < 1e-15);
  }
  assert.ok(Math.abs(bound.accuracy - Math.max(0, 1 - bound.perAgent.reduce((s, x) => s + x, 0) / 3)) < 1e-15);
  // Sampled picks: agent i compares the three models' M-trajectory mean returns (independent streams).
  const trials = 300;
  const rng = createRng('pick-bound');
  for (let i = 0; i < 3; i++) {
    const est = createGradientEstimator(agentMDP(p, i), { horizon: K, batch: M, variance: false });
    let wrong = 0;
    for (let t = 0; t < trials; t++) {
      const values = models.map((m, k) => est.estimate(m, rng.fold(`${i}:${t}:${k}`)).stats.meanReturn);
      if (values.indexOf(Math.max(...values)) !== i) wrong++;
    }
    const b = bound.perAgent[i];
    assert.ok(wrong / trials <= b + 4 * Math.sqrt(Math.max(b * (1 - b), 1e-4) / trials), `agent ${i}: wrong ${wrong / trials}, bound ${b}`);
  }
  assert.throws(() => pickErrorBound(garnet({ states: 3, actions: 2, branching: 2, agents: 2, gamma: 0.9, seed: 1 }), models, { horizon: K, batch: M }), /problem\.clusterOf is missing/);
  assert.throws(() => pickErrorBound(p, models.slice(0, 2), { horizon: K, batch: M }), /models must be one model per true cluster \(3\)/);
});
