import assert from 'node:assert/strict';
import { test } from 'node:test';
import { algorithmNames, createRun, findAlgorithm, garnet, type RunConfig, ValidationError } from '../src/index';
import { parseExperiment, validateExperiment } from '../src/experiments';
import { compareAlgorithms } from '../src/notebook';
import { flattenPoint, plannedEnvSteps, runConfigFromPoint, runRowLabels } from '../src/experiments';
import type { Job, Point } from '../src/experiments';

/** Parse and validate an experiment object, as readExperiment does for a file. */
const validatedExperiment = (json: unknown, source?: string) => validateExperiment(parseExperiment(json, source), { source });


// A run config is resolved once, at the boundary, into a frozen value that rows, labels, plans and figures
// read; what only an algorithm knows (its batch per step, its estimates per round, its estimators) it says
// through hooks, so generic code names no algorithm.

const problem = garnet({ states: 5, actions: 3, branching: 2, agents: 3, gamma: 0.9, heterogeneity: 1, seed: 4 });
const sampled = { kind: 'sampled', horizon: 6, batch: 3 } as const;

test('a momentum run given REINFORCE is refused by name when configured (its importance weights are GPOMDP), also in an experiment file', () => {
  assert.throws(
    () => createRun(problem, { algorithm: 'fedsvrpg-m', beta: 0.5, stepSize: 0.1, oracle: { ...sampled, estimator: 'reinforce' }, seed: 1 }),
    (e: unknown) => e instanceof ValidationError && e.field === 'oracle.estimator' && /'reinforce', which fedsvrpg-m does not support \(it supports 'gpomdp'\)/.test(e.message),
  );
  // The same algorithm with GPOMDP, and other algorithms with REINFORCE, are accepted.
  assert.doesNotThrow(() => createRun(problem, { algorithm: 'fedsvrpg-m', beta: 0.5, stepSize: 0.1, oracle: { ...sampled, estimator: 'gpomdp' }, seed: 1 }));
  assert.doesNotThrow(() => createRun(problem, { algorithm: 'fedavg-pg', stepSize: 0.1, oracle: { ...sampled, estimator: 'reinforce' }, seed: 1 }));
  const file = {
    format: 'fedpg-lab/experiment@1',
    name: 'momentum-reinforce',
    kind: 'runs',
    parameters: { generator: 'garnet', states: 5, actions: 3, branching: 2, agents: 3, gamma: 0.9, oracle: 'sampled', horizon: 6, batch: 3, estimator: 'reinforce', stepSize: 0.1, rounds: 2, algorithm: 'fedsvrpg-m' },
    seeds: 1,
  };
  assert.throws(() => validatedExperiment(file, 'momentum.json'), /momentum\.json: .*oracle\.estimator is 'reinforce', which fedsvrpg-m does not support/);
});

test("compareAlgorithms' legend reads the resolved configs: no 'undefined', and a spelled-out default labels as an omitted one", () => {
  const omitted: RunConfig = { algorithm: 'fast-fedpg', stepSize: 0.5, seed: 0 };
  const spelled: RunConfig = { algorithm: 'fast-fedpg', stepSize: 0.5, seed: 0, localSteps: 1, serverStep: 1, entropy: 0, oracle: { kind: 'exact' }, reuseAnchor: false };
  const three: RunConfig = { algorithm: 'fast-fedpg', stepSize: { kind: 'decaying', eta0: 0.5, t0: 4 }, seed: 0, localSteps: 3, oracle: sampled };
  const cmp = compareAlgorithms(problem, [omitted, three, spelled], { rounds: 2 });
  const names = [...new Set(cmp.rows.map((r) => r.label as string))];
  assert.deepEqual(names, ['Fast-FedPG, H = 1, η = 0.5, exact #1', 'Fast-FedPG, H = 3, η decaying, M = 3', 'Fast-FedPG, H = 1, η = 0.5, exact #2']);
  assert.ok(names.every((n) => !n.includes('undefined')));
  // Configs that differ only in spelling share their settings: the subtitle names them once.
  const { reuseAnchor: _fastFedPGOption, ...spelledFedAvg } = spelled;
  const pair = compareAlgorithms(problem, [omitted, { ...spelledFedAvg, algorithm: 'fedavg-pg' }], { rounds: 1 });
  assert.match(String(pair.figure.meta?.provenance), /H=1 · η=0\.5 · exact gradients · τ=0/);
});

test('result rows are labelled from the resolved config: a point that spells out the defaults gets the values of one that omits them', () => {
  const bare: Point = { algorithm: 'fast-fedpg', stepSize: 0.5, oracle: 'sampled', horizon: 6, batch: 3, rounds: 2 };
  const spelled: Point = { ...bare, localSteps: 1, serverStep: 1, entropy: 0, reuseAnchor: false, every: 1, estimator: 'gpomdp' };
  const label = (p: Point) => {
    const run = createRun(problem, runConfigFromPoint(p, 0));
    const row = flattenPoint(runRowLabels(p, run.config, (p.every as number | undefined) ?? 1));
    return Object.fromEntries(Object.entries(row).sort(([a], [b]) => a.localeCompare(b)));
  };
  assert.deepEqual(label(bare), label(spelled));
  assert.equal(label({ ...bare, algorithm: 'fedavg-pg' }).reuseAnchor, false);
});

/** The planned environment steps of one round of `point` (the sweep's plan, from the algorithm's hooks). */
function plannedPerRound(point: Point): number {
  const job: Job = { index: 0, id: 'plan', config: 0, seed: 0, point: { ...point, rounds: 1, agents: 3 } };
  return plannedEnvSteps(job);
}

test('the sweep plans what each algorithm samples: planned environment steps per round = the run\'s count, for every registered algorithm', () => {
  const base: Point = { stepSize: 0.05, oracle: 'sampled', horizon: 6, batch: 3, localSteps: 3 };
  const variants: Record<string, Point[]> = {
    'fast-fedpg': [{}, { reuseAnchor: true }],
    'fedsvrpg-m': [{ beta: 0.5 }],
    ifca: [{ clusters: 1 }, { clusters: 2 }],
    ditto: [{}, { reuseAnchor: true }],
  };
  let checked = 0;
  for (const name of algorithmNames()) {
    const algorithm = findAlgorithm(name);
    if (!algorithm || name === 'fednpg') continue; // fednpg: exact oracle only (0 environment steps)
    for (const extra of variants[name] ?? [{}]) {
      const point: Point = { ...base, algorithm: name, ...extra };
      const run = createRun(problem, runConfigFromPoint(point, 0));
      // IFCA draws N initial anchors once, in round 1 (clusterInit): compare a later round.
      run.step();
      const before = run.history.at(-1)?.envSteps as number;
      run.step();
      const measured = (run.history.at(-1)?.envSteps as number) - before;
      assert.equal(plannedPerRound(point), measured, `${name} ${JSON.stringify(extra)}`);
      checked++;
    }
  }
  assert.ok(checked >= 12, `checked ${checked} configurations`);
  // minibatch PG: one estimate of H·M trajectories per agent, FedAvg-PG's samples (H estimates of M).
  assert.equal(plannedPerRound({ ...base, algorithm: 'minibatch-pg' }), plannedPerRound({ ...base, algorithm: 'fedavg-pg' }));
  assert.equal(plannedPerRound({ ...base, algorithm: 'fast-fedpg' }), 3 * (3 + 1) * 3 * 6);
});

test('the resolved config is a frozen copy: the caller\'s objects are neither frozen nor shared', () => {
  const personalization = { lambda: 0.5 };
  const initialTheta = new Float64Array(15).fill(0.1);
  const run = createRun(problem, { algorithm: 'ditto', stepSize: 0.1, seed: 1, initialTheta, personalization });
  assert.ok(Object.isFrozen(run.config) && Object.isFrozen(run.config.options.personalization) && Object.isFrozen(run.config.initialTheta));
  assert.ok(!Object.isFrozen(personalization));
  personalization.lambda = 2;
  assert.deepEqual(run.config.options.personalization, { lambda: 0.5 });
  assert.deepEqual(run.config.initialTheta, Array.from(initialTheta));
});
