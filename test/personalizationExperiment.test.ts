import assert from 'node:assert/strict';
import { test } from 'node:test';
import { agentMDP, createRun, evaluatePolicy, optimalValue, readExperiment } from '../src/index';
import { applyBudget, expandJobs } from '../src/experiments';
import { problemFromPoint, runConfigFromPoint, runJob } from '../src/experiments';

const file = 'data/experiments/personalization.json';

test('personalization.json parses; every budget spans the three approaches over h (IFCA with both initialisations), and the ci budget is 10 jobs', () => {
  const spec = readExperiment(file);
  for (const budget of ['ci', 'quick', 'full']) {
    const jobs = expandJobs(applyBudget(spec, budget));
    const algorithms = new Set(jobs.map((j) => j.point.algorithm));
    assert.deepStrictEqual([...algorithms].sort(), ['ditto', 'fast-fedpg', 'ifca'], budget);
    assert.ok(new Set(jobs.map((j) => j.point.heterogeneity)).size >= 2, budget);
  }
  assert.equal(expandJobs(applyBudget(spec, 'ci')).length, 10);
  assert.deepStrictEqual([...new Set(expandJobs(applyBudget(spec, 'ci')).flatMap((j) => (j.point.algorithm === 'ifca' ? [j.point.clusterInit] : [])))].sort(), ['farthest', 'random']);
});

/** (1/N) Σ_i (J_i* − J_i(θ_i)) from a run's end state, evaluated directly (value iteration and policy evaluation on each R_i). */
function ownGapMean(problem: ReturnType<typeof problemFromPoint>, thetas: readonly Float64Array[], entropy: number): number {
  return thetas.reduce((s, theta, i) => s + optimalValue(agentMDP(problem, i), { entropy }).J - evaluatePolicy(agentMDP(problem, i), theta, { entropy }).J, 0) / thetas.length;
}

test('agentGapMean is each agent\'s own gap at the parameters it acts with: θ̄ for fast-fedpg, its v_i for ditto (ci jobs, h = 1)', () => {
  const jobs = expandJobs(applyBudget(readExperiment(file), 'ci')).filter((j) => j.point.heterogeneity === 1);
  for (const algorithm of ['fast-fedpg', 'ifca', 'ditto']) {
    const job = jobs.find((j) => j.point.algorithm === algorithm);
    assert.ok(job, algorithm);
    const problem = problemFromPoint(job.point, job.seed, 'data/experiments');
    const rows = runJob(job, problem);
    const run = createRun(problem, runConfigFromPoint(job.point, job.seed));
    run.runFor(job.point.rounds as number);
    const thetas = run.personal ?? problem.rewards.map(() => run.thetaBar);
    const expected = ownGapMean(problem, thetas, job.point.entropy as number);
    const last = rows.at(-1) as Record<string, number>;
    assert.equal(last.round, job.point.rounds);
    // Same numbers by two routes (history's per-agent J against a direct evaluation): round-off only.
    assert.ok(Math.abs(last.agentGapMean - expected) < 1e-12, `${algorithm}: ${last.agentGapMean} vs ${expected}`);
    // After 20 rounds no agent is at its own optimum.
    assert.ok(last.agentGapMean > 0, `${algorithm}: ${last.agentGapMean}`);
  }
});
