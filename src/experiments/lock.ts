import { spawnSync } from 'node:child_process';
import { linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { FedPGError } from '../core/errors';

/**
 * One writer per results folder. `<folder>/lock` holds `{ pid, host, started }` of the process that owns the
 * folder and, inside a SLURM job, `slurm: { job, task, restart }` (SLURM_JOB_ID, the array task
 * `<array job>_<index>`, SLURM_RESTART_COUNT). It is created exclusively (written under a private name,
 * then hard-linked to `lock`, which fails with EEXIST when a lock exists: the O_EXCL guarantee, with the
 * content complete before anyone can read it). A lock is taken over, with a message, when its owner
 * certainly no longer writes:
 *   - an earlier run of this very SLURM job (same SLURM_JOB_ID: SLURM requeued the job, after a time limit,
 *     a preemption or a node failure; it runs one instance of a job at a time);
 *   - a process of this host that is no longer running;
 *   - a SLURM job, on any host, that SLURM says is no longer running (ended, or unknown to the controller).
 * A live owner, or an owner whose liveness cannot be checked (another host and no SLURM job, or SLURM not
 * answering), makes acquisition fail naming the owner.
 */

/** The SLURM job of a lock's owner (from SLURM_JOB_ID, SLURM_ARRAY_JOB_ID/_TASK_ID, SLURM_RESTART_COUNT). */
export interface SlurmOwner {
  /** SLURM_JOB_ID: unique per array task, kept when SLURM requeues the job. */
  job: string;
  /** `<array job id>_<task index>` for an array task. */
  task?: string;
  /** SLURM_RESTART_COUNT: how many times the job was requeued (0 for its first run). */
  restart: number;
}

/** Who holds a lock. */
export interface LockOwner {
  pid: number;
  host: string;
  started: string;
  slurm?: SlurmOwner;
}

/** A held lock: release it exactly once (in a `finally`). */
export interface FolderLock {
  path: string;
  release(): void;
}

/** What SLURM says of a job: still queued or running, certainly ended, or not known (no answer). */
export type SlurmJobLiveness = { state: 'live' | 'ended'; detail: string } | { state: 'unknown'; detail: string };

/** Whether process `pid` of this host is running (EPERM: it runs under another user). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The SLURM job this process runs in, from its environment (undefined outside SLURM). */
export function slurmOwner(env: NodeJS.ProcessEnv = process.env): SlurmOwner | undefined {
  const job = env.SLURM_JOB_ID;
  if (!job || !/^\d+$/.test(job)) return undefined;
  const array = env.SLURM_ARRAY_JOB_ID;
  const index = env.SLURM_ARRAY_TASK_ID;
  const restart = Number(env.SLURM_RESTART_COUNT ?? 0);
  return { job, ...(array && index ? { task: `${array}_${index}` } : {}), restart: Number.isInteger(restart) && restart >= 0 ? restart : 0 };
}

/** Job states in which a job's processes may still run (squeue's %T). */
const LIVE_STATES = new Set(['PENDING', 'RUNNING', 'SUSPENDED', 'COMPLETING', 'CONFIGURING', 'STAGE_OUT', 'SIGNALING', 'RESIZING', 'REQUEUED', 'REQUEUE_HOLD', 'REQUEUE_FED', 'STOPPED', 'RESV_DEL_HOLD']);

/**
 * Interpret `squeue -h -j ID -o %T`: its exit status, stdout and stderr. A job the controller lists in a live
 * state is live; one it lists in a final state, or no longer knows ("Invalid job id"), has ended; anything
 * else (no answer, other errors) is unknown.
 */
export function slurmLiveness(status: number | null, stdout: string, stderr: string): SlurmJobLiveness {
  if (status === 0) {
    const state = stdout.trim().split('\n')[0]?.trim() ?? '';
    if (state === '') return { state: 'ended', detail: 'no longer in the queue' };
    return LIVE_STATES.has(state) ? { state: 'live', detail: state } : { state: 'ended', detail: state };
  }
  if (/invalid job id/i.test(stderr)) return { state: 'ended', detail: 'unknown to the controller' };
  return { state: 'unknown', detail: stderr.trim().split('\n')[0] || `squeue exited with status ${status}` };
}

/** Ask SLURM (squeue) whether job `id` is still queued or running. */
export function askSlurm(id: string): SlurmJobLiveness {
  const r = spawnSync('squeue', ['-h', '-j', id, '-o', '%T'], { encoding: 'utf8', timeout: 20_000, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error) return { state: 'unknown', detail: `squeue could not run (${r.error.message})` };
  return slurmLiveness(r.status, r.stdout ?? '', r.stderr ?? '');
}

function readOwner(path: string): LockOwner | undefined {
  try {
    const o = JSON.parse(readFileSync(path, 'utf8')) as LockOwner;
    return Number.isInteger(o.pid) && typeof o.host === 'string' ? o : undefined;
  } catch {
    return undefined;
  }
}

/** "SLURM job 17 (array task 12_3, restart 1)". */
function describeJob(s: SlurmOwner): string {
  const parts = [...(s.task ? [`array task ${s.task}`] : []), ...(s.restart > 0 ? [`restart ${s.restart}`] : [])];
  return `SLURM job ${s.job}${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`;
}

/**
 * Whether `owner`'s lock may be taken over by `me`: the reason (for the message) when it may, or why not.
 * `ask` is consulted only for an owner that ran in another SLURM job.
 */
export function takeOverReason(owner: LockOwner, me: LockOwner, ask: (job: string) => SlurmJobLiveness, path: string): { takeOver: true; reason: string } | { takeOver: false; why: string } {
  if (owner.slurm && me.slurm && owner.slurm.job === me.slurm.job && owner.pid !== me.pid) {
    return { takeOver: true, reason: `an earlier run of this ${describeJob(owner.slurm)}, which SLURM requeued` };
  }
  if (owner.host === me.host && owner.pid !== me.pid && !alive(owner.pid)) return { takeOver: true, reason: 'which is no longer running' };
  if (owner.slurm && !(owner.host === me.host && owner.pid === me.pid)) {
    const answer = ask(owner.slurm.job);
    if (answer.state === 'ended') return { takeOver: true, reason: `whose ${describeJob(owner.slurm)} is no longer running (SLURM: ${answer.detail})` };
    if (answer.state === 'live') return { takeOver: false, why: `; its ${describeJob(owner.slurm)} is ${answer.detail.toLowerCase()} (SLURM)` };
    return { takeOver: false, why: `; whether its ${describeJob(owner.slurm)} still runs cannot be asked of SLURM (${answer.detail}): if it does not, delete ${path}` };
  }
  return { takeOver: false, why: '' };
}

/**
 * Take the lock of `folder` (which must exist) for this process. `onTakeOver` is told when a lock whose
 * owner no longer runs is replaced. `ask` tells whether a SLURM job still runs (default: squeue).
 */
export function acquireLock(folder: string, onTakeOver: (message: string) => void, ask: (job: string) => SlurmJobLiveness = askSlurm): FolderLock {
  const path = join(folder, 'lock');
  const slurm = slurmOwner();
  const me: LockOwner = { pid: process.pid, host: hostname(), started: new Date().toISOString(), ...(slurm ? { slurm } : {}) };
  const mine = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(mine, `${JSON.stringify(me)}\n`);
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(mine, path);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const owner = readOwner(path);
      if (!owner) {
        throw new FedPGError(`results folder ${folder} is locked by ${path}, whose owner cannot be read; if no sweep or merge is writing to this folder, delete ${path}`);
      }
      const who = `pid ${owner.pid} on host ${owner.host}${owner.slurm ? `, ${describeJob(owner.slurm)}` : ''} (since ${owner.started})`;
      const verdict = attempt > 0 ? ({ takeOver: false, why: '' } as const) : takeOverReason(owner, me, ask, path);
      if (!verdict.takeOver) {
        const self = owner.host === me.host && owner.pid === process.pid ? ', this process' : '';
        const remote = verdict.why !== '' ? verdict.why : owner.host !== me.host ? `; its liveness cannot be checked from ${me.host}: if it is no longer running, delete ${path}` : '';
        throw new FedPGError(`results folder ${folder} is in use by another sweep or merge: ${path} is held by ${who}${self}${remote}`);
      }
      rmSync(path, { force: true });
      onTakeOver(`took over the lock ${path} of pid ${owner.pid} on host ${owner.host}${owner.slurm && !verdict.reason.includes('SLURM job') ? ` (${describeJob(owner.slurm)})` : ''}, ${verdict.reason}`);
    }
  } finally {
    rmSync(mine, { force: true });
  }
  let held = true;
  return {
    path,
    release() {
      if (!held) return;
      held = false;
      const owner = readOwner(path);
      if (owner && owner.pid === me.pid && owner.host === me.host && owner.started === me.started) rmSync(path, { force: true });
    },
  };
}
