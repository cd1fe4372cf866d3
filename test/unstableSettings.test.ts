import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRun, defineAlgorithm, garnet, ValidationError } from '../src/index';
import { parseExperiment, validateExperiment } from '../src/experiments';

// Settings documented as unstable are refused when the run is created (not after hundreds of rounds at 1e16),
// and options that change nothing in the chosen mode are refused naming the option and the mode.

const problem = garnet({ states: 5, actions: 3, branching: 2, agents: 3, gamma: 0.9, heterogeneity: 1, seed: 1 });
const base = { localSteps: 2, stepSize: 0.5, seed: 1 } as const;
const refused = (field: string, ...parts: string[]) => (e: Error) => e instanceof ValidationError && e.field === field && parts.every((p) => e.message.includes(p));

test("ditto: s·λ ≥ 2 (the personal step's documented instability) is refused at creation, with s given or s = η₀", () => {
  assert.throws(() => createRun(problem, { ...base, algorithm: 'ditto', personalization: { lambda: 4.1, stepSize: 0.5 } }), refused('personalization.stepSize', 's·λ = 2.05', 's·λ < 2'));
  assert.throws(() => createRun(problem, { ...base, algorithm: 'ditto', personalization: { lambda: 4 } }), refused('personalization.lambda', 's·λ = 2', 'η₀'));
  // A decaying schedule: its largest step, η₀, is the one that decides.
  assert.throws(() => createRun(problem, { ...base, stepSize: { kind: 'decaying', eta0: 1, t0: 10 }, algorithm: 'ditto', personalization: { lambda: 2.5 } }), refused('personalization.lambda', 's·λ = 2.5'));
  // Just inside the edge, accepted.
  createRun(problem, { ...base, algorithm: 'ditto', personalization: { lambda: 3.9, stepSize: 0.5 } }).runFor(2);
});

test('shared-personal: s·μ ≥ 2 is refused at creation', () => {
  assert.throws(() => createRun(problem, { ...base, algorithm: 'shared-personal', mu: 5, personalStepSize: 0.41 }), refused('personalStepSize', 's·μ = 2.05'));
  assert.throws(() => createRun(problem, { ...base, algorithm: 'shared-personal', mu: 4.2 }), refused('mu', 's·μ = 2.1', 'η₀'));
  createRun(problem, { ...base, algorithm: 'shared-personal', mu: 3.9 }).runFor(2);
});

test('options without effect in the chosen mode are refused: a soft temperature with hard assignment, a cluster spread without clusters, more reward clusters than agents', () => {
  assert.throws(() => createRun(problem, { ...base, algorithm: 'ifca', clusters: 2, softTemperature: 0.5 }), refused('softTemperature', 'unless assignment is "soft"', '(assignment is "hard")'));
  createRun(problem, { ...base, algorithm: 'ifca', clusters: 2, assignment: 'soft', softTemperature: 0.5 });
  const g = { states: 5, actions: 3, branching: 2, agents: 3, gamma: 0.9, heterogeneity: 1, seed: 1 };
  assert.throws(() => garnet({ ...g, clusterSpread: 0.3 }), refused('clusterSpread', 'rewardClusters is given'));
  assert.throws(() => garnet({ ...g, rewardClusters: 4 }), refused('rewardClusters', 'more reward clusters than agents', 'N = 3'));
  garnet({ ...g, rewardClusters: 3, clusterSpread: 0.3 });
  // In an experiment file, before any work, naming the configuration.
  const spec = parseExperiment({
    format: 'fedpg-lab/experiment@1',
    name: 'meaningless',
    kind: 'runs',
    parameters: { generator: 'garnet', states: 5, actions: 3, branching: 2, agents: 3, gamma: 0.9, algorithm: 'ifca', clusters: 2, stepSize: 0.5, rounds: 2 },
    grid: { softTemperature: [0.1, 0.5] },
    seeds: 1,
  });
  assert.throws(() => validateExperiment(spec), (e: Error) => e instanceof ValidationError && /configuration 1/.test(e.message) && /softTemperature has no effect unless assignment is "soft"/.test(e.message));
});

test('defineAlgorithm: a `requires` that names no option of the algorithm is refused', () => {
  assert.throws(
    () => defineAlgorithm({ name: 'req', description: 'x', options: { t: { type: 'number', default: 1, requires: { field: 'mode', values: ['soft'] }, doc: 't' } }, init: () => ({ thetaBar: new Float64Array(1) }), round: (_c, s) => ({ state: s }) }),
    (e: Error) => e instanceof ValidationError && e.field === 'options.t.requires',
  );
});
