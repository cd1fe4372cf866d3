/**
 * A real run on a real scheduler: a single-node SLURM cluster started here (slurmCluster.ts) runs a
 * ci-budget sweep as an array of 3 shards plus the merge. While they wait in the queue `status` reports them
 * pending and a second submission is refused; one shard is made to fail, `status` must say so and name its
 * log, a re-submission must run only that shard, and the merged results must be bit-identical to a local
 * sweep. Skipped, saying why, where a cluster cannot start (not root, SLURM not installed).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readExperiment, sweep } from '../src/index';
import { type Cluster, clusterUnavailable, startCluster } from './slurmCluster';

const ROOT = join(__dirname, '..');
const EXPERIMENT = join(ROOT, 'data', 'experiments', 'heterogeneity-bias.json');
const CLI = join(ROOT, 'dist', 'cli.js');

let cluster: Cluster | undefined;
let why: string | undefined;
const dir = mkdtempSync(join(tmpdir(), 'fedpg-slurm-'));

before(async () => {
  why = clusterUnavailable() ?? (existsSync(CLI) ? undefined : `${CLI} is missing (npm run build)`);
  if (why) return;
  try {
    cluster = await startCluster(join(dir, 'cluster'));
  } catch (e) {
    why = `the SLURM test cluster did not start: ${(e as Error).message}`;
  }
});

after(async () => {
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The built CLI, as a user on the login node runs it (SLURM_CONF pointing at the test cluster). */
function cli(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { env: cluster?.env, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** Wait until the cluster's queue is empty (every task and the merge ended), polling squeue. */
async function queueDrained(timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const q = (cluster as Cluster).run('squeue', ['-h', '-o', '%i %T']);
    if (q.status === 0 && q.stdout.trim() === '') return;
    if (Date.now() > end) throw new Error(`queue not empty after ${timeoutMs / 1000} s:\n${q.stdout}${q.stderr}\n${(cluster as Cluster).logs()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A runs/ folder as { file name → its rows as JSON text }: JSON prints every double exactly. */
function runFiles(results: string): Map<string, string> {
  const runs = join(results, 'runs');
  return new Map(readdirSync(runs).filter((f) => f.endsWith('.json')).sort().map((f) => [f, JSON.stringify(JSON.parse(readFileSync(join(runs, f), 'utf8')).rows)]));
}

test('a ci sweep as a SLURM array of 3 shards + merge: a failed shard is reported and re-run alone; results equal a local sweep bit for bit', async (t) => {
  if (!cluster) {
    t.skip(why);
    return;
  }
  const started = Date.now();
  const out = join(dir, 'run');
  // Shard 2's results folder is blocked by a file, so its task fails (a stand-in for a crash or a time limit).
  mkdirSync(join(out, 'shards'), { recursive: true });
  writeFileSync(join(out, 'shards', '2'), 'not a folder');

  // The partition is down while submitting, so the tasks stay pending until it is up again.
  const submit = () => cli(['slurm', EXPERIMENT, '--budget', 'ci', '--tasks', '3', '--max-running', '2', '--cpus-per-task', '1', '--time', '10', '--mem', '500M', '--out', out]);
  const partition = (state: string) => assert.equal(cluster?.run('scontrol', ['update', 'PartitionName=debug', `State=${state}`]).status, 0);
  partition('DOWN');
  const first = submit();
  assert.equal(first.status, 0, first.out);
  const firstArray = /submitted array job (\d+): 3 of 3 shards \(12 of 12 jobs/.exec(first.out)?.[1];
  assert.ok(firstArray, first.out);
  const queued = cli(['status', out]);
  assert.equal(queued.status, 3, queued.out);
  assert.match(queued.out, /shards: 0 done, 0 running, 3 pending, 0 failed, 0 missing/);
  assert.match(queued.out, /merged: pending \(0\/12 jobs\)/);
  const twice = submit();
  assert.equal(twice.status, 1, twice.out);
  assert.match(twice.out, new RegExp(`still has jobs in the queue \\(${firstArray}_0, ${firstArray}_1, ${firstArray}_2, `));
  partition('UP');
  await queueDrained(120_000);

  const failed = cli(['status', out]);
  assert.equal(failed.status, 1, failed.out);
  assert.match(failed.out, /shards: 2 done, 0 running, 0 pending, 1 failed, 0 missing/);
  assert.match(failed.out, /shard 2 {2}failed/);
  const failedLog = join(out, 'logs', `shard-2.${firstArray}.log`);
  assert.ok(failed.out.includes(`shard 2: ${failedLog}`), failed.out);
  assert.match(readFileSync(failedLog, 'utf8'), /results directory .*shards\/2 is not writable[\s\S]*fedpg-lab: shard 2 ended with exit status 1/);
  // afterok can no longer be met, so SLURM cancelled the merge (--kill-on-invalid-dep) rather than keep it pending.
  assert.match(failed.out, /merged: failed \(0\/12 jobs\), cancelled before it ran: a shard failed/);
  const kept = new Map([0, 1].flatMap((i) => readdirSync(join(out, 'shards', String(i), 'runs')).map((f) => [join(out, 'shards', String(i), 'runs', f), statSync(join(out, 'shards', String(i), 'runs', f)).mtimeMs] as const)));
  // Shards are dealt by estimated work (the algorithms' planned estimates per round): their sizes are the plan's.
  const planned = (JSON.parse(readFileSync(join(out, 'slurm', 'plan.json'), 'utf8')) as { shards: { jobs: string[] }[] }).shards.map((s) => s.jobs.length);
  assert.equal(planned.reduce((a, b) => a + b, 0), 12);
  assert.equal(kept.size, planned[0] + planned[1]);

  // Fix the cause and submit again: only shard 2 runs, then the merge.
  rmSync(join(out, 'shards', '2'));
  const again = submit();
  assert.equal(again.status, 0, again.out);
  const secondArray = new RegExp(`submitted array job (\\d+): 1 of 3 shards \\(${planned[2]} of 12 jobs`).exec(again.out)?.[1];
  assert.ok(secondArray, again.out);
  await queueDrained(120_000);

  const done = cli(['status', out]);
  assert.equal(done.status, 0, done.out);
  assert.match(done.out, /12\/12 jobs done/);
  assert.match(done.out, /shards: 3 done, 0 running, 0 pending, 0 failed, 0 missing/);
  assert.match(done.out, /merged: done \(12\/12 jobs\)/);
  for (const [file, mtime] of kept) assert.equal(statSync(file).mtimeMs, mtime, `${file} was redone`);
  // One log per task and submission: shards 0–2 of the first array, shard 2 of the second, the merge.
  const logs = readdirSync(join(out, 'logs')).sort();
  assert.deepEqual(logs.filter((f) => f.startsWith('shard-')), [`shard-0.${firstArray}.log`, `shard-1.${firstArray}.log`, `shard-2.${firstArray}.log`, `shard-2.${secondArray}.log`].sort());
  assert.equal(logs.filter((f) => f.startsWith('merge.')).length, 1);
  const elapsed = (Date.now() - started) / 1000;

  const local = await sweep(readExperiment(EXPERIMENT), { budget: 'ci', workers: 0, out: join(dir, 'local') });
  assert.equal(local.jobs, 12);
  const fromCluster = runFiles(join(out, 'merged'));
  const fromLaptop = runFiles(local.dir);
  assert.deepEqual([...fromCluster.keys()], [...fromLaptop.keys()]);
  for (const [f, rows] of fromLaptop) assert.equal(fromCluster.get(f), rows, `${f} differs between the cluster and the local sweep`);
  t.diagnostic(`cluster part took ${elapsed.toFixed(1)} s`);
});
