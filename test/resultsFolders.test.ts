import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { FedPGError, loadRows, sweep, ValidationError } from '../src/index';
import { mergeResults, parseExperiment } from '../src/experiments';
import { acquireLock, processStart } from '../src/experiments/lock';

// Results folders that cannot mix: run files name their experiment, merges never write into their inputs,
// names never escape the results root, and a lock is recovered only when its owner is provably gone.

const quiet = () => undefined;
const tmp = () => mkdtempSync(join(tmpdir(), 'fedpg-folders-'));
const experiment = (name: string, rounds: number, seeds = 2) =>
  parseExperiment({
    format: 'fedpg-lab/experiment@1',
    name,
    kind: 'runs',
    parameters: { generator: 'garnet', states: 4, actions: 2, branching: 2, agents: 2, gamma: 0.9, heterogeneity: 1, algorithm: 'fedavg-pg', localSteps: 1, stepSize: 0.2, rounds },
    seeds,
  });

/** Every file under `dir` with its bytes. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string) => {
    for (const f of readdirSync(d, { withFileTypes: true })) {
      if (f.isDirectory()) walk(join(d, f.name), `${prefix}${f.name}/`);
      else out[`${prefix}${f.name}`] = readFileSync(join(d, f.name), 'utf8');
    }
  };
  walk(dir, '');
  return out;
}

test('a folder that lost its manifest refuses a changed experiment: its run files say which experiment they belong to', async () => {
  const out = join(tmp(), 'r');
  const first = await sweep(experiment('mix', 3), { out, workers: 0, onWarning: quiet });
  rmSync(join(out, 'manifest.json'));
  await assert.rejects(sweep(experiment('mix', 4), { out, workers: 0, onWarning: quiet }), (e: Error) => e instanceof FedPGError && /is a run of experiment "mix" \(spec hash/.test(e.message) && /two experiments/.test(e.message));
  // Nothing was added: the folder holds the first experiment's rows only, and they load without the manifest.
  assert.deepEqual(loadRows(out).map((r) => r.J), first.rows.map((r) => r.J));
  // The same experiment resumes into it (the manifest is written again).
  assert.equal((await sweep(experiment('mix', 3), { out, workers: 0, onWarning: quiet })).skipped, 2);
});

test('rows of two experiments in one folder are refused when loaded, with or without the manifest', async () => {
  const dir = tmp();
  const a = join(dir, 'a');
  const b = join(dir, 'b');
  await sweep(experiment('one', 2, 1), { out: a, workers: 0, onWarning: quiet });
  const other = await sweep(experiment('two', 3, 1), { out: b, workers: 0, onWarning: quiet });
  const file = readdirSync(join(b, 'runs'))[0];
  writeFileSync(join(a, 'runs', `${other.rows[0].job}.json`), readFileSync(join(b, 'runs', file)));
  assert.throws(() => loadRows(a), (e: Error) => /is a run of experiment "two"/.test(e.message) && /not of "one"/.test(e.message));
  rmSync(join(a, 'manifest.json'));
  assert.throws(() => loadRows(a), (e: Error) => /experiment "two"/.test(e.message) || /experiment "one"/.test(e.message));
});

test('a merge never writes into its inputs: an output that is an input, or inside one, is refused and the input is unchanged', async () => {
  const dir = tmp();
  const spec = experiment('shards', 2, 2);
  const s0 = join(dir, 's0');
  const s1 = join(dir, 's1');
  await sweep(spec, { out: s0, workers: 0, shard: { index: 0, count: 2 }, onWarning: quiet });
  await sweep(spec, { out: s1, workers: 0, shard: { index: 1, count: 2 }, onWarning: quiet });
  const before = snapshot(s0);
  assert.throws(() => mergeResults(s0, [s0, s1], quiet), (e: Error) => e instanceof FedPGError && e.message.includes(`it is the input ${s0}`));
  assert.throws(() => mergeResults(join(s0, 'merged'), [s0, s1], quiet), (e: Error) => e instanceof FedPGError && e.message.includes(`is inside the input ${s0}`));
  assert.deepEqual(snapshot(s0), before);
  assert.equal(mergeResults(join(dir, 'merged'), [s0, s1], quiet).missing, 0);
});

test('names that would escape the results root are refused: an experiment or a budget named ".." or "."', async () => {
  for (const name of ['..', '.', '...']) {
    assert.throws(() => experiment(name, 2), (e: Error) => e instanceof ValidationError && e.field === 'name' && e.message.includes(JSON.stringify(name)));
  }
  const json = { format: 'fedpg-lab/experiment@1', name: 'x', kind: 'runs', parameters: { algorithm: 'fedavg-pg', rounds: 1 }, seeds: 1, budgets: { '..': { seeds: 1 } } };
  assert.throws(() => parseExperiment(json), (e: Error) => e instanceof ValidationError && e.field === 'budgets...');
  // A spec object made by hand (not parsed) is refused by the sweep before any folder is made.
  const cwd = process.cwd();
  const dir = tmp();
  process.chdir(dir);
  try {
    await assert.rejects(sweep({ ...experiment('fine', 1, 1), name: '..' }, { workers: 0, onWarning: quiet }), (e: Error) => e instanceof ValidationError && e.field === 'name');
    assert.deepEqual(readdirSync(dir), []);
  } finally {
    process.chdir(cwd);
  }
});

test('a stale lock whose pid now belongs to another program is taken over, saying what was checked; the owner itself is not', async () => {
  const dir = tmp();
  const lock = join(dir, 'lock');
  const other = spawn('sleep', ['30'], { stdio: 'ignore' });
  try {
    await new Promise((r) => other.once('spawn', r));
    const pid = other.pid as number;
    const start = processStart(pid);
    assert.ok(start, '/proc gives the start of a live process');
    const [boot, ticks] = (start as string).split(':');
    // The lock's owner had this pid but started at another time: the pid was reused.
    writeFileSync(lock, JSON.stringify({ pid, host: hostname(), started: '2026-01-01T00:00:00.000Z', process: `${boot}:${Number(ticks) - 100}` }));
    const told: string[] = [];
    acquireLock(dir, (m) => told.push(m)).release();
    assert.equal(told.length, 1);
    assert.match(told[0], new RegExp(`pid ${pid} now belongs to a process that started at tick ${ticks} since boot, not ${Number(ticks) - 100}`));
    assert.ok(told[0].includes(`/proc/${pid}/stat`));
    // Another boot: any pid is another process.
    writeFileSync(lock, JSON.stringify({ pid, host: hostname(), started: '2026-01-01T00:00:00.000Z', process: `00000000-dead-beef:${ticks}` }));
    const rebooted: string[] = [];
    acquireLock(dir, (m) => rebooted.push(m)).release();
    assert.match(rebooted[0], /before this host restarted/);
    // The very process that took the lock: refused, saying it is the owner.
    writeFileSync(lock, JSON.stringify({ pid, host: hostname(), started: '2026-01-01T00:00:00.000Z', process: start }));
    assert.throws(() => acquireLock(dir, () => assert.fail('not taken over')), (e: Error) => e.message.includes(`is in use by another sweep or merge`) && e.message.includes('started when the lock\'s owner did'));
    // A lock without a start time: the pid alone proves nothing; refused, saying why.
    writeFileSync(lock, JSON.stringify({ pid, host: hostname(), started: '2026-01-01T00:00:00.000Z' }));
    assert.throws(() => acquireLock(dir, () => assert.fail('not taken over')), (e: Error) => e.message.includes('records no process start time') && e.message.includes(`delete ${lock}`));
    // A lock this process takes records its own start.
    rmSync(lock);
    const held = acquireLock(dir, quiet);
    assert.equal(JSON.parse(readFileSync(lock, 'utf8')).process, processStart(process.pid));
    held.release();
    assert.equal(existsSync(lock), false);
  } finally {
    other.kill();
  }
});
