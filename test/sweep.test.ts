import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { type ExperimentSpec, loadResults, loadRows, sweep } from '../src/index';
import { applyBudget, expandJobs, mergeResults, parseExperiment } from '../src/experiments';

const ROOT = join(__dirname, '..');
const CLI = ['--import', 'tsx', join(ROOT, 'src', 'cli.ts')];
const tmp = () => mkdtempSync(join(tmpdir(), 'fedpg-sweep-'));

/** A small sampled-gradient sweep: 2 algorithms × 2 N × 2 seeds = 8 jobs of 40 rounds. */
const small: ExperimentSpec = parseExperiment({
  format: 'fedpg-lab/experiment@1',
  name: 'small',
  kind: 'runs',
  parameters: {
    generator: 'garnet', states: 6, actions: 3, branching: 2, gamma: 0.8, heterogeneity: 1, problemSeed: 3,
    localSteps: 3, stepSize: 0.5, oracle: 'sampled', horizon: 10, batch: 4, entropy: 0.1, rounds: 40, every: 10,
  },
  grid: { algorithm: ['fast-fedpg', 'fedavg-pg'], agents: [2, 3] },
  seeds: 2,
});

/** Rows as text: JSON prints every double exactly, so equal text is bit-identical numbers. */
const canonical = (rows: Record<string, unknown>[]) => JSON.stringify(rows);

test('results do not depend on the number of workers (inline, 1 and 2 threads: bit-identical rows)', async () => {
  const inline = await sweep(small, { workers: 0, out: join(tmp(), 'r') });
  const one = await sweep(small, { workers: 1, out: join(tmp(), 'r') });
  const seen: { fraction: number; done: number; total: number }[] = [];
  const two = await sweep(small, { workers: 2, out: join(tmp(), 'r'), onProgress: (p) => seen.push(p) });
  // Progress is counted in work (jobWeight), never goes back, and ends at 1 with every job done.
  assert.ok(seen.every((p, i) => i === 0 || p.fraction >= seen[i - 1].fraction - 1e-12));
  assert.deepEqual([seen.at(-1)?.fraction, seen.at(-1)?.done, seen.at(-1)?.total], [1, 8, 8]);
  assert.equal(inline.rows.length, 8 * 5);
  assert.equal(canonical(one.rows), canonical(inline.rows));
  assert.equal(canonical(two.rows), canonical(inline.rows));
  const frame = loadResults(two.dir);
  assert.deepEqual(frame.shape, [40, Object.keys(two.rows[0]).length]);
  const manifest = JSON.parse(readFileSync(join(two.dir, 'manifest.json'), 'utf8'));
  assert.equal(manifest.version, JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  assert.match(manifest.git, /^([0-9a-f]{40}(-dirty)?|unknown)$/);
  assert.equal(manifest.spec.parameters.rounds, 40);
});

test('a second call redoes nothing, and a different spec cannot write into the same directory', async () => {
  const out = join(tmp(), 'r');
  const first = await sweep(small, { workers: 0, out });
  const again = await sweep(small, { workers: 0, out });
  assert.equal(again.skipped, 8);
  assert.equal(canonical(again.rows), canonical(first.rows));
  const other = { ...small, parameters: { ...small.parameters, rounds: 41 } };
  await assert.rejects(sweep(other, { workers: 0, out }), /holds results of a different experiment spec/);
});

test('a list of grids is the union of their configurations; budgets replace grid keys in each', () => {
  const spec = parseExperiment({
    ...small,
    parameters: { ...Object.fromEntries(Object.entries(small.parameters).filter(([k]) => k !== 'horizon' && k !== 'batch' && k !== 'oracle')), algorithm: 'fast-fedpg' },
    grid: [{ oracle: ['sampled'], horizon: [10], batch: [1, 10], agents: [2] }, { oracle: ['exact'], agents: [2, 3] }],
    budgets: { quick: { grid: { agents: [4] }, seeds: 1 } },
  });
  const summary = (sp: ExperimentSpec) => expandJobs(sp).map((j) => [j.point.oracle, j.point.batch, j.point.agents, j.seed]);
  assert.deepEqual(summary(spec), [
    ['sampled', 1, 2, 0], ['sampled', 1, 2, 1], ['sampled', 10, 2, 0], ['sampled', 10, 2, 1],
    ['exact', undefined, 2, 0], ['exact', undefined, 2, 1], ['exact', undefined, 3, 0], ['exact', undefined, 3, 1],
  ]);
  assert.deepEqual(summary(applyBudget(spec, 'quick')), [['sampled', 1, 4, 0], ['sampled', 10, 4, 0], ['exact', undefined, 4, 0]]);
});

test('a budget may override grid by grid (a list aligned with the grids); a wrong length or a key the grid lacks is refused', () => {
  const base = {
    ...small,
    parameters: { ...Object.fromEntries(Object.entries(small.parameters).filter(([k]) => k !== 'horizon' && k !== 'batch' && k !== 'oracle')), algorithm: 'fast-fedpg' },
    grid: [{ oracle: ['sampled'], horizon: [10], batch: [1], agents: [2, 3] }, { oracle: ['exact'], agents: [2, 3] }],
  };
  const spec = parseExperiment({ ...base, budgets: { full: { grid: [{ agents: [4, 8] }, {}], seeds: 1 } } });
  assert.deepEqual(expandJobs(applyBudget(spec, 'full')).map((j) => [j.point.oracle, j.point.agents]), [['sampled', 4], ['sampled', 8], ['exact', 2], ['exact', 3]]);
  assert.throws(() => parseExperiment({ ...base, budgets: { full: { grid: [{ agents: [4] }] } } }), /budgets\.full\.grid .*has 1 entries, but the spec has 2 grid/);
  assert.throws(() => parseExperiment({ ...base, budgets: { full: { grid: [{}, { batch: [4] }] } } }), /budgets\.full\.grid\[1\]\.batch .*grid\[1\] has no batch/);
});

test('--shard i/n runs disjoint subsets whose merge equals the whole sweep', async () => {
  const dir = tmp();
  const whole = await sweep(small, { workers: 0, out: join(dir, 'whole') });
  const shards = [0, 1, 2].map((i) => join(dir, `shard${i}`));
  const sizes: number[] = [];
  for (let i = 0; i < 3; i++) sizes.push((await sweep(small, { workers: 0, shard: { index: i, count: 3 }, out: shards[i] })).jobs);
  assert.deepEqual(sizes, [3, 3, 2]);
  // All or nothing: two of three shards leave shard 2's jobs (indices 2 and 5) out; nothing is written and they are named.
  const missingJobs = expandJobs(small).filter((j) => j.index % 3 === 2);
  assert.throws(() => mergeResults(join(dir, 'partial'), shards.slice(0, 2)), (e: Error) =>
    e.message.startsWith(`cannot merge into ${join(dir, 'partial')}: 2 of 8 jobs are in none of the 2 results folders, so nothing was written`) &&
    e.message.includes(missingJobs.map((j) => `job ${j.id} (config ${j.config}, seed ${j.seed})`).join(', ')));
  assert.equal(existsSync(join(dir, 'partial')), false, 'an incomplete merge writes nothing');
  const merged = mergeResults(join(dir, 'merged'), shards);
  assert.deepEqual(merged, { jobs: 8, missing: 0 });
  assert.equal(canonical(loadRows(join(dir, 'merged'))), canonical(whole.rows));
  // Through the CLI as a scheduler would call it.
  const cli = spawnSync(process.execPath, [...CLI, 'merge', '--out', join(dir, 'cli-merged'), ...shards], { encoding: 'utf8' });
  assert.equal(cli.status, 0, cli.stderr);
  assert.match(cli.stdout, /merged 8 jobs/);
});

test('kill -9 right after a checkpoint of a real sweep, then restart: identical results, finished jobs not redone', async () => {
  const dir = tmp();
  const spec = { ...JSON.parse(JSON.stringify(small)), name: 'killme' };
  const file = join(dir, 'killme.json');
  writeFileSync(file, JSON.stringify(spec));
  // Both processes and the reference record one injected revision, so the run files can be compared byte for byte.
  const revision = { git: 'f'.repeat(40), dirty: false };
  const env = { ...process.env, FEDPG_REVISION: revision.git };
  const reference = await sweep(parseExperiment(spec), { workers: 2, out: join(dir, 'reference'), revision });

  // Test hook: the process SIGKILLs itself right after its worker thread writes its 98th checkpoint. With one
  // worker and a checkpoint after every round, jobs 0 and 1 (39 checkpoints each: rounds 1..39 of 40) are done
  // and job 2 is killed just after saving round 20, whatever the speed of the machine.
  const out = join(dir, 'killed');
  const args = (workers: number) => [...CLI, 'sweep', file, '--workers', String(workers), '--out', out, '--checkpoint-seconds', '0'];
  const killed = spawnSync(process.execPath, args(1), { encoding: 'utf8', env: { ...env, FEDPG_TEST_KILL_AFTER_CHECKPOINT: '98' } });
  assert.equal(killed.signal, 'SIGKILL', killed.stderr);
  const runFiles = () => readdirSync(join(out, 'runs')).filter((f) => f.endsWith('.json')).sort();
  const referenceFiles = readdirSync(join(dir, 'reference', 'runs')).sort();
  assert.deepEqual(runFiles(), referenceFiles.slice(0, 2));
  const checkpoints = () => readdirSync(join(out, 'checkpoints')).filter((f) => f.endsWith('.json'));
  assert.deepEqual(checkpoints(), [referenceFiles[2]]);
  const saved = JSON.parse(readFileSync(join(out, 'checkpoints', referenceFiles[2]), 'utf8'));
  assert.equal(saved.checkpoint.run.round, 20);
  const before = new Map(runFiles().map((f) => [f, readFileSync(join(out, 'runs', f), 'utf8')]));

  // Resume on two threads: job 2 continues from its checkpoint (no file is set aside), the rest from scratch.
  const resumed = spawnSync(process.execPath, args(2), { encoding: 'utf8', env });
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.match(resumed.stdout, /\(2 already done\)/);
  assert.doesNotMatch(resumed.stderr, /moved to|failed verification/);
  assert.match(resumed.stderr, new RegExp(`took over the lock .* of pid ${killed.pid} `));
  for (const [f, text] of before) assert.equal(readFileSync(join(out, 'runs', f), 'utf8'), text, `${f} was redone`);
  assert.deepEqual(checkpoints(), []);
  assert.equal(canonical(loadRows(out)), canonical(reference.rows));
  for (const f of referenceFiles) assert.equal(readFileSync(join(out, 'runs', f), 'utf8'), readFileSync(join(dir, 'reference', 'runs', f), 'utf8'), f);
});

test('a malformed experiment file is rejected naming the file and the field', () => {
  const dir = tmp();
  const cases: [unknown, RegExp][] = [
    [{ ...small, format: 'nope' }, /format must be "fedpg-lab\/experiment@1"/],
    [{ ...small, parameters: { ...small.parameters, horizon: 'ten' } }, /parameters\.horizon must be an integer, got "ten"/],
    [{ ...small, parameters: { ...small.parameters, colour: 1 } }, /parameters\.colour is not a parameter of an experiment/],
    [{ ...small, grid: { agents: [] } }, /grid\.agents must be a non-empty array/],
    [{ ...small, seeds: 0 }, /seeds must be ≥ 1, got 0/],
    [{ ...small, budgets: { quick: { seeds: -1 } } }, /budgets\.quick\.seeds must be/],
  ];
  cases.forEach(([json, message], i) => {
    const file = join(dir, `bad${i}.json`);
    writeFileSync(file, JSON.stringify(json));
    const r = spawnSync(process.execPath, [...CLI, 'sweep', file], { encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.ok(r.stderr.includes(file), `names the file: ${r.stderr}`);
    assert.match(r.stderr, message);
  });
  const broken = join(dir, 'broken.json');
  writeFileSync(broken, '{ "format": ');
  const r = spawnSync(process.execPath, [...CLI, 'sweep', broken], { encoding: 'utf8' });
  assert.match(r.stderr, /broken\.json: not valid JSON/);
  assert.throws(() => parseExperiment({ ...small, kind: 'x' }, 'my.json'), /my\.json: kind must be one of 'runs', 'identity', got "x"/);
});

test('an unwritable results directory fails before any work starts', async () => {
  const dir = tmp();
  const blocker = join(dir, 'a-file');
  writeFileSync(blocker, 'not a directory');
  let progressed = 0;
  await assert.rejects(
    sweep(small, { workers: 0, out: join(blocker, 'results'), onProgress: (p) => (progressed += p.done) }),
    (e: Error) => e.message.includes(`results directory ${join(blocker, 'results')} is not writable`),
  );
  assert.equal(progressed, 0);
});

test('every shipped experiment parses, and its quick and full budgets expand to jobs', () => {
  const dir = join(ROOT, 'data', 'experiments');
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  assert.deepEqual(files.sort(), ['baselines.json', 'cluster-recovery.json', 'comparison-tuning.json', 'comparison.json', 'ditto-tradeoff.json', 'exact-linear.json', 'heterogeneity-bias.json', 'identity.json', 'matched-budget.json', 'momentum-floor.json', 'personalization.json', 'rate-theorem1-logfree.json', 'rate-theorem1.json', 'rate-theorem2.json', 'rate-tuning.json', 'tau-sweep.json', 'transition-bias.json', 'transition-heterogeneity.json', 'transition-rates.json', 'windy-cliff.json']);
  for (const f of files) {
    const spec = parseExperiment(JSON.parse(readFileSync(join(dir, f), 'utf8')), f);
    assert.equal(`${spec.name}.json`, f);
    for (const budget of ['quick', 'full']) assert.ok(expandJobs(applyBudget(spec, budget)).length > 0, `${f} ${budget}`);
  }
});
