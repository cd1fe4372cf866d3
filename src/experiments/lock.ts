import { spawnSync } from 'node:child_process';
import { linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { FedPGError } from '../core/errors';
import { repeatedKey } from '../core/strictJSON';

/**
 * One writer per results folder. `<folder>/lock` holds `{ pid, host, started, process }` of the process that
 * owns the folder (`process`: its start, see LockOwner) and, inside a SLURM job, `slurm: { job, task, restart }` (SLURM_JOB_ID, the array task
 * `<array job>_<index>`, SLURM_RESTART_COUNT). It is created exclusively (written under a private name,
 * then hard-linked to `lock`, which fails with EEXIST when a lock exists: the O_EXCL guarantee, with the
 * content complete before anyone can read it). A lock is taken over, with a message, when its owner
 * certainly no longer writes:
 *   - an earlier run of this very SLURM job (same SLURM_JOB_ID: SLURM requeued the job, after a time limit,
 *     a preemption or a node failure; it runs one instance of a job at a time);
 *   - a process of this host that is no longer running, or whose pid now belongs to a process that started at
 *     another time (or before the host restarted) than the lock records;
 *   - a SLURM job, on any host, that SLURM says is no longer running (ended, or unknown to the controller).
 * A live owner, or an owner whose liveness cannot be checked (another host and no SLURM job, SLURM not
 * answering, or a live pid of this host whose start time the lock does not record), makes acquisition fail
 * naming the owner and saying what was checked.
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
  /**
   * The owner process's start (Linux: `<boot id>:<start time in clock ticks since boot>`, from
   * /proc/sys/kernel/random/boot_id and field 22 of /proc/<pid>/stat), so that a process id reused by another
   * program after the owner died is told apart from the owner. Absent where /proc is not (and in older locks).
   */
  process?: string;
  slurm?: SlurmOwner;
}

/** `<boot id>:<start ticks>` of process `pid` of this host, or undefined (no such process, or no /proc). */
export function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (in parentheses, which may hold spaces): state is field 3, starttime field 22.
    const ticks = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[22 - 3];
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    return /^\d+$/.test(ticks ?? '') ? `${boot}:${ticks}` : undefined;
  } catch {
    return undefined;
  }
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
    const text = readFileSync(path, 'utf8');
    const o = JSON.parse(text) as LockOwner;
    if (repeatedKey(text)) return undefined;
    const optional = (x: unknown, type: string) => x === undefined || typeof x === type;
    return Number.isInteger(o.pid) && typeof o.host === 'string' && typeof o.started === 'string' && optional(o.process, 'string') && optional(o.slurm, 'object') ? o : undefined;
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
  if (owner.host === me.host && owner.pid !== me.pid) {
    if (!alive(owner.pid)) return { takeOver: true, reason: 'which is no longer running' };
    // The pid is in use: by the owner, or by another program that was given the dead owner's pid.
    const now = processStart(owner.pid);
    if (owner.process !== undefined && now !== undefined) {
      const [bootThen, ticksThen] = owner.process.split(':');
      const [bootNow, ticksNow] = now.split(':');
      if (bootThen !== bootNow) return { takeOver: true, reason: `which ran before this host restarted (boot id ${bootThen.slice(0, 8)}…, now ${bootNow.slice(0, 8)}…): pid ${owner.pid} is now another process` };
      if (ticksThen !== ticksNow) return { takeOver: true, reason: `which is no longer running: pid ${owner.pid} now belongs to a process that started at tick ${ticksNow} since boot, not ${ticksThen} as the lock's owner did (/proc/${owner.pid}/stat)` };
      if (!owner.slurm) return { takeOver: false, why: `; pid ${owner.pid} is running on this host and started when the lock's owner did (tick ${ticksNow} since boot, /proc/${owner.pid}/stat): it is the owner` };
    } else if (!owner.slurm) {
      return { takeOver: false, why: `; pid ${owner.pid} is running on this host, and ${owner.process === undefined ? 'the lock records no process start time' : `its start time cannot be read (/proc/${owner.pid}/stat)`}, so whether it is the owner or another program given the same pid cannot be told: if no sweep or merge writes to this folder, delete ${path}` };
    }
  }
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
  const start = processStart(process.pid);
  const me: LockOwner = { pid: process.pid, host: hostname(), started: new Date().toISOString(), ...(start ? { process: start } : {}), ...(slurm ? { slurm } : {}) };
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
