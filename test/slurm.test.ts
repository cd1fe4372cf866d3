/**
 * Real runs on a real scheduler: a two-node SLURM cluster started here (slurmCluster.ts: node1 and node2,
 * each a slurmd in its own UTS namespace, sharing this machine's filesystem) runs sweeps as job arrays plus
 * a merge, through the built CLI as a user on the login node would.
 *   1. A ci sweep of 3 shards: while queued (partition down) `status` reports them pending with SLURM's
 *      reason and a second submission is refused; a failed shard is reported with its log and re-run alone;
 *      the merged runs equal a local sweep bit for bit.
 *   2. Recovery on another node: a task cancelled on node2 after a checkpoint leaves its lock; the
 *      re-submission (excluded from node2) lands on node1, takes the lock over because SLURM says the job
 *      that held it ended, continues from the checkpoint, and the merged runs equal a local sweep. Before it,
 *      a preflight that finds no node binary submits nothing, and a request no node can meet is shown
 *      pending with SLURM's reason.
 *   3. A time limit: a task of a run with a one-minute limit is stopped (SIGSTOP, so it cannot finish in its
 *      first minute), SLURM signals it before the limit, it requeues itself, runs again under the same job id
 *      and continues from its checkpoint to the end, without any user action; its runs equal a local sweep.
 * Skipped, saying why, where a cluster cannot start (not root, SLURM not installed).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parseExperiment, readExperiment, sweep } from '../src/experiments';
import { type Cluster, clusterUnavailable, startCluster } from './slurmCluster';

const ROOT = join(__dirname, '..');
const EXPERIMENT = join(ROOT, 'data', 'experiments', 'heterogeneity-bias.json');
const CLI = join(ROOT, 'dist', 'cli.js');

let cluster: Cluster | undefined;
let why: string | undefined;
const dir = mkdtempSync(join(tmpdir(), 'fedpg-slurm-'));
const started = Date.now();

/**
 * A Garnet run of `rounds` rounds (about 0.5 ms each here) per seed: long enough to be caught between
 * checkpoints, short enough for CI.
 */
function longExperiment(name: string, rounds: number, seeds: number): string {
  const file = join(dir, 'experiments', `${name}.json`);
  mkdirSync(join(dir, 'experiments'), { recursive: true });
  writeFileSync(
    file,
    JSON.stringify({
      format: 'fedpg-lab/experiment@1',
      name,
      kind: 'runs',
      parameters: { generator: 'garnet', states: 20, actions: 4, branching: 3, agents: 5, gamma: 0.9, heterogeneity: 1, oracle: 'exact', entropy: 0.1, stepSize: 1, localSteps: 10, algorithm: 'fast-fedpg', rounds, every: 1000 },
      seeds,
    }),
  );
  return file;
}

const TIME_LIMITED = longExperiment('slurm-timelimit', 6000, 1);
const RECOVERED = longExperiment('slurm-recover', 6000, 2);

before(async () => {
  why = clusterUnavailable() ?? (existsSync(CLI) ? undefined : `${CLI} is missing (npm run build)`);
  if (why) return;
  try {
    cluster = await startCluster(join(dir, 'cluster'), 2);
  } catch (e) {
    why = `the SLURM test cluster did not start: ${(e as Error).message}`;
    return;
  }
  submitTimeLimited();
});

after(async () => {
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The built CLI, as a user on the login node runs it (SLURM_CONF pointing at the test cluster). */
function cli(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { env: cluster?.env, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Wait until no job of these names is queued or running (polling squeue). */
async function drained(names: string[], timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const q = (cluster as Cluster).run('squeue', ['-h', '-n', names.join(','), '-o', '%i %T %r']);
    if (q.status === 0 && q.stdout.trim() === '') return;
    if (Date.now() > end) throw new Error(`${names.join(', ')} still queued after ${timeoutMs / 1000} s:\n${q.stdout}${q.stderr}\n${(cluster as Cluster).logs()}`);
    await sleep(250);
  }
}

/** Wait until `check` holds, polling. */
async function until(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`${what}: not within ${timeoutMs / 1000} s\n${(cluster as Cluster).logs()}`);
    await sleep(100);
  }
}

/** A runs/ folder as { file name → its text }: the run files themselves, byte for byte. */
function runFiles(results: string): Map<string, string> {
  const runs = join(results, 'runs');
  return new Map(readdirSync(runs).filter((f) => f.endsWith('.json')).sort().map((f) => [f, readFileSync(join(runs, f), 'utf8')]));
}

/** The merged runs of a SLURM run folder against a local sweep of the same experiment: equal bytes. */
function assertSameRuns(slurmMerged: string, local: string) {
  const fromCluster = runFiles(slurmMerged);
  const fromLaptop = runFiles(local);
  assert.deepEqual([...fromCluster.keys()], [...fromLaptop.keys()]);
  for (const [f, text] of fromLaptop) assert.equal(fromCluster.get(f), text, `${f} differs between the cluster and the local sweep`);
}

const planOf = (out: string) => JSON.parse(readFileSync(join(out, 'slurm', 'plan.json'), 'utf8')) as { shards: { jobs: string[] }[]; submissions: { arrayJob: string; mergeJob: string }[] };

// The time-limited run is submitted as soon as the cluster is up, and runs while tests 1 and 2 do (test 3 checks it).
const TIME_LIMITED_OUT = join(dir, 'timelimit');
let timeLimited: ReturnType<typeof cli> | undefined;
/**
 * Submitted from the before hook, right after the cluster started. Its job takes a few seconds, so the task's
 * first run is made too slow for its one-minute limit: a --setup line (the site hook, here a test's
 * instrument) starts a watcher that stops node (SIGSTOP, by the pid in its lock) once the first checkpoint is
 * on disk, in the array task's first run only. SLURM's warning signal (--signal=B:USR1@20: SLURM checks
 * time limits every 30 s and signals at the first check less than 20 + 30 s before the end, so 10 to 40 s
 * after the start, leaving the first run time for its checkpoint) then finds a task that cannot finish by
 * itself.
 */
function submitTimeLimited() {
  const shard = join(TIME_LIMITED_OUT, 'shards', '0');
  const stopper = `if [ -n "\${SLURM_ARRAY_TASK_ID:-}" ] && [ "\${SLURM_RESTART_COUNT:-0}" = 0 ]; then ( until ls ${shard}/checkpoints/*.json >/dev/null 2>&1; do sleep 0.1; done; kill -STOP "$(sed -E 's/.*"pid":([0-9]+).*/\\1/' ${shard}/lock)" ) & fi`;
  timeLimited = cli([
    'slurm', TIME_LIMITED, '--tasks', '1', '--time', '1', '--requeue-seconds', '20', '--checkpoint-seconds', '1', '--cpus-per-task', '1', '--sbatch-option=--nodelist=node1', '--merge-time', '1',
    '--setup', stopper, '--out', TIME_LIMITED_OUT,
  ]);
}

test('a ci sweep as a SLURM array of 3 shards + merge: pending with the reason, a failed shard is reported and re-run alone; results equal a local sweep bit for bit', async (t) => {
  if (!cluster) {
    t.skip(why);
    return;
  }
  const t0 = Date.now();
  const out = join(dir, 'run');
  // Shard 2's results folder is blocked by a file, so its task fails (a stand-in for a crash).
  mkdirSync(join(out, 'shards'), { recursive: true });
  writeFileSync(join(out, 'shards', '2'), 'not a folder');

  // The partition is down while submitting (so no preflight: it could not run), and the tasks stay pending.
  const submit = (...extra: string[]) => cli(['slurm', EXPERIMENT, '--budget', 'ci', '--tasks', '3', '--max-running', '2', '--cpus-per-task', '1', '--time', '10', '--mem', '500M', '--merge-mem', '200M', '--out', out, ...extra]);
  const partition = (state: string) => assert.equal(cluster?.run('scontrol', ['update', 'PartitionName=debug', `State=${state}`]).status, 0);
  partition('DOWN');
  let first: ReturnType<typeof cli>;
  try {
    first = submit('--no-preflight');
    assert.equal(first.status, 0, first.out);
    const queued = cli(['status', out]);
    assert.equal(queued.status, 3, queued.out);
    assert.match(queued.out, /shards: 0 done, 0 running, 3 pending, 0 failed, 0 missing/);
    assert.match(queued.out, /shard 0 {2}pending {2}0\/\d+ jobs {2}pending \(PartitionDown\)/);
    assert.match(queued.out, /merged: pending \(0\/12 jobs\), pending \((PartitionDown|Dependency: waiting for the shards)\)/);
    const twice = submit('--no-preflight');
    assert.equal(twice.status, 1, twice.out);
    const id = /submitted array job (\d+): 3 of 3 shards \(12 of 12 jobs/.exec(first.out)?.[1];
    assert.match(twice.out, new RegExp(`still has jobs in the queue \\(${id}_0, ${id}_1, ${id}_2, `));
  } finally {
    partition('UP');
  }
  const firstArray = /submitted array job (\d+)/.exec(first.out)?.[1] as string;
  await drained(['fedpg-heterogeneity-bias', 'fedpg-heterogeneity-bias-merge'], 120_000);

  const failed = cli(['status', out]);
  assert.equal(failed.status, 1, failed.out);
  assert.match(failed.out, /shards: 2 done, 0 running, 0 pending, 1 failed, 0 missing/);
  assert.match(failed.out, /shard 2 {2}failed/);
  const failedLog = join(out, 'logs', `shard-2.${firstArray}.log`);
  assert.ok(failed.out.includes(`shard 2: ${failedLog}`), failed.out);
  assert.match(readFileSync(failedLog, 'utf8'), /results directory .*shards\/2 is not writable[\s\S]*fedpg-lab: shard 2 ended with exit status 1\n$/);
  // afterok can no longer be met, so SLURM cancelled the merge (--kill-on-invalid-dep) rather than keep it pending.
  assert.match(failed.out, /merged: failed \(0\/12 jobs\), cancelled before it ran: a shard failed/);
  const kept = new Map([0, 1].flatMap((i) => readdirSync(join(out, 'shards', String(i), 'runs')).map((f) => [join(out, 'shards', String(i), 'runs', f), statSync(join(out, 'shards', String(i), 'runs', f)).mtimeMs] as const)));
  // How many jobs each shard holds depends on the work estimate (jobWeight): take it from the plan.
  const perShard = planOf(out).shards.map((x) => x.jobs.length);
  assert.equal(kept.size, perShard[0] + perShard[1]);

  // Fix the cause and submit again (with the preflight probe): only shard 2 runs, then the merge.
  rmSync(join(out, 'shards', '2'));
  const again = submit();
  assert.equal(again.status, 0, again.out);
  assert.match(again.out, /^preflight: job \d+ on node[12] found the run's folder, node and the snapshot usable$/m);
  const secondArray = new RegExp(`submitted array job (\\d+): 1 of 3 shards \\(${perShard[2]} of 12 jobs`).exec(again.out)?.[1];
  assert.ok(secondArray, again.out);
  await drained(['fedpg-heterogeneity-bias', 'fedpg-heterogeneity-bias-merge'], 120_000);

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
  assert.deepEqual(logs.filter((f) => f.startsWith('preflight.')), [], 'a passed probe leaves no log');
  t.diagnostic(`cluster part took ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const local = await sweep(readExperiment(EXPERIMENT), { budget: 'ci', workers: 1, out: join(dir, 'local') });
  assert.equal(local.jobs, 12);
  assertSameRuns(join(out, 'merged'), local.dir);
});

test('a task cancelled on node2 is recovered on node1: the lock of the ended job is taken over, the job continues from its checkpoint, results equal a local sweep', async (t) => {
  if (!cluster) {
    t.skip(why);
    return;
  }
  const t0 = Date.now();
  const c = cluster;
  // A request that no node can meet is accepted by SLURM and stays pending: status says why and that it never starts.
  const never = join(dir, 'never');
  const huge = cli(['slurm', RECOVERED, '--tasks', '2', '--cpus-per-task', '64', '--no-preflight', '--out', never]);
  assert.equal(huge.status, 0, huge.out);
  const hugeStatus = cli(['status', never]);
  assert.match(hugeStatus.out, /shard 0 {2}pending {2}0\/1 jobs {2}pending \(PartitionConfig: can never start as submitted/);
  assert.equal(c.run('scancel', [planOf(never).submissions[0].arrayJob, planOf(never).submissions[0].mergeJob]).status, 0);

  const out = join(dir, 'recover');
  const submit = (...extra: string[]) => cli(['slurm', RECOVERED, '--tasks', '2', '--cpus-per-task', '1', '--time', '10', '--checkpoint-seconds', '1', '--out', out, ...extra]);
  // The preflight probe runs on a compute node and finds no node binary there: nothing is submitted.
  const noNode = submit('--node', '/nonexistent/bin/node');
  assert.equal(noNode.status, 1, noNode.out);
  assert.match(noNode.out, /the preflight probe \(job \d+ on node[12]\) found:\n {2}- node \(\/nonexistent\/bin\/node\) is not found on node[12]: give --node the path of node/);
  assert.equal(existsSync(join(out, 'slurm', 'plan.json')) && planOf(out).submissions.length, 0);

  // Both tasks start on node2; shard 1 is cancelled once it has written a checkpoint.
  const first = submit('--sbatch-option=--nodelist=node2');
  assert.equal(first.status, 0, first.out);
  const arrayJob = /submitted array job (\d+): 2 of 2 shards/.exec(first.out)?.[1] as string;
  assert.ok(arrayJob, first.out);
  const checkpoints = join(out, 'shards', '1', 'checkpoints');
  await until('shard 1 writes a checkpoint', () => existsSync(checkpoints) && readdirSync(checkpoints).some((f) => f.endsWith('.json')), 60_000);
  assert.equal(c.run('scancel', [`${arrayJob}_1`]).status, 0);
  await drained(['fedpg-slurm-recover', 'fedpg-slurm-recover-merge'], 60_000);
  const cancelled = cli(['status', out]);
  assert.equal(cancelled.status, 1, cancelled.out);
  assert.match(cancelled.out, /shard 0 {2}done/);
  assert.match(cancelled.out, /shard 1 {2}failed {3}0\/1 jobs {2}CANCELLED/);
  const firstLog = readFileSync(join(out, 'logs', `shard-1.${arrayJob}.log`), 'utf8');
  assert.match(firstLog, /^fedpg-lab: shard 1 of 2, job \d+_1 \(SLURM job \d+, restart 0\) on node2$/m);
  assert.match(firstLog, /fedpg-lab: shard 1 stopped by SIGTERM \(scancel, time limit, preemption or node shutdown\)\nfedpg-lab: shard 1 ended with exit status 143\n$/);
  const lock = JSON.parse(readFileSync(join(out, 'shards', '1', 'lock'), 'utf8')) as { pid: number; host: string; slurm: { job: string; task: string } };
  assert.equal(lock.host, 'node2');
  assert.equal(lock.slurm.task, `${arrayJob}_1`);
  assert.ok(readdirSync(checkpoints).some((f) => f.endsWith('.json')), 'the cancelled job left its checkpoint');

  // The same command again, kept off node2 by a site option: shard 1 runs on node1 and takes the lock over.
  const again = submit('--sbatch-option=--exclude=node2');
  assert.equal(again.status, 0, again.out);
  const secondArray = /submitted array job (\d+): 1 of 2 shards \(1 of 2 jobs/.exec(again.out)?.[1] as string;
  assert.ok(secondArray, again.out);
  await drained(['fedpg-slurm-recover', 'fedpg-slurm-recover-merge'], 60_000);
  const log = readFileSync(join(out, 'logs', `shard-1.${secondArray}.log`), 'utf8');
  assert.match(log, /^fedpg-lab: shard 1 of 2, job \d+_1 \(SLURM job \d+, restart 0\) on node1$/m);
  assert.ok(
    log.includes(`took over the lock ${join(out, 'shards', '1', 'lock')} of pid ${lock.pid} on host node2, whose SLURM job ${lock.slurm.job} (array task ${arrayJob}_1) is no longer running (SLURM: `),
    log,
  );
  assert.equal(readdirSync(checkpoints).length, 0, 'the job finished from its checkpoint and dropped it');
  const done = cli(['status', out]);
  assert.equal(done.status, 0, done.out);
  assert.match(done.out, /merged: done \(2\/2 jobs\)/);
  t.diagnostic(`cluster part took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const local = await sweep(parseExperiment(JSON.parse(readFileSync(RECOVERED, 'utf8'))), { workers: 1, out: join(dir, 'local-recover') });
  assertSameRuns(join(out, 'merged'), local.dir);
});

test('a task that reaches its time limit is signalled, requeues itself and continues from its checkpoint to the end; results equal a local sweep', async (t) => {
  if (!cluster || !timeLimited) {
    t.skip(why);
    return;
  }
  const out = TIME_LIMITED_OUT;
  assert.equal(timeLimited.status, 0, timeLimited.out);
  assert.match(timeLimited.out, /^preflight: job \d+ on node1 found the run's folder, node and the snapshot usable$/m);
  const arrayJob = /submitted array job (\d+): 1 of 1 shards/.exec(timeLimited.out)?.[1] as string;
  assert.ok(arrayJob, timeLimited.out);
  const log = join(out, 'logs', `shard-0.${arrayJob}.log`);
  const local = sweep(parseExperiment(JSON.parse(readFileSync(TIME_LIMITED, 'utf8'))), { workers: 1, out: join(dir, 'local-timelimit') });
  await drained(['fedpg-slurm-timelimit', 'fedpg-slurm-timelimit-merge'], 240_000);
  const text = readFileSync(log, 'utf8');
  assert.match(text, /fedpg-lab: shard 0 stopped before its time limit: requeueing job \d+_0 to continue from its checkpoints/);
  assert.match(text, /^fedpg-lab: shard 0 of 1, job \d+_0 \(SLURM job \d+, restart 1\) on node1$/m);
  assert.match(text, /^fedpg-lab: shard 0 of 1, job \d+_0 \(SLURM job \d+, restart 0\) on node1$/m);
  assert.match(text, new RegExp(`took over the lock \\S+ of pid \\d+ on host node1, an earlier run of this SLURM job \\d+ \\(array task ${arrayJob}_0\\), which SLURM requeued`));
  assert.equal(readdirSync(join(out, 'shards', '0', 'checkpoints')).length, 0, 'the job finished and dropped its checkpoint');
  assert.match(text, /fedpg-lab: shard 0 ended with exit status 0\n$/);
  const done = cli(['status', out]);
  assert.equal(done.status, 0, done.out);
  assert.match(done.out, /merged: done \(1\/1 jobs\)/);
  assertSameRuns(join(out, 'merged'), (await local).dir);
  t.diagnostic(`the time-limited run took ${((Date.now() - started) / 1000).toFixed(1)} s from the start of this file`);
});
