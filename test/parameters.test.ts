import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { editDistance, nearestName } from '../src/core/schema';
import { parametersMarkdown } from '../scripts/parameters-doc';
import { EXPERIMENT_PARAMETERS, GARNET_SCHEMA, LIMITS_SCHEMA, RUN_SCHEMA } from '../src/core/parameters';
import { averageMDP, createRng, createRun, estimateGradient, evaluatePolicy, garnet, gridworld, optimalValue, problemFromJSON, problemToJSON, stepSizeAt, sweep, truncatedGradient, twoState, ValidationError } from '../src/index';
import { parseExperiment, validateExperiment } from '../src/experiments';
import { historyFigure } from '../src/plot';
import { compareAlgorithms } from '../src/notebook';

/** Parse and validate an experiment object, as readExperiment does for a file. */
const validatedExperiment = (json: unknown, source?: string) => validateExperiment(parseExperiment(json, source), { source });


/**
 * Every class of mistake a researcher can type is refused, and the error names the field and the value.
 * `refuses(fn, field, value)` asserts a ValidationError whose `field` is the path and whose message names
 * the field and shows the offending value.
 */
function refuses(fn: () => unknown, field: string, shown: string | RegExp, extra?: RegExp): ValidationError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof ValidationError, `expected a ValidationError for ${field}, got ${String(caught)}`);
  const e = caught as ValidationError;
  assert.ok(e.message.includes(field), `message names ${field}: ${e.message}`);
  if (typeof shown === 'string') assert.ok(e.message.includes(shown), `message shows ${shown}: ${e.message}`);
  else assert.match(e.message, shown);
  if (extra) assert.match(e.message, extra);
  return e;
}

const problem = garnet({ states: 5, actions: 3, branching: 2, agents: 3, gamma: 0.9, heterogeneity: 0.5, seed: 1 });
const base = { algorithm: 'fast-fedpg', localSteps: 2, stepSize: 0.1, seed: 1, oracle: { kind: 'sampled', horizon: 10, batch: 4 } } as const;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const run = (extra: Record<string, unknown>) => createRun(problem, { ...base, ...extra } as any);

test('edit distance: hand-worked values, and suggestions only for plausible typos', () => {
  // kitten → sitting: substitute k/s, e/i, insert g = 3; a transposition counts 1.
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(editDistance('entropi', 'entropy'), 1);
  assert.equal(editDistance('paramters', 'parameters'), 1);
  assert.equal(editDistance('ab', 'ba'), 1);
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(nearestName('serverstep', Object.keys(RUN_SCHEMA)), 'serverStep');
  assert.equal(nearestName('colour', Object.keys(RUN_SCHEMA)), undefined);
});

test('run configs: misspelled keys, at the top and nested, are refused with the nearest key', () => {
  refuses(() => run({ entropi: 0.1 }), 'entropi', 'not a parameter of a run config', /did you mean entropy\?/);
  refuses(() => run({ serverstep: 0.5 }), 'serverstep', 'not a parameter of a run config', /did you mean serverStep\?/);
  refuses(() => run({ reuseAnchr: true }), 'reuseAnchr', 'not a parameter', /did you mean reuseAnchor\?/);
  refuses(() => run({ oracle: { kind: 'sampled', horizon: 10, batch: 4, estimater: 'reinforce' } }), 'oracle.estimater', 'not a parameter of a sampled oracle', /did you mean estimator\?/);
  refuses(() => run({ stepSize: { kind: 'decaying', eta0: 0.1, to: 5 } }), 'stepSize.to', 'not a parameter', /did you mean t0\?/);
  refuses(() => run({ oracle: { kind: 'sampeld', horizon: 10, batch: 4 } }), 'oracle.kind', '"sampeld"', /did you mean 'sampled'\?/);
  refuses(() => run({ algorithm: 'fast-fedgp' }), 'algorithm', '"fast-fedgp"', /did you mean 'fast-fedpg'\?/);
  refuses(() => run({ detail: 'agent' }), 'detail', '"agent"', /did you mean 'agents'\?/);
});

test('run configs: types are not coerced, sampled-only keys on an exact oracle are refused, ranges enforced', () => {
  refuses(() => run({ reuseAnchor: 'false' }), 'reuseAnchor', '"false"', /must be true or false/);
  refuses(() => run({ metrics: 0 }), 'metrics', '0', /must be true or false/);
  refuses(() => run({ oracle: { kind: 'exact', batch: 10 } }), 'oracle.batch', '10', /sampled oracle only/);
  refuses(() => run({ oracle: { kind: 'exact', estimator: 'gpomdp' } }), 'oracle.estimator', 'gpomdp', /sampled oracle only/);
  refuses(() => run({ localSteps: 0 }), 'localSteps', 'got 0', /≥ 1/);
  refuses(() => run({ localSteps: 2.5 }), 'localSteps', '2.5', /integer/);
  refuses(() => run({ entropy: -0.1 }), 'entropy', '-0.1', /≥ 0/);
  refuses(() => run({ serverStep: 0 }), 'serverStep', 'got 0', /> 0/);
  refuses(() => run({ stepSize: Number.NaN }), 'stepSize', 'NaN');
  refuses(() => run({ oracle: { kind: 'sampled', horizon: 1e12, batch: 4 } }), 'oracle.horizon', '1000000000000', /≤ 10000000/);
  refuses(() => run({ initialTheta: [0, 1] }), 'initialTheta', 'length 2', /expected 15/);
  refuses(() => run({ initialTheta: Array.from({ length: 15 }, (_, k) => (k === 7 ? Number.NaN : 0)) }), 'initialTheta[7]', 'NaN');
  // A valid config with every default resolved once, from the table.
  const r = run({});
  assert.equal(r.config.serverStep, RUN_SCHEMA.serverStep.default);
  assert.equal(r.config.entropy, RUN_SCHEMA.entropy.default);
  assert.equal(r.config.options.reuseAnchor, false);
  assert.ok(Object.isFrozen(r.config) && Object.isFrozen(r.config.oracle) && Object.isFrozen(r.config.options), 'the resolved config is frozen');
  assert.throws(() => ((r.config as { localSteps: number }).localSteps = 5), TypeError);
  assert.deepEqual(r.config.oracle, { kind: 'sampled', horizon: 10, batch: 4, estimator: 'gpomdp' });
});

test('sizes beyond the limits are refused before allocating, naming the field and the cost; limits can be raised', () => {
  // M·K = 1e6 · 1e4 = 1e10 > 1e9 (default estimateSteps).
  refuses(() => run({ oracle: { kind: 'sampled', horizon: 10_000, batch: 1_000_000 } }), 'oracle', /1\.00e\+10 environment steps per gradient estimate/, /limits\.estimateSteps/);
  // The minibatch baseline draws H·M trajectories per estimate: 4 · 1e5 · 1e4 = 4e9.
  refuses(() => run({ algorithm: 'minibatch-pg', localSteps: 4, oracle: { kind: 'sampled', horizon: 10_000, batch: 100_000 } }), 'oracle', /4\.00e\+9/);
  assert.doesNotThrow(() => run({ oracle: { kind: 'sampled', horizon: 10_000, batch: 1_000_000 }, limits: { estimateSteps: 1e11 } }));
  refuses(() => run({ limits: { estimateStep: 1e11 } }), 'limits.estimateStep', 'not a parameter', /did you mean estimateSteps\?/);
  const avg = averageMDP(problem);
  const theta = new Float64Array(15);
  refuses(() => estimateGradient(avg, theta, { horizon: 1e5, batch: 1e8 }, createRng(1)), 'batch', /1\.00e\+13 environment steps/);
  refuses(() => estimateGradient(avg, theta, { horizon: 1e12, batch: 1 }, createRng(1)), 'horizon', '1000000000000');
  // A Garnet of S = 10⁵, A = 10, b = 100 holds 10⁸ transition entries: refused before any allocation.
  refuses(() => garnet({ states: 100_000, actions: 10, branching: 100, agents: 2, gamma: 0.9, seed: 1 }), 'states', /1\.02e\+8 table entries/, /limits\.problemEntries/);
  assert.equal(LIMITS_SCHEMA.problemEntries.default, 5e7);
});

test('generators: no argument, unknown options, wrong types are refused naming the option', () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  refuses(() => (garnet as any)(), 'garnet options', 'missing');
  refuses(() => garnet({ states: 5, actions: 2, branching: 2, agents: 2, gamma: 0.9, heterogenity: 0.5, seed: 1 } as never), 'heterogenity', 'not a parameter of garnet options', /did you mean heterogeneity\?/);
  refuses(() => garnet({ states: 5, actions: 2, branching: 6, agents: 2, gamma: 0.9, seed: 1 }), 'branching', 'got 6', /≤ 5|\[1, 5\]/);
  refuses(() => garnet({ states: 5, actions: 2, branching: 2, agents: 2, gamma: 1, seed: 1 }), 'gamma', 'got 1', /< 1/);
  refuses(() => garnet({ states: 5, actions: 2, branching: 2, agents: 2, gamma: 0.9, rewardModel: 'centred', seed: 1 } as never), 'rewardModel', '"centred"', /did you mean 'centered'\?/);
  refuses(() => gridworld({ width: 3, height: 3, goals: [[0, 0]], gamma: 0.9, slipp: 0.2 } as never), 'slipp', 'not a parameter of gridworld options', /did you mean slip\?/);
  refuses(() => twoState({ gamma: 0.9, reward: [[1, 0, 0, 0]] } as never), 'reward', 'not a parameter of two-state options', /did you mean rewards\?/);
  // heterogeneity's default is declared once (the table) and used by the generator.
  const a = garnet({ states: 5, actions: 2, branching: 2, agents: 2, gamma: 0.9, seed: 1 });
  const b = garnet({ states: 5, actions: 2, branching: 2, agents: 2, gamma: 0.9, seed: 1, heterogeneity: GARNET_SCHEMA.heterogeneity.default });
  assert.deepEqual(a.rewards, b.rewards);
});

test('problem files: unknown keys at every level are refused with the nearest key', () => {
  const json = problemToJSON(problem) as unknown as Record<string, unknown>;
  refuses(() => problemFromJSON({ ...json, gama: 0.9 }, 'p.json'), 'gama', 'not a parameter of a problem file', /did you mean gamma\?/);
  refuses(() => problemFromJSON({ ...json, transitions: { sparse: (json.transitions as { sparse: unknown }).sparse, dense: [] } }, 'p.json'), 'transitions', /both "dense" and "sparse"/);
  const sparse = JSON.parse(JSON.stringify((json.transitions as { sparse: unknown[][] }).sparse));
  sparse[1][2].probs = sparse[1][2].prob;
  refuses(() => problemFromJSON({ ...json, transitions: { sparse } }, 'p.json'), 'transitions.sparse[1][2].probs', 'not a parameter', /did you mean prob\?/);
});

const experiment = {
  format: 'fedpg-lab/experiment@1',
  name: 'typos',
  kind: 'runs',
  parameters: { generator: 'garnet', states: 5, actions: 2, branching: 2, gamma: 0.9, agents: 2, algorithm: 'fast-fedpg', stepSize: 0.1, oracle: 'sampled', horizon: 5, batch: 2, rounds: 3 },
  grid: { localSteps: [1, 2] },
  seeds: 2,
  budgets: { quick: { seeds: 3 } },
};
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const exp = (patch: (e: any) => void) => {
  const e = JSON.parse(JSON.stringify(experiment));
  patch(e);
  return () => validatedExperiment(e, 'typos.json');
};

test('experiment files: misspelled values and keys are refused when the file is read, before any work', () => {
  refuses(exp((e) => (e.parameters.oracle = 'sampeld')), 'parameters.oracle', '"sampeld"', /did you mean 'sampled'\?/);
  refuses(exp((e) => (e.parameters.estimator = 'gpmodp')), 'parameters.estimator', '"gpmodp"', /did you mean 'gpomdp'\?/);
  refuses(exp((e) => (e.budgets.quick = { paramters: { rounds: 10 } })), 'budgets.quick.paramters', 'not a parameter of a budget', /did you mean parameters\?/);
  refuses(exp((e) => (e.seeds_ = 3)), 'seeds_', 'not a parameter of an experiment file', /did you mean seeds\?/);
  refuses(exp((e) => (e.parameters.batchh = 2)), 'parameters.batchh', 'not a parameter of an experiment', /did you mean batch\?/);
  refuses(exp((e) => (e.grid = { localStep: [1, 2] })), 'grid.localStep', 'not a parameter', /did you mean localSteps\?/);
  refuses(exp((e) => (e.parameters.reuseAnchor = 'false')), 'parameters.reuseAnchor', '"false"', /true or false/);
  refuses(exp((e) => (e.parameters.algorithm = 'fedavg')), 'algorithm', '"fedavg"', /did you mean 'fedavg-pg'\?/);
  refuses(exp((e) => (e.parameters.heterogeneity = 1.5)), 'parameters.heterogeneity', '1.5', /≤ 1/);
  // The file is named in every message.
  refuses(exp((e) => (e.parameters.oracle = 'sampeld')), 'typos.json', '"sampeld"');
});

test('experiment files: duplicate seeds and grid values, zero rounds or every, exact runs with sampled keys are refused', () => {
  refuses(exp((e) => (e.seeds = [1, 1])), 'seeds[1]', 'repeats seeds[0] = 1');
  refuses(exp((e) => (e.budgets.quick.seeds = [0, 2, 2])), 'budgets.quick.seeds[2]', 'repeats budgets.quick.seeds[1] = 2');
  refuses(exp((e) => (e.grid = { localSteps: [1, 2, 1] })), 'grid.localSteps[2]', 'repeats grid.localSteps[0] = 1');
  refuses(exp((e) => (e.grid = { stepSize: [{ kind: 'constant', eta: 1 }, { eta: 1, kind: 'constant' }] })), 'grid.stepSize[1]', 'repeats grid.stepSize[0]');
  refuses(exp((e) => (e.parameters.rounds = 0)), 'parameters.rounds', 'got 0', /≥ 1/);
  refuses(exp((e) => (e.parameters.every = 0)), 'parameters.every', 'got 0', /≥ 1/);
  refuses(exp((e) => { delete e.parameters.oracle; e.grid = [{ oracle: ['sampled'] }, { oracle: ['exact'] }]; }), 'horizon', 'configuration 1', /sampled oracle only/);
  refuses(exp((e) => delete e.parameters.rounds), 'rounds', 'configuration 0', /required/);
  // A budget is checked as a whole too: its parameters may break a configuration the base spec allows.
  refuses(exp((e) => (e.budgets.quick = { parameters: { oracle: 'exact' } })), 'of budget \'quick\'', /sampled oracle only/);
});

test('a sweep whose planned work exceeds the limit is refused before any work; the limit can be raised', async () => {
  const spec = validatedExperiment({ ...experiment, parameters: { ...experiment.parameters, rounds: 1e6, batch: 1e4, horizon: 1e4 } });
  // 2 configs (H = 1, 2) × 2 seeds: T·N·(H+1)·M·K = 1e6 · 2 · (2 + 3) · 1e8 · 2 seeds = 2e15.
  await assert.rejects(sweep(spec, { workers: 0, out: join(mkdtempSync(join(tmpdir(), 'fedpg-lim-')), 'r') }), (e: Error) => e instanceof ValidationError && /limits\.sweepSteps is exceeded/.test(e.message) && /2\.00e\+15/.test(e.message));
  const raised = validatedExperiment({ ...experiment, limits: { sweepSteps: 1e16 }, parameters: { ...experiment.parameters, rounds: 1e6, batch: 1e4, horizon: 1e4 } });
  assert.deepEqual(raised.limits, { estimateSteps: 1e9, problemEntries: 5e7, sweepSteps: 1e16, sweepJobs: 1e5 });
});

test('CLI: empty or malformed flag values are refused naming the flag', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fedpg-cli-'));
  const file = join(dir, 'e.json');
  writeFileSync(file, JSON.stringify(experiment));
  const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, '..', 'src', 'cli.ts'), ...args], { encoding: 'utf8' });
  const cases: [string[], RegExp][] = [
    [['--out', ''], /--out is empty/],
    [['--out='], /--out is empty/],
    [['--checkpoint-seconds', 'abc'], /--checkpoint-seconds must be a number ≥ 0, got "abc"/],
    [['--checkpoint-seconds=-1'], /--checkpoint-seconds must be a number ≥ 0, got "-1"/],
    [['--allow-revision-change', '--allow-revision-change'], /--allow-revision-change is given twice/],
    [['--workers', '1.5'], /--workers must be an integer in \[0, 256\], got "1\.5"/],
    [['--workers', 'two'], /--workers must be an integer in \[0, 256\], got "two"/],
    [['--shard', '2/2'], /--shard must be i\/n with 0 ≤ i < n, got "2\/2"/],
    [['--budget', 'quick one'], /--budget must be a name/],
    [['--budget'], /--budget needs a value/],
    [['--budget', 'quick', '--budget', 'full'], /--budget is given twice/],
    [['--colour', 'red'], /unknown option --colour/],
  ];
  for (const [flags, message] of cases) {
    const r = cli('sweep', file, ...flags);
    assert.equal(r.status, 2, `${flags.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
});

test('every experiment parameter has a one-line meaning, and a default only where its consumer has one', () => {
  for (const [name, p] of Object.entries(EXPERIMENT_PARAMETERS)) {
    assert.ok(p.doc.length > 5, name);
    if (p.type === 'enum') assert.ok(p.values && p.values.length > 1, name);
  }
});

test('docs/parameters.md is the current rendering of the parameter table (run npm run docs:parameters after a change)', () => {
  assert.equal(readFileSync(join(__dirname, '..', 'docs', 'parameters.md'), 'utf8'), parametersMarkdown());
});

test('runFor and step: misspelled options are refused, not ignored', () => {
  const r = run({});
  refuses(() => r.runFor(3, { evry: 2 } as never), 'evry', 'not a parameter of runFor options', /did you mean every\?/);
  refuses(() => r.runFor(3, { every: 0 }), 'every', 'got 0', /≥ 1/);
  refuses(() => r.step({ recrd: false } as never), 'recrd', 'not a parameter of step options', /did you mean record\?/);
  refuses(() => r.step({ record: 'no' } as never), 'record', '"no"', /true or false/);
  assert.equal(r.round, 0, 'nothing ran');
});

test('experiment files: problem parameters the generator does not use, a planned T that is not the run\'s, grid keys fixed twice, budget keys no grid has', () => {
  refuses(exp((e) => { Object.assign(e.parameters, { generator: 'gridworld', width: 3, height: 3 }); delete e.parameters.actions; delete e.parameters.branching; }), 'states', 'not used by the \'gridworld\' generator');
  refuses(exp((e) => { Object.assign(e.parameters, { generator: 'two-state' }); delete e.parameters.states; delete e.parameters.actions; delete e.parameters.branching; }), 'agents', 'not used by the \'two-state\' generator');
  refuses(exp((e) => (e.parameters.problemFile = 'p.json')), 'problemFile, which defines the whole problem', /remove (states|actions|branching|gamma|agents|generator)/);
  refuses(exp((e) => (e.parameters.stepSize = { kind: 'planned', mu: 0.1, etaMax: 1, rounds: 10 })), 'stepSize.rounds', 'T = 10', /rounds = 3/);
  refuses(exp((e) => (e.parameters.localSteps = 1)), 'grid.localSteps', 'also fixed in parameters');
  refuses(exp((e) => (e.budgets.quick = { grid: { agents: [1, 2] } })), 'budgets.quick.grid.agents', 'no grid has agents');
});

test('sweep(), evaluation and figure options: misspelled keys are refused; an unknown budget suggests the nearest', async () => {
  const spec = validatedExperiment(experiment);
  await assert.rejects(sweep(spec, { budjet: 'quick' } as never), (e: Error) => /budjet is not a parameter of sweep options; did you mean budget\?/.test(e.message));
  await assert.rejects(sweep(spec, { shard: { index: 3, count: 2 } }), (e: Error) => /shard\.index must be < shard\.count = 2/.test(e.message));
  await assert.rejects(sweep(spec, { budget: 'quik' }), (e: Error) => /"quik" is not a budget of experiment "typos".*did you mean 'quick'\?/.test(e.message));
  const avg = averageMDP(problem);
  refuses(() => evaluatePolicy(avg, new Float64Array(15), { entropi: 0.1 } as never), 'entropi', 'not a parameter of evaluation options', /did you mean entropy\?/);
  refuses(() => optimalValue(avg, { entropi: 0.1 } as never), 'entropi', 'not a parameter of optimalValue options', /did you mean entropy\?/);
  refuses(() => truncatedGradient(avg, new Float64Array(15), { horizn: 5 } as never), 'horizn', 'not a parameter of truncatedGradient options', /did you mean horizon\?/);
  refuses(() => estimateGradient(avg, new Float64Array(15), { horizon: 5, batch: 2 }, undefined as never), 'rng', 'rng must be', /createRng/);
  refuses(() => stepSizeAt({ kind: 'planed', mu: 1 } as never, 0, 2, 1), 'schedule.kind', '"planed"', /did you mean 'planned'\?/);
  refuses(() => stepSizeAt({ kind: 'decaying', eta0: 1, t_0: 5 } as never, 0, 2, 1), 't_0', 'not a parameter', /did you mean t0\?/);
  refuses(() => historyFigure(run({}), { yy: 'J' } as never), 'yy', 'not a parameter of historyFigure options', /did you mean y\?/);
  refuses(() => compareAlgorithms(problem, [base], { rounds: 1, seed: [0] } as never), 'seed', 'not a parameter of compareAlgorithms options', /did you mean seeds\?/);
});

test('CLI: misspelled options and commands get the nearest name', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fedpg-cli-'));
  const file = join(dir, 'e.json');
  writeFileSync(file, JSON.stringify(experiment));
  const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, '..', 'src', 'cli.ts'), ...args], { encoding: 'utf8' });
  assert.match(cli('sweep', file, '--wokers', '1').stderr, /unknown option --wokers; did you mean --workers\?/);
  assert.match(cli('swep', file).stderr, /unknown command "swep"; did you mean sweep\?/);
  assert.match(cli('sweep', file, '--allow-revision-change', 'true').stderr, /--allow-revision-change takes no value/);
  assert.match(cli('sweep', file, '--budget', 'quik').stderr, /"quik" is not a budget.*did you mean 'quick'\?/);
});

test("experiment files: an algorithm's own checks (validate) and fednpg's η ≤ (1−γ)/τ are applied when the file is read", () => {
  const fednpg = (patch: (p: Record<string, unknown>) => void) =>
    exp((e) => {
      Object.assign(e.parameters, { algorithm: 'fednpg', oracle: 'exact', entropy: 0.1, gamma: 0.9, localSteps: 1 });
      delete e.parameters.horizon;
      delete e.parameters.batch;
      delete e.parameters.agents;
      e.grid = { agents: [2, 3] };
      patch(e.parameters);
    });
  // (1 − γ)/τ = 1: η = 1 is soft policy iteration and allowed; 1.5 is refused, naming the file, the configuration and the value.
  fednpg((p) => (p.stepSize = 1))();
  refuses(fednpg((p) => (p.stepSize = 1.5)), 'stepSize', '1.5', /typos\.json: configuration 0 .*\(1−γ\)\/τ = 1/);
  // A decaying schedule is checked at its largest η, η_0.
  refuses(fednpg((p) => (p.stepSize = { kind: 'decaying', eta0: 2, t0: 10 })), 'stepSize', /η = 2 /);
  refuses(fednpg((p) => (p.localSteps = 2)), 'localSteps', 'localSteps must be 1 for fednpg');
  // ifca: K ≤ N, per configuration (N = 3 passes, N = 2 is refused).
  refuses(exp((e) => {
    Object.assign(e.parameters, { algorithm: 'ifca', clusters: 3 });
    delete e.parameters.agents;
    e.grid = { agents: [3, 2] };
  }), 'clusters', /configuration 1 .*at most the number of agents N = 2/);
});
