import type { SlurmPlan } from './slurm';

/**
 * Progress of a SLURM run from what is on disk (finished jobs per shard folder, the tasks' logs) and what
 * the scheduler says when it can be asked (squeue for live tasks; sacct, or scontrol while the controller
 * still remembers the job, for finished ones). Pure functions: the I/O is in slurmCommand.ts.
 */

/** What the scheduler says about one array task (`task` null for a job that is not an array, the merge). */
export interface TaskRecord {
  job: string;
  task: number | null;
  state: string;
  exitCode?: string;
  /** Why a pending job waits (squeue's %r, scontrol's Reason): Resources, Priority, BeginTime, PartitionConfig, … */
  reason?: string;
  source: 'squeue' | 'sacct' | 'scontrol';
}

/** Where a shard of a cluster run stands. */
export type ShardState = 'done' | 'running' | 'pending' | 'failed' | 'missing';
/** The shard states, in the order the status lists them. */
export const SHARD_STATES: readonly ShardState[] = ['done', 'running', 'pending', 'failed', 'missing'];

/** The logs of a run's tasks: file name → text (only the last lines matter). */
export type TaskLogs = Map<string, string>;

/** One shard's progress: its jobs, how many are done, its state and why. */
export interface ShardStatus {
  index: number;
  jobs: number;
  done: number;
  state: ShardState;
  /** Why it is in this state (scheduler state, exit status, …). */
  detail: string;
  /** The log of its latest task, when there is one (file name inside logs/). */
  log?: string;
}

/** A cluster run's progress, shard by shard (`runStatus`). */
export interface RunStatus {
  name: string;
  budget: string | null;
  shards: ShardStatus[];
  /** Shards per state. */
  shardCounts: Record<ShardState, number>;
  /** Jobs per state of their shard (a job is 'done' once its result is on disk). */
  jobCounts: Record<ShardState, number>;
  totalJobs: number;
  merged: { jobs: number; state: ShardState; detail: string; log?: string };
  /** Which sources of scheduler information answered. */
  scheduler: string[];
}

const LIVE_RUNNING = new Set(['RUNNING', 'COMPLETING', 'CONFIGURING', 'STAGE_OUT', 'SIGNALING', 'RESIZING']);
const LIVE_PENDING = new Set(['PENDING', 'REQUEUED', 'REQUEUE_HOLD', 'REQUEUE_FED', 'SUSPENDED', 'STOPPED', 'RESV_DEL_HOLD']);
const FAILED = new Set(['FAILED', 'TIMEOUT', 'CANCELLED', 'OUT_OF_MEMORY', 'NODE_FAIL', 'PREEMPTED', 'BOOT_FAIL', 'DEADLINE', 'REVOKED', 'SPECIAL_EXIT']);

/** The squeue format `parseSqueue` reads: array job id, task id ("N/A" for plain jobs), state, reason. */
export const SQUEUE_FORMAT = '%F|%K|%T|%r';

/** `squeue -h -r -o '%F|%K|%T|%r'` lines: array job id, task id ("N/A" for plain jobs), state, reason. */
export function parseSqueue(text: string): TaskRecord[] {
  return text
    .split('\n')
    .map((l) => l.trim().split('|'))
    .filter((f) => f.length >= 3 && /^\d+$/.test(f[0]))
    .map(([job, task, state, reason]) => ({
      job,
      task: /^\d+$/.test(task) ? Number(task) : null,
      state,
      ...(reason && reason !== 'None' && reason !== '(null)' ? { reason } : {}),
      source: 'squeue' as const,
    }));
}

/**
 * What a pending job's reason means for the user, when it is more than "wait": reasons with which the job
 * can never start as submitted (scancel it and submit with other options), and the wait after a requeue.
 * The reason codes are SLURM's (squeue(1), "JOB REASON CODES").
 */
export function pendingHint(reason: string): string | undefined {
  if (reason === 'BeginTime') return 'not before its begin time (a requeued task waits a moment before it starts again)';
  if (reason === 'Dependency') return 'waiting for the shards';
  if (reason === 'DependencyNeverSatisfied') return 'can never start: a job it depends on failed (scancel it)';
  if (/^(PartitionConfig|BadConstraints|PartitionNodeLimit|PartitionTimeLimit|InvalidAccount|InvalidQOS|AccountNotAllowed|QOSNotAllowed|InactiveLimit)$/.test(reason) || /(MaxCpuPerJob|MaxNodePerJob|MaxWallDurationPerJob|MaxMemPerJob|MinCpuNotSatisfied|MaxGRESPerJob|MaxTRESPerJob|MinTRES)/.test(reason)) {
    return 'can never start as submitted (the request exceeds what the partition, its nodes or your limits allow): scancel the run\'s jobs and submit again with other --partition, --cpus-per-task, --mem, --time or --sbatch-option';
  }
  if (/held/i.test(reason) || /^Job(Held|Hold)/.test(reason)) return 'held: scontrol release it, or scancel it';
  return undefined;
}

/**
 * `sacct -n -P -X -o JobID,State,ExitCode` lines: "12_3|FAILED|1:0", "13|COMPLETED|0:0"; a pending array's
 * "12_[4-6]" line is skipped (squeue reports those). State "CANCELLED by 0" keeps its first word.
 */
export function parseSacct(text: string): TaskRecord[] {
  const out: TaskRecord[] = [];
  for (const line of text.split('\n')) {
    const [id, state, exitCode] = line.trim().split('|');
    const m = /^(\d+)(?:_(\d+))?$/.exec(id ?? '');
    if (!m || !state) continue;
    out.push({ job: m[1], task: m[2] === undefined ? null : Number(m[2]), state: state.split(' ')[0], ...(exitCode ? { exitCode } : {}), source: 'sacct' });
  }
  return out;
}

/** `scontrol -o show job ID` lines (one per task): JobId=, ArrayJobId=, ArrayTaskId=, JobState=, Reason=, ExitCode=. */
export function parseScontrol(text: string): TaskRecord[] {
  const out: TaskRecord[] = [];
  for (const line of text.split('\n')) {
    const field = (k: string) => new RegExp(`(?:^|\\s)${k}=(\\S+)`).exec(line)?.[1];
    const jobId = field('JobId');
    const state = field('JobState');
    if (!jobId || !state) continue;
    const arrayJob = field('ArrayJobId');
    const task = field('ArrayTaskId');
    if (arrayJob !== undefined && (task === undefined || !/^\d+$/.test(task))) continue; // a pending range
    const exitCode = field('ExitCode');
    const reason = field('Reason');
    out.push({ job: arrayJob ?? jobId, task: arrayJob !== undefined ? Number(task) : null, state, ...(exitCode ? { exitCode } : {}), ...(reason && reason !== 'None' ? { reason } : {}), source: 'scontrol' });
  }
  return out;
}

/** The exit status the task script prints when it ends ("fedpg-lab: shard 2 ended with exit status 1"). */
export function logExitStatus(text: string): number | undefined {
  const all = [...text.matchAll(/^fedpg-lab: (?:shard \d+|merge) ended with exit status (\d+)$/gm)];
  return all.length > 0 ? Number(all[all.length - 1][1]) : undefined;
}

/** What slurmstepd writes into the log of a task it stopped ("… CANCELLED AT … DUE TO TIME LIMIT ***"). */
export function logCancellation(text: string): string | undefined {
  return /\*\*\* (?:JOB|STEP) \S+ ON \S+ CANCELLED AT \S+(?: DUE TO ([A-Z ]+?))? \*\*\*/.exec(text)?.[0];
}

/** The record of (job, task): live (squeue) first, then sacct, then scontrol. */
function recordOf(records: TaskRecord[], job: string, task: number | null): TaskRecord | undefined {
  const mine = records.filter((r) => r.job === job && r.task === task);
  return mine.find((r) => r.source === 'squeue') ?? mine.find((r) => r.source === 'sacct') ?? mine.find((r) => r.source === 'scontrol');
}

/**
 * The state of one submitted task that has not finished its jobs: what the scheduler says when it knows the
 * task (a pending one with SLURM's reason), else what its log says (the exit-status line of the script,
 * slurmstepd's cancellation line), else 'running' when the log is open and no scheduler answered, and
 * 'failed' when one answered and no longer knows the task (with no log: it never started, or SLURM could not
 * write its log, which happens when the run's folder is not visible from the compute nodes).
 */
export function taskState(record: TaskRecord | undefined, log: string | undefined, schedulerAnswered: boolean): { state: ShardState; detail: string } {
  if (record && LIVE_RUNNING.has(record.state)) return { state: 'running', detail: record.state.toLowerCase() };
  if (record && LIVE_PENDING.has(record.state)) {
    const hint = record.reason ? pendingHint(record.reason) : undefined;
    return { state: 'pending', detail: `${record.state.toLowerCase()}${record.reason ? ` (${record.reason}${hint ? `: ${hint}` : ''})` : ''}` };
  }
  const noLog = "; it wrote no log: it never started, or SLURM could not open its log (is the run's folder visible from the compute nodes?)";
  if (record && FAILED.has(record.state)) return { state: 'failed', detail: `${record.state}${record.exitCode ? ` (exit code ${record.exitCode})` : ''}${log === undefined && (record.state === 'FAILED' || record.state === 'BOOT_FAIL') ? noLog : ''}` };
  if (log !== undefined) {
    // A requeued task appends to its log: only its latest run (from its last start line) tells its state.
    const starts = [...log.matchAll(/^fedpg-lab: shard \d+ of \d+, job /gm)];
    const latest = starts.length > 0 ? log.slice(starts[starts.length - 1].index) : log;
    const status = logExitStatus(latest);
    const cancelled = logCancellation(latest);
    if (cancelled && /DUE TO JOB REQUEUE/.test(cancelled) && status === undefined) return { state: 'pending', detail: 'requeued: it runs again from its checkpoints' };
    if (cancelled) return { state: 'failed', detail: cancelled.replace(/\*/g, '').trim() };
    if (status !== undefined) return { state: 'failed', detail: `ended with exit status ${status}${status === 0 ? ' with jobs missing' : ''}` };
    if (record?.state === 'COMPLETED') return { state: 'failed', detail: 'COMPLETED with jobs missing' };
    if (!schedulerAnswered) return { state: 'running', detail: 'log open, no end line yet (no scheduler to ask)' };
    return { state: 'failed', detail: 'the scheduler no longer lists it and its log has no end line (killed?)' };
  }
  if (record) return { state: 'failed', detail: `${record.state} with jobs missing${noLog}` };
  if (schedulerAnswered) return { state: 'failed', detail: `SLURM no longer knows it${noLog}` };
  return { state: 'missing', detail: 'no log yet, and no scheduler to ask (queued, or never started)' };
}

/** The newest log of shard i (file "shard-<i>.<array job>.log", the largest job id) and that job id. */
export function latestShardLog(names: Iterable<string>, shard: number): { name: string; job: string } | undefined {
  let best: { name: string; job: string } | undefined;
  for (const name of names) {
    const m = /^shard-(\d+)\.(\d+)\.log$/.exec(name);
    if (m && Number(m[1]) === shard && (!best || Number(m[2]) > Number(best.job))) best = { name, job: m[2] };
  }
  return best;
}

/** The job id of the newest merge log ("merge.<job id>.log"). */
function latestMergeLog(names: Iterable<string>): string | undefined {
  const ids = [...names].map((n) => /^merge\.(\d+)\.log$/.exec(n)?.[1]).filter((x): x is string => x !== undefined);
  return ids.sort((a, b) => Number(b) - Number(a))[0];
}

/** Everything `fedpg-lab status` reports, from the plan, finished job ids, scheduler records and logs. */
export function runStatus(plan: SlurmPlan, doneByShard: Set<string>[], mergedDone: Set<string>, records: TaskRecord[], logs: TaskLogs, scheduler: string[]): RunStatus {
  const answered = scheduler.length > 0;
  const shards = plan.shards.map((s): ShardStatus => {
    const done = s.jobs.filter((id) => doneByShard[s.index]?.has(id) || mergedDone.has(id)).length;
    // The array job of its latest submission; for scripts submitted by hand (no submission recorded), the
    // newest log's.
    const latestLog = latestShardLog(logs.keys(), s.index);
    const arrayJob = [...plan.submissions].reverse().find((x) => x.arrayJob !== null && x.shards.includes(s.index))?.arrayJob ?? latestLog?.job;
    const ownLog = arrayJob !== undefined ? `shard-${s.index}.${arrayJob}.log` : undefined;
    const logName = ownLog && logs.has(ownLog) ? ownLog : latestLog?.name;
    const base = { index: s.index, jobs: s.jobs.length, done, ...(logName ? { log: logName } : {}) };
    if (done === s.jobs.length) return { ...base, state: 'done', detail: 'all jobs on disk' };
    if (arrayJob === undefined) return { ...base, state: 'missing', detail: 'never submitted' };
    return { ...base, ...taskState(recordOf(records, arrayJob, s.index), ownLog ? logs.get(ownLog) : undefined, answered) };
  });
  const count = () => Object.fromEntries(SHARD_STATES.map((k) => [k, 0])) as Record<ShardState, number>;
  const shardCounts = count();
  const jobCounts = count();
  for (const s of shards) {
    shardCounts[s.state]++;
    jobCounts.done += s.done;
    if (s.state !== 'done') jobCounts[s.state] += s.jobs - s.done;
  }
  const mergeJob = plan.submissions[plan.submissions.length - 1]?.mergeJob ?? latestMergeLog(logs.keys());
  const mergeLog = mergeJob !== undefined ? `merge.${mergeJob}.log` : undefined;
  const mergedJobs = mergedDone.size;
  const mergeRecord = mergeJob !== undefined ? recordOf(records, mergeJob, null) : undefined;
  const merged =
    mergedJobs === plan.totalJobs ? { state: 'done' as const, detail: 'every job merged' }
    : mergeJob === undefined ? { state: 'missing' as const, detail: 'never submitted' }
    : mergeRecord?.state === 'CANCELLED' && !(mergeLog && logs.has(mergeLog)) && shardCounts.failed > 0
      ? { state: 'failed' as const, detail: 'cancelled before it ran: a shard failed, so the merge\'s afterok dependency cannot be met' }
    : taskState(mergeRecord, mergeLog && logs.has(mergeLog) ? logs.get(mergeLog) : undefined, answered);
  return {
    name: plan.name,
    budget: plan.budget,
    shards,
    shardCounts,
    jobCounts,
    totalJobs: plan.totalJobs,
    merged: { jobs: mergedJobs, ...merged, ...(mergeLog && logs.has(mergeLog) ? { log: mergeLog } : {}) },
    scheduler,
  };
}

/** The report as text: a line per shard, totals, the merge, and each failed task's log path. */
export function formatStatus(s: RunStatus, logsDir: string): string {
  const states = (c: Record<ShardState, number>) => SHARD_STATES.map((k) => `${c[k]} ${k}`).join(', ');
  const width = String(s.shards.length - 1).length;
  const lines = [
    `${s.name}${s.budget ? ` (${s.budget})` : ''}: ${s.jobCounts.done}/${s.totalJobs} jobs done; scheduler: ${s.scheduler.length > 0 ? s.scheduler.join(', ') : 'not reachable (from files only)'}`,
    ...s.shards.map((x) => `  shard ${String(x.index).padStart(width)}  ${x.state.padEnd(7)}  ${x.done}/${x.jobs} jobs  ${x.detail}`),
    `shards: ${states(s.shardCounts)}`,
    `jobs:   ${states(s.jobCounts)}`,
    `merged: ${s.merged.state} (${s.merged.jobs}/${s.totalJobs} jobs)${s.merged.state === 'done' ? '' : `, ${s.merged.detail}`}`,
  ];
  const failed = s.shards.filter((x) => x.state === 'failed');
  if (failed.length > 0 || s.merged.state === 'failed') {
    lines.push('failed:');
    for (const x of failed) lines.push(`  shard ${x.index}: ${x.log ? `${logsDir}/${x.log}` : 'no log'}`);
    if (s.merged.state === 'failed') lines.push(`  merge: ${s.merged.log ? `${logsDir}/${s.merged.log}` : 'no log (it never ran)'}`);
  }
  return lines.join('\n');
}
