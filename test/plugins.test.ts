import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import * as fedpg from '../src/index';
import { aggregate, algorithmNames, algorithmOptions, createRun, defineAlgorithm, fedAvgPG, garnet, localUpdate, registerAlgorithm, restoreRun, sweep, ValidationError } from '../src/index';
import { parseExperiment, validateExperiment } from '../src/experiments';

/** Parse and validate an experiment object, as readExperiment does for a file. */
const validatedExperiment = (json: unknown, source?: string) => validateExperiment(parseExperiment(json, source), { source });


const problem = garnet({ states: 6, actions: 3, branching: 2, agents: 3, gamma: 0.9, heterogeneity: 1, seed: 2 });
const ROOT = join(__dirname, '..');

/** FedAvg-PG with a server step that shrinks each round, written as a researcher would. */
const damped = defineAlgorithm<{ thetaBar: Float64Array; rounds: number }>({
  name: 'damped-fedavg',
  description: 'FedAvg-PG whose server step is α/(1 + rounds·decay)',
  options: { decay: { type: 'number', min: 0, default: 0, symbol: 'δ', doc: 'decay of the server step per round' } },
  init: (setup) => ({ thetaBar: Float64Array.from(setup.initialTheta), rounds: 0 }),
  round(ctx, state) {
    const agents = Array.from({ length: ctx.agents }, (_, i) => localUpdate(ctx, i, state.thetaBar));
    ctx.count({ messages: 2 * ctx.agents, syncs: 1 });
    const alpha = ctx.serverStep / (1 + state.rounds * (ctx.options.decay as number));
    return { state: { thetaBar: aggregate(state.thetaBar, agents.map((a) => a.thetaLocal), alpha), rounds: state.rounds + 1 }, agents };
  },
});

test('an algorithm value runs through createRun: with decay 0 it is fedavg-pg to the bit, its options are resolved and saved', () => {
  const base = { localSteps: 3, stepSize: 0.4, oracle: { kind: 'sampled', horizon: 8, batch: 3 }, seed: 9 } as const;
  const mine = createRun(problem, { ...base, algorithm: damped });
  const ref = createRun(problem, { ...base, algorithm: 'fedavg-pg' });
  mine.runFor(4);
  ref.runFor(4);
  assert.deepEqual(Array.from(mine.thetaBar), Array.from(ref.thetaBar));
  assert.deepEqual(mine.history.map((r) => [r.J, r.envSteps, r.messages]), ref.history.map((r) => [r.J, r.envSteps, r.messages]));
  assert.equal(mine.config.algorithm, 'damped-fedavg');
  const decayed = createRun(problem, { ...base, algorithm: damped, decay: 0.5 });
  assert.deepEqual(decayed.config.options, { decay: 0.5 });
  decayed.runFor(3);
  // Not registered: restoring needs the value, and the saved name must match it.
  const saved = JSON.parse(JSON.stringify(decayed.state));
  assert.throws(() => restoreRun(problem, saved), /state\.config\.algorithm must be a registered algorithm, got "damped-fedavg"/);
  assert.throws(() => restoreRun(problem, saved, fedAvgPG), /does not match the saved run's algorithm "damped-fedavg"/);
  const resumed = restoreRun(problem, saved, damped);
  const whole = createRun(problem, { ...base, algorithm: damped, decay: 0.5 });
  whole.runFor(5);
  resumed.runFor(2);
  assert.deepEqual(Array.from(resumed.thetaBar), Array.from(whole.thetaBar));
  // An option of another algorithm is refused by name.
  assert.throws(() => createRun(problem, { ...base, algorithm: 'fast-fedpg', decay: 0.5 }), /decay is not a parameter of a run config of fast-fedpg/);
  // A resolved config is a run config again (its options as top-level keys).
  assert.deepEqual(createRun(problem, { ...decayed.config, algorithm: damped, initialTheta: undefined }).config, decayed.config);
  assert.throws(() => createRun(problem, { ...base, algorithm: damped, decay: -1 }), (e: unknown) => e instanceof ValidationError && /^decay must be ≥ 0, got -1/.test((e as Error).message));
});

test('registerAlgorithm: a name is available once registered, duplicates are refused, re-registering the same value is a no-op', () => {
  const mine = defineAlgorithm({ ...damped, name: 'damped-fedavg-registered', thetaBar: undefined, agentTheta: undefined, validate: undefined, toJSON: undefined, fromJSON: undefined });
  assert.ok(!algorithmNames().includes('damped-fedavg-registered'));
  registerAlgorithm(mine);
  registerAlgorithm(mine);
  assert.ok(algorithmNames().includes('damped-fedavg-registered'));
  assert.deepEqual(Object.keys(algorithmOptions('damped-fedavg-registered')), ['decay']);
  const run = createRun(problem, { algorithm: 'damped-fedavg-registered', localSteps: 1, stepSize: 0.1, oracle: { kind: 'exact' }, seed: 1 });
  run.step();
  assert.equal(restoreRun(problem, JSON.parse(JSON.stringify(run.state))).round, 1);
  assert.throws(() => registerAlgorithm(defineAlgorithm({ ...mine, thetaBar: undefined })), /algorithm\.name .*already registered/);
  assert.throws(() => registerAlgorithm(defineAlgorithm({ ...fedAvgPG, thetaBar: undefined })), /already registered/);
  assert.throws(() => defineAlgorithm({ ...mine, name: 'Bad Name' }), /algorithm\.name/);
  assert.deepEqual(Object.keys(algorithmOptions('fedsvrpg-m')), ['beta', 'initialBatch']);
  assert.deepEqual(Object.keys(algorithmOptions('local-momentum-pg')), ['beta']);
  assert.deepEqual(Object.keys(algorithmOptions('fednpg')), ['mixing', 'beyondTheorem']);
  assert.deepEqual(Object.keys(algorithmOptions('fast-fedpg')), ['reuseAnchor']);
  assert.deepEqual(algorithmOptions('fedavg-pg'), {});
});

test('the baselines import only the plug-in interface, and every name they import is exported by the package entry', () => {
  for (const file of ['fedNPG.ts', 'fedSVRPGM.ts', 'localMomentumPG.ts', 'mixing.ts', 'index.ts']) {
    const text = readFileSync(join(ROOT, 'src', 'baselines', file), 'utf8');
    for (const m of text.matchAll(/import\s+(?:\{([^}]*)\}\s+from\s+)?'([^']+)'/g)) {
      const [, names, from] = m;
      assert.ok(from === '../algorithms/plugin' || from.startsWith('./'), `${file} imports ${from}`);
      if (from !== '../algorithms/plugin') continue;
      for (const raw of (names ?? '').split(',')) {
        const name = raw.replace(/^\s*type\s+/, '').trim();
        if (!name) continue;
        const isType = /^\s*type\s/.test(raw) || /^[A-Z]/.test(name) && !(name in fedpg);
        assert.ok(isType || name in fedpg, `${file}: ${name} is not exported by src/index.ts`);
      }
    }
  }
  const plugin = readFileSync(join(ROOT, 'src', 'algorithms', 'plugin.ts'), 'utf8');
  for (const m of plugin.matchAll(/export\s+\{([^}]*)\}/g)) {
    for (const raw of m[1].split(',')) {
      const name = raw.trim();
      if (name && !name.startsWith('type ')) assert.ok(name in fedpg, `plugin.ts exports ${name}, which src/index.ts does not`);
    }
  }
});

test('an experiment with algorithmModules: sweep workers load the module and run its algorithm, fednpg and fedsvrpg-m options in the grid', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fedpg-plugins-'));
  // A researcher's module: CommonJS that exports its algorithm (here importing the sources, as tsx runs them).
  writeFileSync(
    join(dir, 'halfStep.js'),
    `const { defineAlgorithm, localUpdate, aggregate } = require(${JSON.stringify(join(ROOT, 'src', 'index.ts'))});
exports.halfStep = defineAlgorithm({
  name: 'half-step',
  description: 'FedAvg-PG with a server step of 1/2',
  init: (setup) => ({ thetaBar: Float64Array.from(setup.initialTheta) }),
  round(ctx, state) {
    const agents = Array.from({ length: ctx.agents }, (_, i) => localUpdate(ctx, i, state.thetaBar));
    ctx.count({ messages: 2 * ctx.agents, syncs: 1 });
    return { state: { thetaBar: aggregate(state.thetaBar, agents.map((a) => a.thetaLocal), 0.5) }, agents };
  },
});
`,
  );
  const file = join(dir, 'exp.json');
  const json = {
    format: 'fedpg-lab/experiment@1',
    name: 'plugins',
    kind: 'runs',
    algorithmModules: ['halfStep.js'],
    parameters: { generator: 'garnet', states: 5, actions: 2, branching: 2, agents: 2, gamma: 0.8, heterogeneity: 1, problemSeed: 1, oracle: 'exact', entropy: 0.1, stepSize: 0.5, localSteps: 1, rounds: 6, every: 3 },
    grid: [{ algorithm: ['half-step', 'fedavg-pg'], serverStep: [0.5] }, { algorithm: ['fednpg'], mixing: ['server', 'ring'] }, { algorithm: ['fedsvrpg-m'], beta: [0.5] }],
    seeds: 1,
  };
  writeFileSync(file, JSON.stringify(json));
  const spec = validatedExperiment(JSON.parse(readFileSync(file, 'utf8')), file);
  assert.deepEqual(spec.algorithmModules, [join(dir, 'halfStep.js')]);
  const threads = await sweep(spec, { workers: 1, out: join(dir, 'r1') });
  assert.deepEqual(threads.failures, []);
  const inline = await sweep(spec, { workers: 0, out: join(dir, 'r0') });
  assert.equal(JSON.stringify(threads.rows), JSON.stringify(inline.rows));
  const final = (alg: string, extra: (r: Record<string, unknown>) => boolean = () => true) => threads.rows.find((r) => r.algorithm === alg && r.round === 6 && extra(r)) as Record<string, number>;
  // half-step is FedAvg-PG with α_g = 1/2 (H = 1, exact): the same numbers.
  assert.equal(final('half-step').J, final('fedavg-pg').J);
  assert.equal(final('fednpg', (r) => r.mixing === 'ring').messages, 6 * 2 * 2);
  assert.equal(final('fednpg', (r) => r.mixing === 'server').messages, 6 * 4 * 2);
  assert.equal(final('fedsvrpg-m').beta, 0.5);
  assert.throws(() => validatedExperiment({ ...json, algorithmModules: ['missing.js'] }, file), /algorithmModules\[0\] is not a file/);
  assert.throws(() => validatedExperiment({ ...json, algorithmModules: undefined, grid: { algorithm: ['fednpg'], mixin: ['ring'] } }, file), /grid\.mixin is not a parameter of an experiment; did you mean mixing\?/);
  assert.throws(() => validatedExperiment({ ...json, algorithmModules: undefined, grid: { algorithm: ['fednpg'], mixing: ['star'] } }, file), /grid\.mixing\[0\] must be one of 'server', 'ring'/);
});

test('the FedProx-style plug-in of docs/plugins.md runs as written: a finite drift column, the divergence check, FedAvg-PG at μ = 0', () => {
  const doc = readFileSync(join(ROOT, 'docs', 'plugins.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## A local direction'));
  const code = (/```ts\n([\s\S]*?)```/.exec(section) as RegExpExecArray)[1];
  assert.ok(code.split('\n').length <= 25, `the example has ${code.split('\n').length} lines`);
  const file = join(mkdtempSync(join(tmpdir(), 'fedpg-fedprox-')), 'fedProx.ts');
  writeFileSync(file, code.replace("from 'fedpg-lab'", `from ${JSON.stringify(join(ROOT, 'src', 'index.ts'))}`));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { fedProx } = require(file) as { fedProx: fedpg.Algorithm };
  const base = { localSteps: 4, stepSize: 0.5, oracle: { kind: 'sampled', horizon: 8, batch: 3 }, seed: 3 } as const;
  const prox = createRun(problem, { ...base, algorithm: fedProx, mu: 0.5 });
  prox.runFor(3);
  const drift = prox.history.slice(1).flatMap((r) => r.agents.map((a) => a.drift));
  assert.equal(drift.length, 3 * 3);
  assert.ok(drift.every((d) => Number.isFinite(d) && d > 0), `drift column ${drift}`);
  // μ = 0: the direction is ĝ exactly, so the run is FedAvg-PG's, trace by trace.
  const zero = createRun(problem, { ...base, algorithm: fedProx, mu: 0, detail: 'full' });
  const avg = createRun(problem, { ...base, algorithm: 'fedavg-pg', detail: 'full' });
  for (let t = 0; t < 3; t++) {
    const a = zero.step();
    const b = avg.step();
    assert.deepEqual(Array.from(a.thetaAfter as Float64Array), Array.from(b.thetaAfter as Float64Array));
    assert.deepEqual(a.driftPerStep?.map((d) => Array.from(d)), b.driftPerStep?.map((d) => Array.from(d)));
    assert.deepEqual(a.gradients?.map((g) => g.map((x) => Array.from(x))), b.gradients?.map((g) => g.map((x) => Array.from(x))));
  }
  // A step size that makes θ overflow stops the run in the loop, naming the agent, the step and η.
  const blown = createRun(problem, { ...base, algorithm: fedProx, mu: 0.5, stepSize: 1e308 });
  assert.throws(() => blown.runFor(2), (e: unknown) => e instanceof fedpg.DivergenceError && /diverged: θ of agent 0 is not finite after local step \d+ of round 1 \(stepSize η = 1e\+308\)/.test((e as Error).message));
});

test('parsing an experiment is pure (no module loaded, unknown keys kept), validation then loads its modules and refuses typos; sweep(spec, { algorithms }) takes values', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fedpg-pure-'));
  const marker = `__fedpgLoaded${process.pid}`;
  writeFileSync(
    join(dir, 'third.js'),
    `globalThis[${JSON.stringify(marker)}] = (globalThis[${JSON.stringify(marker)}] ?? 0) + 1;
const { defineAlgorithm, localUpdate, aggregate } = require(${JSON.stringify(join(ROOT, 'src', 'index.ts'))});
exports.third = defineAlgorithm({
  name: 'third-step',
  description: 'FedAvg-PG with a server step of 1/3',
  options: { unused: { type: 'number', default: 0, doc: 'an option, so that it is a parameter' } },
  init: (setup) => ({ thetaBar: Float64Array.from(setup.initialTheta) }),
  round(ctx, state) {
    const agents = Array.from({ length: ctx.agents }, (_, i) => localUpdate(ctx, i, state.thetaBar));
    return { state: { thetaBar: aggregate(state.thetaBar, agents.map((a) => a.thetaLocal), 1 / 3) }, agents };
  },
});
`,
  );
  const json = {
    format: 'fedpg-lab/experiment@1',
    name: 'pure',
    kind: 'runs',
    algorithmModules: ['third.js'],
    parameters: { generator: 'garnet', states: 4, actions: 2, branching: 2, agents: 2, gamma: 0.8, problemSeed: 1, oracle: 'exact', stepSize: 0.5, rounds: 2 },
    grid: { algorithm: ['third-step'], unused: [0, 1] },
    seeds: 1,
  };
  const names = algorithmNames();
  const spec = parseExperiment(json, join(dir, 'exp.json'));
  assert.equal((globalThis as Record<string, unknown>)[marker], undefined, 'parsing loaded no module');
  assert.deepEqual(algorithmNames(), names, 'parsing registered nothing');
  // A typo is kept by parsing (it could be an option) and refused by validation, with the nearest name.
  const typo = parseExperiment({ ...json, parameters: { ...json.parameters, batchh: 2 } }, join(dir, 'exp.json'));
  assert.equal(typo.parameters.batchh, 2);
  assert.throws(() => validateExperiment(typo), /parameters\.batchh is not a parameter of an experiment; did you mean batch\?/);
  validateExperiment(spec);
  assert.equal((globalThis as Record<string, unknown>)[marker], 1, 'validation loaded the module');
  assert.deepEqual(algorithmNames(), names, 'validation registered nothing in the session either');
  // An algorithm given by value: its jobs run on this thread; asking for workers explicitly is refused by name.
  const inMemory = defineAlgorithm({ ...damped, name: 'damped-by-value', thetaBar: undefined, agentTheta: undefined, validate: undefined, toJSON: undefined, fromJSON: undefined, batchPerStep: undefined, stepsPerRound: undefined, estimators: undefined });
  const byValue = parseExperiment({ ...json, algorithmModules: undefined, grid: [{ algorithm: ['damped-by-value'], decay: [0] }, { algorithm: ['fedavg-pg'] }] }, join(dir, 'exp.json'));
  // (Its option is unknown, or, once another test registered an algorithm with a 'decay' option, its name.)
  assert.throws(() => validateExperiment(byValue), /grid\[0\]\.decay is not a parameter|"damped-by-value"/, 'without the value, validation refuses it');
  await assert.rejects(sweep(byValue, { algorithms: [inMemory], workers: 2, out: join(dir, 'r2') }), /workers is 2, but 'damped-by-value' is given by value/);
  const result = await sweep(byValue, { algorithms: [inMemory], out: join(dir, 'r1') });
  assert.deepEqual(result.failures, []);
  const final = (alg: string) => result.rows.find((r) => r.algorithm === alg && r.round === 2) as Record<string, number>;
  assert.equal(final('damped-by-value').J, final('fedavg-pg').J, 'decay 0 is FedAvg-PG');
});
