import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { type ExperimentSpec, garnet, loadResults, loadRows, saveProblem, sweep } from '../src/index';
import { loadManifest, mergeResults, parseExperiment } from '../src/experiments';
import type { Revision } from '../src/experiments/provenance';
import { readVerified } from '../src/experiments/verifiedFile';

const ROOT = join(__dirname, '..');
const CLI = ['--import', 'tsx', join(ROOT, 'src', 'cli.ts')];
const tmp = () => mkdtempSync(join(tmpdir(), 'fedpg-store-'));

/** Two code revisions, injected so that the tests do not depend on the state of this checkout. */
const REV_A: Revision = { git: 'a'.repeat(40), dirty: false };
const REV_B: Revision = { git: 'b'.repeat(40), dirty: false };

/** 2 algorithms × 2 seeds = 4 sampled-gradient jobs of 40 rounds (39 checkpoints each at interval 0). */
const tiny: ExperimentSpec = parseExperiment({
  format: 'fedpg-lab/experiment@1',
  name: 'tiny',
  kind: 'runs',
  parameters: {
    generator: 'garnet', states: 6, actions: 3, branching: 2, agents: 2, gamma: 0.8, heterogeneity: 1, problemSeed: 3,
    localSteps: 3, stepSize: 0.5, oracle: 'sampled', horizon: 10, batch: 4, entropy: 0.1, rounds: 40, every: 10,
  },
  grid: { algorithm: ['fast-fedpg', 'fedavg-pg'] },
  seeds: 2,
});

/** A sweep of `spec` into `out` under revision A (unless overridden), collecting its warnings. */
async function run(spec: ExperimentSpec, out: string, extra: Parameters<typeof sweep>[1] = {}) {
  const warnings: string[] = [];
  const result = await sweep(spec, { workers: 0, out, revision: REV_A, onWarning: (m) => warnings.push(m), ...extra });
  return { ...result, printed: warnings };
}

const runFiles = (out: string) => readdirSync(join(out, 'runs')).filter((f) => f.endsWith('.json')).sort();
const text = (path: string) => readFileSync(path, 'utf8');

test('a truncated or edited result file is named, moved aside, and its job recomputed to the same bytes', async () => {
  const out = join(tmp(), 'r');
  const first = await run(tiny, out);
  const [f0, f1] = runFiles(out);
  const truncated = join(out, 'runs', f0);
  const edited = join(out, 'runs', f1);
  const original = [text(truncated), text(edited)];
  writeFileSync(truncated, original[0].slice(0, Math.floor(original[0].length / 2)));
  // One digit of one J changed: still valid JSON, only the checksum can tell.
  const flipped = original[1].replace(/"J":(-?\d+\.\d*?)(\d)(?=[,}])/, (_, head: string, d: string) => `"J":${head}${(Number(d) + 1) % 10}`);
  assert.notEqual(flipped, original[1]);
  writeFileSync(edited, flipped);

  assert.throws(() => loadRows(out), (e: Error) => e.message.includes(`result file ${truncated} cannot be read: not valid JSON`));
  assert.throws(() => loadResults(out), (e: Error) => e.message.includes(truncated));

  const again = await run(tiny, out);
  assert.equal(again.printed.length, 2);
  assert.ok(again.printed[0].includes(`result file ${truncated} failed verification (not valid JSON`), again.printed[0]);
  assert.ok(again.printed[0].includes(`moved to ${join(out, 'corrupt', `runs-${f0}`)}`), again.printed[0]);
  assert.ok(again.printed[1].includes(`result file ${edited} failed verification (checksum mismatch`), again.printed[1]);
  assert.deepEqual(again.warnings, again.printed);
  assert.equal(again.skipped, 2, 'the two damaged jobs were recomputed');
  assert.equal(text(join(out, 'corrupt', `runs-${f1}`)), flipped, 'the damaged file is kept for inspection');
  assert.deepEqual([text(truncated), text(edited)], original);
  assert.equal(JSON.stringify(again.rows), JSON.stringify(first.rows));
});

/** Run the CLI sweep of `file` into `out` and have it SIGKILL itself after its k-th checkpoint; its pid. */
function killAfterCheckpoint(file: string, out: string, k: number, workers: number): number {
  const r = spawnSync(process.execPath, [...CLI, 'sweep', file, '--workers', String(workers), '--out', out, '--checkpoint-seconds', '0'], {
    encoding: 'utf8',
    env: { ...process.env, FEDPG_TEST_KILL_AFTER_CHECKPOINT: String(k), FEDPG_REVISION: REV_A.git },
  });
  assert.equal(r.signal, 'SIGKILL', `the sweep killed itself: ${r.stderr}`);
  return r.pid as number;
}

test('a truncated checkpoint, or one of another revision, is set aside with a message and its job restarts from round 0, with the same numbers', async () => {
  const dir = tmp();
  const file = join(dir, 'tiny.json');
  writeFileSync(file, JSON.stringify(tiny));
  const reference = await run(tiny, join(dir, 'reference'));
  const out = join(dir, 'killed');
  // Job 0 writes 39 checkpoints, then job 1 writes 10 before the kill.
  const killed = killAfterCheckpoint(file, out, 39 + 10, 0);
  assert.deepEqual(runFiles(out), [runFiles(join(dir, 'reference'))[0]]);
  const [checkpoint] = readdirSync(join(out, 'checkpoints'));
  const path = join(out, 'checkpoints', checkpoint);
  assert.equal(readVerified<{ checkpoint: { run: { round: number } } }>(path, 'fedpg-lab/checkpoint@1').checkpoint.run.round, 10);
  writeFileSync(path, text(path).slice(0, 100));

  const resumed = await run(tiny, out);
  assert.deepEqual(resumed.failures, []);
  assert.equal(resumed.printed.length, 2);
  assert.equal(resumed.printed[0], `took over the lock ${join(out, 'lock')} of pid ${killed} on host ${hostname()}, which is no longer running`);
  assert.ok(resumed.printed[1].startsWith(`checkpoint ${path} failed verification (not valid JSON`), resumed.printed[1]);
  assert.ok(resumed.printed[1].includes(`restarts from round 0`));
  assert.ok(existsSync(join(out, 'corrupt', `checkpoints-${checkpoint}`)));
  assert.equal(JSON.stringify(resumed.rows), JSON.stringify(reference.rows));
  for (const f of runFiles(out)) assert.equal(text(join(out, 'runs', f)), text(join(dir, 'reference', 'runs', f)), f);

  // A sound checkpoint of another code revision is not continued either: the run file must name one revision.
  const other = join(dir, 'other');
  killAfterCheckpoint(file, other, 39 + 10, 0);
  const [stale] = readdirSync(join(other, 'checkpoints'));
  const allowed = await run(tiny, other, { revision: REV_B, allowRevisionChange: true });
  const moved = allowed.printed.find((m) => m.startsWith('checkpoint'));
  assert.equal(moved, `checkpoint ${join(other, 'checkpoints', stale)} was written by revision ${REV_A.git}, not ${REV_B.git}; moved to ${join(other, 'corrupt', `checkpoints-${stale}`)}; job ${stale.slice(0, -5)} restarts from round 0`);
  assert.equal(JSON.stringify(allowed.rows), JSON.stringify(reference.rows));
  assert.deepEqual(readVerified<{ revision: Revision }>(join(other, 'runs', stale), 'fedpg-lab/run@1').revision, REV_B);
});

test('a truncated or edited manifest is refused naming the file, and the lock is released', async () => {
  const out = join(tmp(), 'r');
  await run(tiny, out);
  const manifest = join(out, 'manifest.json');
  const original = text(manifest);
  writeFileSync(manifest, original.slice(0, 200));
  const truncated = (e: Error) => e.message.startsWith(`manifest ${manifest} cannot be trusted: not valid JSON`);
  await assert.rejects(run(tiny, out), truncated);
  assert.equal(existsSync(join(out, 'lock')), false, 'the lock is released after the failure');
  assert.throws(() => loadManifest(out), truncated);
  assert.throws(() => mergeResults(join(out, '..', 'merged'), [out]), truncated);
  // Valid JSON whose spec was changed by hand: the checksum no longer matches.
  writeFileSync(manifest, original.replace('"rounds": 40', '"rounds": 41'));
  assert.notEqual(text(manifest), original);
  await assert.rejects(run(tiny, out), (e: Error) => e.message.startsWith(`manifest ${manifest} cannot be trusted: checksum mismatch`));
  writeFileSync(manifest, original);
  assert.equal((await run(tiny, out)).skipped, 4);
});

test('two sweeps cannot share a folder: the second is refused naming the owner; a dead owner\'s lock is taken over', async () => {
  const out = join(tmp(), 'r');
  const lock = join(out, 'lock');
  const first = run(tiny, out, { workers: 1 });
  // The first sweep holds the lock from its first synchronous step; a temporary file of its own must survive
  // the second sweep's attempt.
  const pending = join(out, 'runs', 'x.json.123.abc.tmp');
  writeFileSync(pending, 'half');
  await assert.rejects(run(tiny, out), (e: Error) => e.message.includes(`results folder ${out} is in use by another sweep or merge: ${lock} is held by pid ${process.pid} on host ${hostname()}`));
  assert.ok(existsSync(pending), 'the refused sweep removed no temporary file');
  await first;
  assert.equal(existsSync(lock), false, 'released at the end');

  // A lock left by a process of this host that no longer runs.
  const gone = spawnSync(process.execPath, ['-e', '']).pid as number;
  writeFileSync(lock, JSON.stringify({ pid: gone, host: hostname(), started: '2026-01-01T00:00:00.000Z' }));
  // Private lock files of would-be owners: the dead one's is cleaned, a live one's (it may be locking now) kept.
  const deadLocker = join(out, `lock.${gone}.x.tmp`);
  const liveLocker = join(out, `lock.${process.pid}.y.tmp`);
  writeFileSync(deadLocker, '');
  writeFileSync(liveLocker, '');
  const taken = await run(tiny, out);
  assert.deepEqual([existsSync(deadLocker), existsSync(liveLocker)], [false, true]);
  rmSync(liveLocker);
  assert.deepEqual(taken.printed, [`took over the lock ${lock} of pid ${gone} on host ${hostname()}, which is no longer running`]);
  assert.equal(existsSync(pending), false, 'the new holder removed the dead sweep\'s temporary file');
  assert.equal(existsSync(lock), false);

  // An owner on another host cannot be checked: refused, naming it.
  writeFileSync(lock, JSON.stringify({ pid: 4242, host: 'node17.cluster', started: '2026-01-01T00:00:00.000Z' }));
  await assert.rejects(run(tiny, out), (e: Error) => e.message.includes(`held by pid 4242 on host node17.cluster`) && e.message.includes(`delete ${lock}`));
  // Merge takes the lock of its output folder too.
  const copy = join(tmp(), 'copy');
  cpSync(out, copy, { recursive: true });
  rmSync(join(copy, 'lock'));
  await assert.rejects(async () => mergeResults(out, [copy]), (e: Error) => e.message.includes('pid 4242 on host node17.cluster'));
  rmSync(lock);
});

test('resuming after a problem file changed is refused naming the file; the spec hash covers its contents', async () => {
  const dir = tmp();
  mkdirSync(join(dir, 'problems'));
  const problemPath = join(dir, 'problems', 'p.json');
  const problem = (seed: number) => garnet({ states: 5, actions: 2, branching: 2, agents: 2, gamma: 0.8, heterogeneity: 1, seed });
  saveProblem(problem(1), problemPath);
  const spec = parseExperiment({
    ...tiny,
    parameters: { problemFile: 'problems/p.json', algorithm: 'fast-fedpg', localSteps: 2, stepSize: 0.5, rounds: 5 },
    grid: undefined,
    seeds: 1,
  });
  const out = join(dir, 'r');
  await run(spec, out, { baseDir: dir });
  const sha = createHash('sha256').update(readFileSync(problemPath)).digest('hex');
  assert.deepEqual(loadManifest(out).problemFiles, [{ file: 'problems/p.json', sha256: sha }]);

  saveProblem(problem(2), problemPath);
  const now = createHash('sha256').update(readFileSync(problemPath)).digest('hex');
  rmSync(join(out, 'runs'), { recursive: true });
  await assert.rejects(run(spec, out, { baseDir: dir }), (e: Error) =>
    e.message.startsWith(`problem file problems/p.json (${problemPath}) changed since the results in ${out} were computed (sha256 ${sha.slice(0, 12)}… then, ${now.slice(0, 12)}… now)`),
  );
  assert.deepEqual(runFiles(out), [], 'nothing was computed');
  // A problem file that cannot be read is refused before any work, naming the field and the path.
  await assert.rejects(run(spec, join(dir, 'other'), { baseDir: join(dir, 'elsewhere') }), (e: Error) =>
    e.message.startsWith(`parameters.problemFile "problems/p.json": cannot read problem file ${join(dir, 'elsewhere', 'problems', 'p.json')}`),
  );
  assert.equal(existsSync(join(dir, 'other')), false);
});

test('resuming under another code revision is refused unless allowed; then the manifest lists both', async () => {
  const out = join(tmp(), 'r');
  await run(tiny, out);
  const [f0, ...rest] = runFiles(out);
  rmSync(join(out, 'runs', f0));
  const manifest = join(out, 'manifest.json');
  for (const other of [REV_B, { ...REV_A, dirty: true }]) {
    await assert.rejects(run(tiny, out, { revision: other }), (e: Error) =>
      e.message.startsWith(`${manifest}: the runs in ${out} were computed by revision ${REV_A.git}, and this code is revision ${other.git}${other.dirty ? ' (dirty)' : ''}`) &&
      e.message.includes('allowRevisionChange: true (CLI: --allow-revision-change)'),
    );
  }
  assert.equal(existsSync(join(out, 'lock')), false);
  assert.equal(existsSync(join(out, 'runs', f0)), false, 'nothing was computed');

  const allowed = await run(tiny, out, { revision: REV_B, allowRevisionChange: true });
  assert.equal(allowed.skipped, 3);
  assert.deepEqual(loadManifest(out).revisions, [REV_A, REV_B]);
  assert.deepEqual(readVerified<{ revision: Revision }>(join(out, 'runs', f0), 'fedpg-lab/run@1').revision, REV_B);
  for (const f of rest) assert.deepEqual(readVerified<{ revision: Revision }>(join(out, 'runs', f), 'fedpg-lab/run@1').revision, REV_A);
  // A finished folder is read under any revision: nothing new is computed, nothing recorded.
  const read = await run(tiny, out, { revision: { git: 'c'.repeat(40), dirty: false } });
  assert.equal(read.skipped, 4);
  assert.deepEqual(loadManifest(out).revisions, [REV_A, REV_B]);
});

test('identical sweeps give byte-identical run files; wall-clock times live in timings/', async () => {
  const dir = tmp();
  const inline = await run(tiny, join(dir, 'inline'));
  const threads = await run(tiny, join(dir, 'threads'), { workers: 2 });
  const files = runFiles(inline.dir);
  assert.equal(files.length, 4);
  assert.deepEqual(runFiles(threads.dir), files);
  for (const f of files) {
    assert.equal(text(join(threads.dir, 'runs', f)), text(join(inline.dir, 'runs', f)), f);
    assert.ok(!text(join(inline.dir, 'runs', f)).includes('seconds'));
    const timing = readVerified<{ job: string; seconds: number }>(join(inline.dir, 'timings', f), 'fedpg-lab/timing@1');
    assert.equal(timing.job, f.slice(0, -5));
    assert.ok(timing.seconds >= 0 && timing.seconds < 600);
  }
});
