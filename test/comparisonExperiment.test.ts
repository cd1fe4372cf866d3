import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readExperiment } from '../src/index';
import { applyBudget, expandJobs } from '../src/experiments';
import { problemFromPoint, runJob } from '../src/experiments';

const dir = 'data/experiments';

// comparison.json puts seven algorithms on the same footing. Sampled runs must all reach the same
// environment-step budget E with at most one round to spare (each is read at E), on the same Garnets; exact
// runs the same rounds. Per-round costs are measured from two real rounds of each configuration (they do not
// depend on the Garnet), so a change in an algorithm's sampling that breaks the match fails here.
test('comparison.json, full budget: every sampled algorithm reaches E = 1.2M environment steps within one round, on the same 12 Garnets; exact runs 200 rounds', () => {
  const E = 1_200_000;
  const jobs = expandJobs(applyBudget(readExperiment(`${dir}/comparison.json`), 'full'));
  const seedsOf = (algorithm: string, oracle: string) => jobs.filter((j) => j.point.algorithm === algorithm && j.point.oracle === oracle).map((j) => j.seed).sort((a, b) => a - b);
  const sampled = [...new Set(jobs.filter((j) => j.point.oracle === 'sampled').map((j) => j.point.algorithm as string))];
  const exact = [...new Set(jobs.filter((j) => j.point.oracle === 'exact').map((j) => j.point.algorithm as string))];
  assert.deepEqual(sampled.sort(), ['fast-fedpg', 'fedavg-pg', 'fedsvrpg-m', 'local-pg', 'minibatch-pg', 'scaffold']);
  assert.deepEqual(exact.sort(), ['fast-fedpg', 'fedavg-pg', 'fednpg', 'fedsvrpg-m', 'local-pg', 'minibatch-pg', 'scaffold']);
  const garnets = seedsOf('fast-fedpg', 'sampled');
  assert.equal(garnets.length, 12);
  for (const a of sampled) assert.deepEqual(seedsOf(a, 'sampled'), garnets, a);
  for (const a of exact) assert.deepEqual(seedsOf(a, 'exact'), garnets, a);
  for (const algorithm of sampled) {
    const job = jobs.find((j) => j.point.algorithm === algorithm && j.point.oracle === 'sampled')!;
    const short = { ...job, point: { ...job.point, rounds: 2, every: 1 } };
    const rows = runJob(short, problemFromPoint(short.point, short.seed, dir));
    const perRound = (rows[2].envSteps as number) - (rows[1].envSteps as number);
    const once = (rows[1].envSteps as number) - perRound;
    const total = once + (job.point.rounds as number) * perRound;
    assert.ok(total >= E && total <= E + perRound, `${algorithm}: ${once} + ${job.point.rounds}·${perRound} = ${total}`);
  }
  for (const j of jobs.filter((x) => x.point.oracle === 'exact')) assert.equal(j.point.rounds, 200);
  // The problem is the same for every algorithm: the job points differ only in algorithm, step size, H and rounds.
  const shared = (j: (typeof jobs)[number]) => JSON.stringify(Object.fromEntries(Object.entries(j.point).filter(([k]) => !['algorithm', 'stepSize', 'localSteps', 'rounds', 'oracle', 'horizon', 'batch'].includes(k))));
  assert.equal(new Set(jobs.map(shared)).size, 1);
});
