import assert from 'node:assert/strict';
import { test } from 'node:test';
import { averageMDP, createGradientEstimator, createProblem, estimateGradient, evaluatePolicy, garnet, gridworld, type ProblemSpec, createRng, ValidationError } from '../src/index';

/** A valid 2-state, 2-action, 2-agent spec that each test breaks in one place. */
function spec(): ProblemSpec {
  return {
    S: 2,
    A: 2,
    gamma: 0.9,
    rho: [0.5, 0.5],
    transitions: { dense: [1, 0, 0, 1, 0, 1, 1, 0] },
    rewards: [
      [1, 0, 0, 0],
      [0, 0, 1, 0],
    ],
  };
}

/** Assert that `f` throws a ValidationError whose message matches every pattern. */
function rejects(f: () => unknown, ...patterns: RegExp[]) {
  let error: unknown;
  try {
    f();
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof ValidationError, `expected a ValidationError, got ${error}`);
  for (const p of patterns) assert.match((error as Error).message, p);
}

test('a valid spec builds', () => {
  const p = createProblem(spec());
  assert.equal(p.rewards.length, 2);
  assert.equal(p.transitions.rowStart[4], 4, 'zero probabilities are not stored');
});

test('non-finite transition probability names the row and the value', () => {
  const s = spec();
  s.transitions = { dense: [1, 0, 0, 1, NaN, 1, 1, 0] };
  rejects(() => createProblem(s), /P\(s'=0\|s,a\) in row \(s=1,a=0\)/, /NaN/);
});

test('negative transition probability names the row and the value', () => {
  const s = spec();
  s.transitions = { dense: [1, 0, 0, 1, -0.5, 1.5, 1, 0] };
  rejects(() => createProblem(s), /row \(s=1,a=0\)/, /negative: -0\.5/);
});

test('a transition row that does not sum to 1 names the row and its sum', () => {
  const s = spec();
  s.transitions = { rows: [{ next: [0], prob: [1] }, { next: [1], prob: [1] }, { next: [1, 0], prob: [0.5, 0.43] }, { next: [0], prob: [1] }] };
  rejects(() => createProblem(s), /P row \(s=1,a=0\) sums to 0\.93/);
});

test('a successor outside [0, S) is rejected', () => {
  const s = spec();
  s.transitions = { rows: [{ next: [0], prob: [1] }, { next: [2], prob: [1] }, { next: [1], prob: [1] }, { next: [0], prob: [1] }] };
  rejects(() => createProblem(s), /row \(s=0,a=1\) next\[0\]/, /got 2/);
});

test('gamma outside [0, 1) is rejected with its value', () => {
  for (const gamma of [1, -0.1, 1.5, NaN]) {
    const s = spec();
    s.gamma = gamma;
    rejects(() => createProblem(s), /^gamma /, new RegExp(Number.isNaN(gamma) ? 'NaN' : String(gamma).replace('.', '\\.')));
  }
});

test('rho that is not a distribution is rejected', () => {
  const s = spec();
  s.rho = [0.7, 0.7];
  rejects(() => createProblem(s), /^rho sums to 1\.4/);
  s.rho = [1.2, -0.2];
  rejects(() => createProblem(s), /rho\[1\] is negative: -0\.2/);
  s.rho = [1];
  rejects(() => createProblem(s), /rho has length 1, expected 2/);
});

test('wrong table sizes are rejected', () => {
  const s = spec();
  s.rewards = [[1, 0, 0, 0], [0, 0, 1]];
  rejects(() => createProblem(s), /rewards\[1\] has length 3, expected S·A = 4/);
  const t = spec();
  t.transitions = { dense: [1, 0, 0, 1, 0, 1] };
  rejects(() => createProblem(t), /transitions has 6 entries, expected S·A·S = 8/);
});

test('non-finite rewards name the agent and the entry', () => {
  const s = spec();
  s.rewards = [[1, 0, 0, 0], [0, 0, 1, Infinity]];
  rejects(() => createProblem(s), /rewards\[1\]\[3\] is Infinity/);
  s.rewards = [[1, 0, NaN, 0]];
  rejects(() => createProblem(s), /rewards\[0\]\[2\] is NaN/);
});

test('zero agents are rejected', () => {
  const s = spec();
  s.rewards = [];
  rejects(() => createProblem(s), /rewards is empty: a problem needs at least one agent/);
  rejects(() => garnet({ states: 3, actions: 2, branching: 2, agents: 0, gamma: 0.9, heterogeneity: 0, seed: 1 }), /agents must be ≥ 1, got 0/);
});

test('inconsistent S or A between fields is rejected', () => {
  const built = createProblem(spec());
  const s = { ...spec(), S: 2, A: 3, transitions: built.transitions, rewards: [[0, 0, 0, 0, 0, 0]] };
  rejects(() => createProblem(s), /transitions\.A is 2 but A is 3/);
  rejects(() => gridworld({ width: 3, height: 3, goals: [[5, 0]], gamma: 0.9 }), /goals\[0\]\[0\] must be in \[0, 2\], got 5/);
});

test('bad estimator and evaluation arguments name the field', () => {
  const mdp = averageMDP(createProblem(spec()));
  const theta = [0, 0, 0, 0];
  rejects(() => estimateGradient(mdp, theta, { horizon: 0, batch: 1 }, createRng(1)), /horizon must be ≥ 1, got 0/);
  rejects(() => estimateGradient(mdp, theta, { horizon: 3, batch: 1.5 }, createRng(1)), /batch must be an integer, got 1\.5/);
  rejects(() => createGradientEstimator(mdp, { horizon: 3, batch: 2, estimator: 'ppo' as never }), /estimator must be one of 'gpomdp', 'reinforce', got "ppo"/);
  rejects(() => evaluatePolicy(mdp, theta, { entropy: -1 }), /entropy must be ≥ 0, got -1/);
  rejects(() => evaluatePolicy(mdp, [0, 0, NaN, 0]), /theta\[2\] is NaN/);
  rejects(() => evaluatePolicy(mdp, [0, 0, 0]), /theta has length 3, expected 4/);
});
