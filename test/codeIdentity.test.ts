import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { aggregate, createRun, defineAlgorithm, FedPGError, garnet, localUpdate, restoreRun, sweep, ValidationError } from '../src/index';
import { mergeResults, parseExperiment } from '../src/experiments';

// The identity of code and problems: a saved state restores only onto the same problem and the same
// algorithm code; sweeps, resumes, merges and workers do not mix code versions unless asked by name.

const ROOT = join(__dirname, '..');
const problem = garnet({ states: 5, actions: 3, branching: 2, agents: 3, gamma: 0.9, heterogeneity: 1, seed: 1 });
const other = garnet({ states: 5, actions: 3, branching: 2, agents: 3, gamma: 0.9, heterogeneity: 1, seed: 2 });
const base = { localSteps: 2, stepSize: 0.3, seed: 1 } as const;
const quiet = () => undefined;

test('restore: a state refuses another problem of the same size (content hash), naming both hashes', () => {
  const run = createRun(problem, { ...base, algorithm: 'fast-fedpg' });
  run.runFor(2);
  const state = JSON.parse(JSON.stringify(run.state));
  assert.throws(() => restoreRun(other, state), (e: Error) => e instanceof ValidationError && e.field === 'state.problem.hash' && /another problem/.test(e.message) && e.message.includes(state.problem.hash.slice(0, 12)));
  // The same problem rebuilt from its parameters restores and continues bit-identically.
  const again = garnet({ states: 5, actions: 3, branching: 2, agents: 3, gamma: 0.9, heterogeneity: 1, seed: 1 });
  const resumed = restoreRun(again, state);
  resumed.runFor(1);
  run.runFor(1);
  assert.deepEqual(Array.from(resumed.thetaBar), Array.from(run.thetaBar));
});

test('restore: an unregistered algorithm value named like a built-in is not restored as the built-in; another code version is refused by name', () => {
  const impostor = defineAlgorithm<{ thetaBar: Float64Array }>({
    name: 'fedavg-pg',
    description: 'not the built-in: halves the server step',
    init: (setup) => ({ thetaBar: Float64Array.from(setup.initialTheta) }),
    round(ctx, state) {
      const agents = Array.from({ length: ctx.agents }, (_, i) => localUpdate(ctx, i, state.thetaBar));
      return { state: { thetaBar: aggregate(state.thetaBar, agents.map((a) => a.thetaLocal), 0.5) }, agents };
    },
  });
  const run = createRun(problem, { ...base, algorithm: impostor });
  run.runFor(2);
  const state = JSON.parse(JSON.stringify(run.state));
  assert.throws(() => restoreRun(problem, state), (e: Error) => e instanceof ValidationError && e.field === 'state.algorithmCode' && /fedavg-pg/.test(e.message));
  // The same value restores it.
  const resumed = restoreRun(problem, state, impostor);
  resumed.runFor(1);
  run.runFor(1);
  assert.deepEqual(Array.from(resumed.thetaBar), Array.from(run.thetaBar));
  // A built-in's state is not restored onto a value of the same name either.
  const builtin = createRun(problem, { ...base, algorithm: 'fedavg-pg' });
  builtin.runFor(1);
  assert.throws(() => restoreRun(problem, JSON.parse(JSON.stringify(builtin.state)), impostor), (e: Error) => e instanceof ValidationError && e.field === 'state.algorithmCode');
});

test('restore: a clustered state with fewer models than clusters is refused by name, not continued as a smaller run', () => {
  const run = createRun(problem, { ...base, algorithm: 'ifca', clusters: 3 });
  run.runFor(2);
  const state = JSON.parse(JSON.stringify(run.state));
  state.algorithmState.models = state.algorithmState.models.slice(0, 2);
  assert.throws(() => restoreRun(problem, state), (e: Error) => e instanceof FedPGError && /models/.test(e.message) && /clusters = 3/.test(e.message) && /2/.test(e.message));
  const outOfRange = JSON.parse(JSON.stringify(run.state));
  outOfRange.algorithmState.assignment[1] = 5;
  assert.throws(() => restoreRun(problem, outOfRange), (e: Error) => e instanceof FedPGError && /assignment\[1\]/.test(e.message));
});

/** A module file holding FedAvg-PG with its server step scaled by `scale` (an edit changes the number). */
function writeModule(path: string, scale: number): void {
  writeFileSync(
    path,
    `const { aggregate, defineAlgorithm, localUpdate } = require(${JSON.stringify(join(ROOT, 'src', 'index.ts'))});
exports.scaled = defineAlgorithm({
  name: 'scaled-fedavg',
  description: 'FedAvg-PG with a scaled server step',
  init: (setup) => ({ thetaBar: Float64Array.from(setup.initialTheta) }),
  round(ctx, state) {
    const agents = Array.from({ length: ctx.agents }, (_, i) => localUpdate(ctx, i, state.thetaBar));
    ctx.count({ messages: 2 * ctx.agents, syncs: 1 });
    return { state: { thetaBar: aggregate(state.thetaBar, agents.map((a) => a.thetaLocal), ${scale}) }, agents };
  },
});
`,
  );
}

function moduleExperiment(dir: string) {
  return parseExperiment(
    {
      format: 'fedpg-lab/experiment@1',
      name: 'module-identity',
      kind: 'runs',
      algorithmModules: ['scaled.js'],
      parameters: { generator: 'garnet', states: 4, actions: 2, branching: 2, agents: 2, gamma: 0.9, heterogeneity: 1, problemSeed: 3, algorithm: 'scaled-fedavg', oracle: 'sampled', horizon: 5, batch: 2, localSteps: 2, stepSize: 0.2, rounds: 4, every: 2 },
      seeds: 2,
    },
    join(dir, 'experiment.json'),
  );
}

const finalJ = (rows: Record<string, unknown>[]) => rows.filter((r) => r.round === 4).map((r) => r.J);

test('code identity: an algorithm module edited between a kill and a resume is refused by name; after the edit no worker count serves the old module', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fedpg-code-'));
  try {
    const modulePath = join(dir, 'scaled.js');
    writeModule(modulePath, 1);
    const out = join(dir, 'results');
    const first = await sweep(moduleExperiment(dir), { out, workers: 0, onWarning: quiet });
    assert.equal(first.failures.length, 0);
    // "Kill": one job's result is missing; the module is edited; the resume must not mix the two versions.
    rmSync(join(out, 'runs', `${first.rows.find((r) => r.seed === 1)?.job}.json`));
    writeModule(modulePath, 0.5);
    await assert.rejects(sweep(moduleExperiment(dir), { out, workers: 0, onWarning: quiet }), (e: Error) => e instanceof FedPGError && /scaled-fedavg/.test(e.message) && /allowRevisionChange/.test(e.message));
    // In one process, after the edit, workers 0 and 1 both run the edited module (no stale cache).
    const inline = await sweep(moduleExperiment(dir), { out: join(dir, 'inline'), workers: 0, onWarning: quiet });
    const pooled = await sweep(moduleExperiment(dir), { out: join(dir, 'pooled'), workers: 1, onWarning: quiet });
    assert.deepEqual(finalJ(inline.rows), finalJ(pooled.rows));
    assert.notDeepEqual(finalJ(inline.rows), finalJ(first.rows));
    // Asked by name, the resume goes on and records both code versions.
    const resumed = await sweep(moduleExperiment(dir), { out, workers: 0, onWarning: quiet, allowRevisionChange: true });
    assert.equal(resumed.failures.length, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('code identity: shards computed by two code revisions do not merge unless asked by name', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fedpg-merge-rev-'));
  try {
    const spec = parseExperiment({
      format: 'fedpg-lab/experiment@1',
      name: 'merge-revisions',
      kind: 'runs',
      parameters: { generator: 'garnet', states: 4, actions: 2, branching: 2, agents: 2, gamma: 0.9, heterogeneity: 1, algorithm: 'fedavg-pg', localSteps: 1, stepSize: 0.2, rounds: 2 },
      seeds: 2,
    });
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    await sweep(spec, { out: a, workers: 0, shard: { index: 0, count: 2 }, revision: { git: 'aaaa', dirty: false }, onWarning: quiet });
    await sweep(spec, { out: b, workers: 0, shard: { index: 1, count: 2 }, revision: { git: 'bbbb', dirty: false }, onWarning: quiet });
    assert.throws(() => mergeResults(join(dir, 'merged'), [a, b], quiet), (e: Error) => e instanceof FedPGError && /aaaa/.test(e.message) && /bbbb/.test(e.message) && /allowRevisionChange|allow-revision-change/.test(e.message));
    const merged = mergeResults(join(dir, 'merged'), [a, b], quiet, { allowRevisionChange: true });
    assert.equal(merged.missing, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('code identity: a worker refuses a job whose module is not the code the sweep recorded (edited while the sweep ran)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fedpg-worker-code-'));
  const { Worker } = await import('node:worker_threads');
  const { expandJobs } = await import('../src/experiments');
  try {
    const modulePath = join(dir, 'scaled.js');
    writeModule(modulePath, 1);
    const spec = moduleExperiment(dir);
    const job = expandJobs(spec)[0];
    const worker = new Worker(`require('tsx/cjs'); require(${JSON.stringify(join(ROOT, 'src', 'experiments', 'worker.ts'))});`, { eval: true });
    const reply = (revision: object) =>
      new Promise<{ type: string; message?: string }>((resolve) => {
        const listen = (m: { type: string; message?: string }) => {
          if (m.type !== 'done' && m.type !== 'error') return;
          worker.off('message', listen);
          resolve(m);
        };
        worker.on('message', listen);
        worker.postMessage({ kind: 'runs', job, baseDir: dir, resultsDir: null, checkpointMs: 0, revision, algorithmModules: [modulePath] });
      });
    try {
      const stale = await reply({ git: 'x', dirty: false, algorithms: { 'scaled-fedavg': 'scaled.js#sha256:0000' } });
      assert.equal(stale.type, 'error');
      assert.match(stale.message ?? '', /algorithm "scaled-fedavg" is scaled\.js#sha256:[0-9a-f]{64} in this thread, but the sweep records scaled\.js#sha256:0000/);
      // The code the sweep records: the job runs.
      const { algorithmCodes, experimentRegistry } = await import('../src/experiments');
      const codes = algorithmCodes(experimentRegistry([modulePath]), ['scaled-fedavg']);
      assert.equal((await reply({ git: 'x', dirty: false, algorithms: codes })).type, 'done');
    } finally {
      await worker.terminate();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
