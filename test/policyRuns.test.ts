import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { averageMDP, createRun, defineFeatures, exactGradient, federatedObjective, garnet, gridworld, loadRows, maxAbsDiff, norm2, PACKAGE_ALGORITHMS, type PolicySpec, restoreRun, type RunConfig, sweep, ValidationError } from '../src/index';
import { parseExperiment } from '../src/experiments';

// Every algorithm on every policy class (runs/: the policy class is part of the setup; oracles, metrics and
// the round context work at d). One-hot features are the tabular softmax: for every registered algorithm,
// exact and sampled oracles, rounds are the tabular rounds bit for bit. Other classes run every algorithm
// but FedNPG, which refuses them by name; their metrics are checked against the exact routines.

const problem = garnet({ states: 6, actions: 3, branching: 3, agents: 4, gamma: 0.85, heterogeneity: 0.9, seed: 7, rewardShift: -0.5 });
const ONE_HOT: PolicySpec = { kind: 'log-linear', features: { kind: 'one-hot' } };

/** A config every registered algorithm accepts: exact or sampled, H = 2 (fednpg: H = 1, τ > 0, exact only). */
function configFor(name: string, oracle: 'exact' | 'sampled'): RunConfig | null {
  if (name === 'fednpg') return oracle === 'exact' ? { algorithm: name, stepSize: 0.5, entropy: 0.1, seed: 3 } : null;
  return {
    algorithm: name,
    localSteps: 2,
    stepSize: 0.4,
    seed: 3,
    detail: 'agents',
    ...(oracle === 'sampled' ? { oracle: { kind: 'sampled', horizon: 6, batch: 5 } } : {}),
    ...(name === 'ifca' ? { clusters: 2 } : {}),
  };
}

test('one-hot features give the tabular rounds of every registered algorithm bit for bit (exact and sampled oracles)', () => {
  const names = PACKAGE_ALGORITHMS.map((a) => a.name);
  assert.ok(names.length >= 11, `${names.length} algorithms`);
  for (const name of names) {
    for (const oracle of ['exact', 'sampled'] as const) {
      const config = configFor(name, oracle);
      if (!config) continue;
      const tabular = createRun(problem, config);
      const oneHot = createRun(problem, { ...config, policy: ONE_HOT });
      for (let t = 0; t < 3; t++) {
        const a = tabular.step();
        const b = oneHot.step();
        assert.deepStrictEqual(b, a, `${name} ${oracle} round ${t + 1}`);
      }
      assert.deepStrictEqual(oneHot.thetaBar, tabular.thetaBar, `${name} ${oracle}`);
      assert.deepStrictEqual(oneHot.history, tabular.history, `${name} ${oracle}`);
      assert.deepStrictEqual(oneHot.personal, tabular.personal, `${name} ${oracle}`);
      assert.deepStrictEqual(oneHot.state.algorithmState, tabular.state.algorithmState, `${name} ${oracle}`);
    }
  }
});

const grid = gridworld({ width: 5, height: 4, goals: [[0, 0], [3, 4], [0, 4]], slip: 0.1, gamma: 0.9 });
const TILES: PolicySpec = { kind: 'log-linear', features: { kind: 'tile-coding', tiles: [2, 3], tilings: 2 } };

test('every algorithm but fednpg runs a log-linear class at its dimension d; fednpg refuses it by name', () => {
  for (const name of PACKAGE_ALGORITHMS.map((a) => a.name)) {
    for (const oracle of ['exact', 'sampled'] as const) {
      const config = configFor(name, oracle);
      if (!config) continue;
      if (name === 'fednpg') {
        assert.throws(() => createRun(grid, { ...config, policy: TILES }), (e: unknown) => e instanceof ValidationError && e.field === 'policy' && /must be 'tabular' \(or one-hot features\) for fednpg/.test(e.message) && /log-linear\/tile-coding/.test(e.message));
        continue;
      }
      const run = createRun(grid, { ...config, policy: TILES });
      assert.equal(run.thetaBar.length, 5 * 2 * 3 * 4, 'd = A·T·(n₁+1)(n₂+1)');
      assert.equal(run.policy.label, 'log-linear/tile-coding(tiles 2×3, tilings 2)');
      run.runFor(2);
      const last = run.history.at(-1)!;
      // The run's metrics are the exact routines' at θ̄ (the averaged MDP's J and ‖∇J‖ with the class).
      const objective = federatedObjective(grid, run.thetaBar, { policy: TILES, entropy: run.config.entropy });
      assert.ok(Math.abs(last.J - objective.J) < 1e-12, `${name} ${oracle}: J`);
      assert.ok(Math.abs(last.gradNorm - norm2(objective.grad)) < 1e-12, `${name} ${oracle}: ‖∇J‖`);
      assert.equal(run.config.policy?.features.kind, 'tile-coding');
      if (run.personal) for (const th of run.personal) assert.equal(th.length, run.thetaBar.length);
    }
  }
});

test('Fast-FedPG with exact gradients of a log-linear class steps along (1/N) Σ ∇J_i = ∇J̄ (H = 1, α_g = 1)', () => {
  const run = createRun(grid, { algorithm: 'fast-fedpg', stepSize: 0.7, seed: 1, policy: TILES });
  const before = run.thetaBar;
  run.step();
  const g = exactGradient(averageMDP(grid), before, { policy: TILES });
  // θ̄¹ = θ̄⁰ + η ∇J̄(θ̄⁰) up to the round-off of averaging N gradients.
  assert.ok(maxAbsDiff(run.thetaBar, before.map((x, k) => x + 0.7 * g[k])) < 1e-15);
});

test('log-linear runs resume bit-identically from their state; a researcher feature map must be passed again', () => {
  const config: RunConfig = { algorithm: 'fast-fedpg', localSteps: 3, stepSize: 0.3, oracle: { kind: 'sampled', horizon: 8, batch: 6 }, seed: 5, policy: { kind: 'log-linear', features: { kind: 'random', dimension: 7, seed: 2 } } };
  const whole = createRun(problem, config);
  whole.runFor(4);
  const part = createRun(problem, config);
  part.runFor(2);
  const resumed = restoreRun(problem, JSON.parse(JSON.stringify(part.state)));
  resumed.runFor(2);
  assert.deepStrictEqual(resumed.thetaBar, whole.thetaBar);
  assert.deepStrictEqual(resumed.history, whole.history);
  const phi = defineFeatures({ name: 'parity', dimension: 2, actions: 3, features: (s: number, a: number, out) => ((out[0] = s % 2 === a % 2 ? 1 : -1), (out[1] = a / 3)) });
  const own = createRun(problem, { ...config, policy: { kind: 'log-linear', features: phi } });
  own.runFor(1);
  const state = JSON.parse(JSON.stringify(own.state));
  assert.deepEqual(state.config.policy, { kind: 'log-linear', features: { kind: 'custom', name: 'parity', dimension: 2 } });
  assert.throws(() => restoreRun(problem, state), /policy\.features.*researcher's feature map \('parity'\)/);
  const back = restoreRun(problem, state, undefined, { policy: { kind: 'log-linear', features: phi } });
  back.runFor(1);
  own.runFor(1);
  assert.deepStrictEqual(back.thetaBar, own.thetaBar);
});

test('a run config refuses a bad policy by name, and a θ̄⁰ of the wrong dimension', () => {
  assert.throws(() => createRun(problem, { algorithm: 'fast-fedpg', stepSize: 0.1, seed: 0, policy: { kind: 'log-linear', features: { kind: 'random' } } } as RunConfig), (e: unknown) => e instanceof ValidationError && e.field === 'policy.features.dimension');
  assert.throws(() => createRun(problem, { algorithm: 'fast-fedpg', stepSize: 0.1, seed: 0, policy: TILES }), /coordinates/);
  assert.throws(() => createRun(problem, { algorithm: 'fast-fedpg', stepSize: 0.1, seed: 0, policy: { kind: 'log-linear', features: { kind: 'random', dimension: 4 } }, initialTheta: new Float64Array(18) }), /initialTheta.*has length 18, expected 4/);
  // 'tabular' spelled out resolves as an omitted policy: the config (and its hash) stay as they were.
  const a = createRun(problem, { algorithm: 'fast-fedpg', stepSize: 0.1, seed: 0 }).config;
  const b = createRun(problem, { algorithm: 'fast-fedpg', stepSize: 0.1, seed: 0, policy: 'tabular' }).config;
  assert.deepStrictEqual(b, a);
  assert.ok(!('policy' in a));
});

test('experiment files sweep the policy class: rows carry it, one-hot rows are the tabular numbers, workers change nothing', async () => {
  const spec = parseExperiment({
    format: 'fedpg-lab/experiment@1',
    name: 'policy-grid',
    kind: 'runs',
    parameters: { generator: 'gridworld', width: 4, height: 3, agents: 2, gamma: 0.9, localSteps: 2, stepSize: 0.5, oracle: 'sampled', horizon: 6, batch: 4, rounds: 3 },
    grid: [{ algorithm: ['fast-fedpg'], policy: [{ kind: 'log-linear', features: { kind: 'one-hot' } }, { kind: 'log-linear', features: { kind: 'tile-coding', tiles: [2, 2] } }] }, { algorithm: ['fast-fedpg'] }],
    seeds: 2,
  });
  const dir = mkdtempSync(join(tmpdir(), 'fedpg-policy-'));
  await sweep(spec, { workers: 0, out: join(dir, 'inline') });
  await sweep(spec, { workers: 2, out: join(dir, 'threads') });
  const rows = loadRows(join(dir, 'inline'));
  assert.deepStrictEqual(loadRows(join(dir, 'threads')), rows);
  const oneHot = rows.filter((r) => typeof r.policy === 'string' && (r.policy as string).includes('one-hot'));
  const tiles = rows.filter((r) => typeof r.policy === 'string' && (r.policy as string).includes('tile-coding'));
  const tabular = rows.filter((r) => r.policy === undefined);
  assert.equal(oneHot.length, 2 * 4);
  assert.equal(tiles.length, 2 * 4);
  assert.deepStrictEqual(JSON.parse(tiles[0].policy as string), { kind: 'log-linear', features: { kind: 'tile-coding', tiles: [2, 2] } });
  const numbers = (r: Record<string, unknown>) => [r.seed, r.round, r.J, r.gradNorm, r.envSteps];
  assert.deepStrictEqual(oneHot.map(numbers), tabular.map(numbers));
  assert.notDeepStrictEqual(tiles.map(numbers), tabular.map(numbers));
});
