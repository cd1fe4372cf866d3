import assert from 'node:assert/strict';
import { test } from 'node:test';
import { averageMDP, createProblem, evaluatePolicy, garnet, readExperiment, ValidationError } from '../src/index';
import { applyBudget, expandJobs, parseExperiment, validateExperiment } from '../src/experiments';
import { rateReport, type Row, virtualMDPError, virtualMDPErrorAgainstKappa } from '../src/analysis';
import { problemFromPoint } from '../src/experiments';
import { denseTransitions } from '../src/mdp/transitions';
import { federatedObjective } from '../src/estimators/federated';

/** Parse and validate an experiment object, as readExperiment does for a file. */
const validatedExperiment = (json: unknown, source?: string) => validateExperiment(parseExperiment(json, source), { source });


// Issue 13's measurements: the windy cliff in experiment files, the virtual MDP's error function, the κ
// series of the rate report, and the three shipped experiment files.

const windy = {
  format: 'fedpg-lab/experiment@1',
  name: 'windy-test',
  kind: 'runs',
  parameters: { generator: 'windy-cliff', width: 4, height: 3, agents: 4, gamma: 0.9, algorithm: 'fast-fedpg', stepSize: 1, rounds: 2 },
  grid: { wind: [0, 0.9] },
  seeds: 1,
};

test("experiment files build the windy cliff: N agents with winds wind·i/(N−1), as P_i's interior rows say", () => {
  const spec = validatedExperiment(windy);
  const job = expandJobs(spec).find((j) => j.point.wind === 0.9)!;
  const problem = problemFromPoint(job.point, job.seed, '.');
  assert.equal(problem.S, 12);
  assert.equal(problem.agentTransitions!.length, 4);
  // Cell (x=1, y=1) is s = 5; 'up' reaches s = 9 w.p. 1 − θ_i/3, θ_i = 0.9·i/3, and is blown down onto cliff cell 1 w.p. θ_i/3.
  const row = 5 * 4 + 0;
  problem.agentTransitions!.forEach((P, i) => {
    const d = denseTransitions(P);
    const theta = (0.9 * i) / 3;
    assert.ok(Math.abs(d[row * 12 + 9] - (1 - theta / 3)) < 1e-15 && Math.abs(d[row * 12 + 1] - theta / 3) < 1e-15, `agent ${i}`);
  });
});

/** The ValidationError a modified windy-cliff experiment raises (or fails the test). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function refusal(change: (e: Record<string, any>) => void): ValidationError {
  const e = JSON.parse(JSON.stringify(windy));
  change(e);
  try {
    validatedExperiment(e, 'windy.json');
  } catch (err) {
    assert.ok(err instanceof ValidationError, String(err));
    return err;
  }
  assert.fail(`accepted ${JSON.stringify(e)}`);
}

test('windy-cliff experiment parameters are validated when the file is read, each refusal naming the field and its value', () => {
  const cases: [string, (e: Record<string, any>) => void, RegExp][] = [
    ['wind above 1', (e) => (e.grid.wind = [0, 1.5]), /wind\[1\].*1\.5/],
    ['negative wind', (e) => (e.parameters.wind = -0.1, delete e.grid), /wind.*-0\.1/],
    ['width below the cliff\'s 3', (e) => (e.parameters.width = 2), /width.*must be ≥ 3, got 2/],
    ['height below 2', (e) => (e.parameters.height = 1), /height.*must be ≥ 2, got 1/],
    ['no agents', (e) => delete e.parameters.agents, /agents.*required with generator 'windy-cliff'/],
    ['no wind', (e) => delete e.grid, /wind.*required with generator 'windy-cliff'/],
    ['a single agent with wind', (e) => (e.parameters.agents = 1), /wind.*0\.9.*agents = 1/],
    ['a Garnet key', (e) => (e.parameters.states = 10), /states.*10.*not used by the 'windy-cliff' generator/],
    ['the gridworld\'s slip', (e) => (e.parameters.slip = 0.2), /slip.*0\.2.*not used by the 'windy-cliff' generator/],
    ['a problem seed (the windy cliff is not random)', (e) => (e.parameters.problemSeed = 3), /problemSeed.*3.*not used/],
    ['wind on a Garnet', (e) => Object.assign(e.parameters, { generator: 'garnet', states: 5, actions: 2, branching: 2, width: undefined, height: undefined }), /wind.*not used by the 'garnet' generator/],
    ['a misspelt generator', (e) => (e.parameters.generator = 'windyCliff'), /generator.*windyCliff.*did you mean 'windy-cliff'/],
    ['an identity experiment (it needs the averaged MDP)', (e) => { e.kind = 'identity'; for (const k of ['algorithm', 'stepSize', 'rounds']) delete e.parameters[k]; }, /generator.*"windy-cliff".*needs the averaged MDP/],
    ['an identity experiment with κ > 0', (e) => { e.kind = 'identity'; e.parameters = { generator: 'garnet', states: 5, actions: 2, branching: 2, agents: 2, gamma: 0.9 }; e.grid = { transitionHeterogeneity: [0, 0.3] }; }, /transitionHeterogeneity.*0\.3.*needs the averaged MDP/],
  ];
  for (const [what, change, message] of cases) {
    const err = refusal((e) => {
      change(e);
      for (const k of Object.keys(e.parameters)) if (e.parameters[k] === undefined) delete e.parameters[k];
    });
    assert.match(err.message, message, what);
    assert.match(err.message, /^windy\.json: /, `${what}: the file is named`);
  }
});

test('virtualMDPError: closed form on two opposite agents, exact zero with a shared P (also with entropy), never above the bound', () => {
  // The two-state pair of test/transitions.test.ts: one action, so every θ is the same policy; J − J̄ = γ/(2(1−γ))
  // (agent 1 always moves to state 0 and is paid there, agent 2 to state 1; the virtual MDP pays ½ everywhere)
  // and the bound is γ/(2(1−γ)²): ratio 1 − γ.
  const gamma = 0.9;
  const swap = createProblem({ S: 2, A: 1, gamma, rho: [0.5, 0.5], agentTransitions: [{ dense: [1, 0, 1, 0] }, { dense: [0, 1, 0, 1] }], rewards: [[1, 0], [0, 1]] });
  const e = virtualMDPError(swap, { policies: 5 });
  assert.ok(Math.abs(e.maxError - gamma / (2 * (1 - gamma))) < 1e-13 && Math.abs(e.meanError - e.maxError) < 1e-13, JSON.stringify(e));
  assert.ok(Math.abs(e.ratio - (1 - gamma)) < 1e-13);
  // Shared P: the virtual MDP is the averaged MDP, J̄ = J exactly, with or without the entropy term (which
  // would show as an O(τ log A/(1−γ)) error if it entered one side only).
  for (const entropy of [0, 0.5]) {
    const shared = virtualMDPError(garnet({ states: 8, actions: 3, branching: 2, agents: 3, gamma: 0.9, seed: 2 }), { policies: 10, entropy });
    assert.ok(shared.maxError < 1e-12 && shared.bound === 0 && shared.ratio === 0, JSON.stringify(shared));
  }
  // Per-agent P_i: the error of each random policy is below the bound, and the reported maximum is the maximum
  // of |J − J̄| over the same policies evaluated here independently (θ from the stream seed/policy:k).
  const rows = virtualMDPErrorAgainstKappa({ states: 8, actions: 3, branching: 2, agents: 4, gamma: 0.9, seed: 5 }, [0.1, 0.8], { policies: 20, entropy: 0.1, heterogeneities: [0, 1] });
  assert.equal(rows.length, 4);
  for (const r of rows) assert.ok(r.maxError > 0 && r.maxError <= r.bound && r.meanError <= r.maxError, JSON.stringify(r));
  assert.throws(() => virtualMDPError(swap, { polices: 3 }), /polices.*did you mean policies/);
  assert.throws(() => virtualMDPError(swap, { policies: 0 }), /policies.*≥ 1, got 0/);
});

test('virtualMDPError evaluates J̄ with the entropy term on the virtual MDP (an independent evaluation agrees)', () => {
  const problem = garnet({ states: 6, actions: 2, branching: 2, agents: 3, gamma: 0.8, transitionHeterogeneity: 0.5, seed: 4 });
  const one = virtualMDPError(problem, { policies: 1, entropy: 0.2, scale: 0 });
  // scale 0: θ = 0, the uniform policy; J by agents and J̄ on (P̄, R̄), both evaluated here.
  const theta = new Float64Array(12);
  const J = federatedObjective(problem, theta, { entropy: 0.2 }).J;
  const avgP = problem.agentTransitions!.map((P) => denseTransitions(P)).reduce((acc, d) => acc.map((x, k) => x + d[k] / 3), new Float64Array(6 * 2 * 6));
  const Rbar = problem.rewards.reduce((acc, R) => acc.map((x, k) => x + R[k] / 3), new Float64Array(12));
  const virtual = createProblem({ S: 6, A: 2, gamma: 0.8, rho: problem.rho, transitions: { dense: Array.from(avgP) }, rewards: [Array.from(Rbar)] });
  const Jbar = evaluatePolicy(averageMDP(virtual), theta, { entropy: 0.2 }).J;
  assert.ok(Math.abs(one.maxError - Math.abs(J - Jbar)) < 1e-12, `${one.maxError} vs ${Math.abs(J - Jbar)}`);
});

test('rateReport splits runs by κ by default and recovers a known exponent of N and slope in T per κ', () => {
  // Synthetic (1/T) Σ ‖∇J‖² = c_κ · N^(−½) · T^(−½) exactly, two seeds each (identical): exponents −½, slopes −½.
  const rows: Row[] = [];
  for (const kappa of [0, 0.5]) {
    for (const agents of [1, 2, 4, 8]) {
      for (const rounds of [25, 50, 100]) {
        for (const seed of [0, 1]) rows.push({ job: `${kappa}-${agents}-${rounds}-${seed}`, seed, transitionHeterogeneity: kappa, agents, rounds, round: rounds, gradNormSqAvg: (1 + kappa) * agents ** -0.5 * rounds ** -0.5 });
      }
    }
  }
  const rep = rateReport(rows, { y: 'gradNormSqAvg' });
  assert.deepEqual(rep.speedups.map((s) => s.transitionHeterogeneity), [0, 0.5]);
  for (const s of rep.speedups) assert.ok(Math.abs((s.exponent as number) + 0.5) < 1e-12 && Math.abs((s.exponentAll as number) + 0.5) < 1e-12, JSON.stringify(s));
  for (const s of rep.slopes) assert.ok(Math.abs((s.slope as number) + 0.5) < 1e-12, JSON.stringify(s));
});

test('the transition experiments: T and N from the budgets, κ ∈ {0, 0.2, 0.5, 0.8}, κ grid of the bias, winds of the windy cliff', () => {
  const rates = readExperiment('data/experiments/transition-rates.json');
  const quick = expandJobs(applyBudget(rates, 'quick'));
  assert.deepEqual([...new Set(quick.map((j) => j.point.transitionHeterogeneity))], [0, 0.2, 0.5, 0.8]);
  assert.deepEqual([...new Set(quick.map((j) => j.point.agents))], [1, 2, 3, 4, 8]);
  assert.deepEqual([...new Set(expandJobs(applyBudget(rates, 'full')).map((j) => j.point.agents))], [1, 2, 4, 8, 16]);
  const bias = expandJobs(applyBudget(readExperiment('data/experiments/transition-bias.json'), 'quick'));
  assert.equal(new Set(bias.filter((j) => j.point.algorithm === 'fedavg-pg').map((j) => j.point.transitionHeterogeneity)).size, 9);
  assert.deepEqual([...new Set(bias.map((j) => j.point.heterogeneity))], [0, 0.5, 1]);
  const cliff = expandJobs(applyBudget(readExperiment('data/experiments/windy-cliff.json'), 'quick'));
  assert.deepEqual([...new Set(cliff.map((j) => j.point.wind))], [0, 0.5, 1]);
  for (const budget of ['ci', 'quick', 'full']) assert.ok(expandJobs(applyBudget(readExperiment('data/experiments/windy-cliff.json'), budget)).every((j) => j.point.generator === 'windy-cliff'));
});
