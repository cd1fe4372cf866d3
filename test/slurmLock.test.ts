/**
 * Locks of results folders written by SLURM tasks: the owner's SLURM job is recorded, and a lock is taken
 * over when SLURM says that job ended or when it is an earlier run of the same (requeued) job; a live or
 * unknown owner is refused naming it. SLURM is stood in for by `ask`, fed with what squeue answers (the
 * texts below are squeue 22.05's own, seen on the test cluster of slurm.test.ts).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { acquireLock, type SlurmJobLiveness, slurmLiveness, slurmOwner } from '../src/experiments/lock';

test('squeue -j answers: live states, ended states, a job the controller forgot, no answer', () => {
  assert.deepEqual(slurmLiveness(0, 'RUNNING\n', ''), { state: 'live', detail: 'RUNNING' });
  assert.deepEqual(slurmLiveness(0, 'COMPLETING\n', ''), { state: 'live', detail: 'COMPLETING' });
  assert.deepEqual(slurmLiveness(0, 'CANCELLED\n', ''), { state: 'ended', detail: 'CANCELLED' });
  assert.deepEqual(slurmLiveness(0, '', ''), { state: 'ended', detail: 'no longer in the queue' });
  assert.deepEqual(slurmLiveness(1, '', 'slurm_load_jobs error: Invalid job id specified\n'), { state: 'ended', detail: 'unknown to the controller' });
  assert.deepEqual(slurmLiveness(1, '', 'slurm_load_jobs error: Unable to contact slurm controller (connect failure)\n'), {
    state: 'unknown',
    detail: 'slurm_load_jobs error: Unable to contact slurm controller (connect failure)',
  });
  assert.deepEqual(slurmOwner({ SLURM_JOB_ID: '17', SLURM_ARRAY_JOB_ID: '12', SLURM_ARRAY_TASK_ID: '3', SLURM_RESTART_COUNT: '2' }), { job: '17', task: '12_3', restart: 2 });
  assert.deepEqual(slurmOwner({ SLURM_JOB_ID: '17' }), { job: '17', restart: 0 });
  assert.equal(slurmOwner({}), undefined);
});

/** Run `f` with this process seen as SLURM job `job` (array task 70_1, restart `restart`), or outside SLURM. */
function asJob<T>(job: string | undefined, restart: number, f: () => T): T {
  const keys = ['SLURM_JOB_ID', 'SLURM_ARRAY_JOB_ID', 'SLURM_ARRAY_TASK_ID', 'SLURM_RESTART_COUNT'];
  const saved = keys.map((k) => process.env[k]);
  if (job) Object.assign(process.env, { SLURM_JOB_ID: job, SLURM_ARRAY_JOB_ID: '70', SLURM_ARRAY_TASK_ID: '1', SLURM_RESTART_COUNT: String(restart) });
  else for (const k of keys) delete process.env[k];
  try {
    return f();
  } finally {
    keys.forEach((k, i) => (saved[i] === undefined ? delete process.env[k] : (process.env[k] = saved[i])));
  }
}

test('a lock held by a SLURM job on another host: taken over once SLURM says the job ended, refused while it runs or when SLURM cannot be asked', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fedpg-lock-'));
  const lock = join(dir, 'lock');
  const owner = { pid: 4242, host: 'node2', started: '2026-01-01T00:00:00.000Z', slurm: { job: '77', task: '70_1', restart: 0 } };
  const asked: string[] = [];
  const answer = (a: SlurmJobLiveness) => (job: string) => {
    asked.push(job);
    return a;
  };
  const take = (a: SlurmJobLiveness, job?: string, restart = 0) => {
    writeFileSync(lock, JSON.stringify(owner));
    const told: string[] = [];
    const held = asJob(job, restart, () => acquireLock(dir, (m) => told.push(m), answer(a)));
    const content = JSON.parse(readFileSync(lock, 'utf8'));
    held.release();
    return { told, content };
  };
  const held = `${lock} is held by pid 4242 on host node2, SLURM job 77 (array task 70_1) (since 2026-01-01T00:00:00.000Z)`;

  const ended = take({ state: 'ended', detail: 'CANCELLED' }, '90');
  assert.deepEqual(ended.told, [`took over the lock ${lock} of pid 4242 on host node2, whose SLURM job 77 (array task 70_1) is no longer running (SLURM: CANCELLED)`]);
  assert.deepEqual(ended.content.slurm, { job: '90', task: '70_1', restart: 0 });
  assert.equal(ended.content.host, hostname());
  assert.deepEqual(asked, ['77']);

  const forgotten = take({ state: 'ended', detail: 'unknown to the controller' });
  assert.match(forgotten.told[0], /is no longer running \(SLURM: unknown to the controller\)$/);
  assert.equal(forgotten.content.slurm, undefined, 'outside SLURM no job is recorded');

  writeFileSync(lock, JSON.stringify(owner));
  assert.throws(() => acquireLock(dir, () => assert.fail('not taken over'), answer({ state: 'live', detail: 'RUNNING' })), (e: Error) => e.message === `results folder ${dir} is in use by another sweep or merge: ${held}; its SLURM job 77 (array task 70_1) is running (SLURM)`);
  assert.throws(
    () => acquireLock(dir, () => assert.fail('not taken over'), answer({ state: 'unknown', detail: 'squeue could not run (spawnSync squeue ENOENT)' })),
    (e: Error) => e.message === `results folder ${dir} is in use by another sweep or merge: ${held}; whether its SLURM job 77 (array task 70_1) still runs cannot be asked of SLURM (squeue could not run (spawnSync squeue ENOENT)): if it does not, delete ${lock}`,
  );
  assert.equal(JSON.parse(readFileSync(lock, 'utf8')).pid, 4242, 'a refused lock is left as it was');

  // The same job, requeued (SLURM runs one instance of a job at a time): taken over without asking.
  asked.length = 0;
  const requeued = take({ state: 'live', detail: 'RUNNING' }, '77', 1);
  assert.deepEqual(requeued.told, [`took over the lock ${lock} of pid 4242 on host node2, an earlier run of this SLURM job 77 (array task 70_1), which SLURM requeued`]);
  assert.deepEqual(requeued.content.slurm, { job: '77', task: '70_1', restart: 1 });
  assert.deepEqual(asked, []);

  // An owner outside SLURM on another host cannot be checked: refused as before, SLURM not asked.
  writeFileSync(lock, JSON.stringify({ pid: 4242, host: 'node2', started: '2026-01-01T00:00:00.000Z' }));
  assert.throws(() => acquireLock(dir, () => assert.fail('not taken over'), answer({ state: 'ended', detail: 'x' })), /held by pid 4242 on host node2 \(since .*\); its liveness cannot be checked from .*: if it is no longer running, delete /);
  assert.deepEqual(asked, []);
});
