import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { balancedAssignment, planShards, shardOf } from '../src/experiments/shardPlan';
import { createRng, loadRows, sweep } from '../src/index';
import { expandJobs, mergeResults, parseExperiment } from '../src/experiments';
import { jobWeight, shardJobs } from '../src/experiments';
import { UNEVEN_EXPERIMENT } from './helpers';

const loads = (weights: number[], shard: number[], n: number) => {
  const l = new Array<number>(n).fill(0);
  weights.forEach((w, j) => (l[shard[j]] += w));
  return l;
};

/** The best possible largest load, by trying every assignment (n^J of them; small instances only). */
function optimum(weights: number[], n: number): number {
  let best = Infinity;
  const shard = new Array<number>(weights.length).fill(0);
  for (let code = 0; code < n ** weights.length; code++) {
    for (let j = 0, c = code; j < weights.length; j++, c = Math.floor(c / n)) shard[j] = c % n;
    best = Math.min(best, Math.max(...loads(weights, shard, n)));
  }
  return best;
}

test("LPT by hand: Graham's tight instance 3,3,2,2,2 on 2 shards gives 7 against the optimum 6 = (4/3 − 1/6)·6", () => {
  // Decreasing order 3,3,2,2,2: 3 → shard 0, 3 → shard 1 (the lighter), 2 → 0 (tie: lower), 2 → 1, 2 → 0.
  assert.deepEqual(balancedAssignment([3, 3, 2, 2, 2], 2), [0, 1, 0, 1, 0]);
  assert.deepEqual(loads([3, 3, 2, 2, 2], [0, 1, 0, 1, 0], 2), [7, 5]);
  assert.equal(optimum([3, 3, 2, 2, 2], 2), 6);
  // Jobs are taken by decreasing weight, not in their order: 2,7,3 on 2 shards → 7 | 3+2.
  assert.deepEqual(balancedAssignment([2, 7, 3], 2), [1, 0, 1]);
});

test('LPT stays within Graham’s bound (4/3 − 1/(3n))·optimum on random instances, and every job gets one shard', () => {
  const rng = createRng('lpt-instances');
  for (let trial = 0; trial < 300; trial++) {
    const n = 1 + Math.floor(rng.double() * 3);
    const J = 1 + Math.floor(rng.double() * 8);
    const weights = Array.from({ length: J }, () => 1 + Math.floor(rng.double() * 20));
    const shard = balancedAssignment(weights, n);
    assert.equal(shard.length, J);
    assert.ok(shard.every((s) => Number.isInteger(s) && s >= 0 && s < n));
    const worst = Math.max(...loads(weights, shard, n));
    // Integer weights: the bound compared exactly as 3n·worst ≤ (4n − 1)·optimum.
    assert.ok(3 * n * worst <= (4 * n - 1) * optimum(weights, n), `weights ${weights} on ${n} shards: LPT ${worst}`);
  }
});

test('with equal weights the work-balanced shards are the index shards (job index mod n)', () => {
  for (const n of [1, 2, 3, 5]) assert.deepEqual(balancedAssignment(new Array(11).fill(4), n), Array.from({ length: 11 }, (_, j) => j % n));
});

const uneven = parseExperiment(UNEVEN_EXPERIMENT);

test('--shard i/n --balance work: shards partition the sweep with near-equal work, and their merge is the whole sweep bit for bit', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fedpg-balance-'));
  const jobs = expandJobs(uneven);
  const n = 3;
  const plan = planShards(jobs, n, 'work', jobWeight);
  assert.deepEqual(plan.flatMap((s) => s.jobs).sort(), jobs.map((j) => j.id).sort());
  const total = jobs.reduce((w, j) => w + jobWeight(j), 0);
  const biggest = Math.max(...jobs.map(jobWeight));
  // LPT's guarantee against the lower bound max(total/n, biggest job) of any assignment.
  assert.ok(Math.max(...plan.map((s) => s.weight)) <= (4 / 3 - 1 / (3 * n)) * Math.max(total / n, biggest));
  const index = planShards(jobs, n, 'index', jobWeight);
  assert.deepEqual(index.map((s) => s.jobs), [0, 1, 2].map((i) => shardJobs(jobs, { index: i, count: n }).map((j) => j.id)));
  assert.ok(Math.max(...plan.map((s) => s.weight)) < Math.max(...index.map((s) => s.weight)), 'balancing by work beats index shards here');

  const whole = await sweep(uneven, { workers: 0, out: join(dir, 'whole') });
  const shards: string[] = [];
  for (let i = 0; i < n; i++) {
    const out = join(dir, `shard${i}`);
    const r = await sweep(uneven, { workers: 0, shard: { index: i, count: n }, balance: 'work', out });
    assert.deepEqual(r.rows.map((row) => row.job).filter((id, k, all) => all.indexOf(id) === k), plan[i].jobs);
    assert.deepEqual(shardOf(jobs, { index: i, count: n }, 'work', jobWeight).map((j) => j.id), plan[i].jobs);
    assert.deepEqual(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).shard, { index: i, count: n, balance: 'work' });
    shards.push(out);
  }
  assert.deepEqual(mergeResults(join(dir, 'merged'), shards), { jobs: jobs.length, missing: 0 });
  assert.equal(JSON.stringify(loadRows(join(dir, 'merged'))), JSON.stringify(whole.rows));
});
