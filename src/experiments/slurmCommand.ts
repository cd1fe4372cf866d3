import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, closeSync, fstatSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fail, formatValue } from '../core/check';
import { FedPGError } from '../core/errors';
import { readExperiment } from './readExperiment';
import { planShards } from './shardPlan';
import {
  ARRAY_JOB_VARIABLE, mergeScript, parseSbatchOutput, parseSlurmArgs, type ScriptContext, shellCommand, SLURM_PLAN_FORMAT, SLURM_USAGE, type SlurmPlan, type SlurmRequest,
  sbatchArgs, sbatchEnvironment, slurmPaths, splitArgs, submittedOptions, taskScript,
} from './slurm';
import { preflightScript, preflightVerdict, type ProbeOutcome } from './slurmPreflight';
import { describeDifference, plannedSnapshot, readSnapshot, revisionVariable, type Snapshot, snapshotPaths, writeSnapshot } from './slurmSnapshot';
import { applyBudget, defaultResultsDir, expandJobs, type ExperimentSpec, shortHash } from './spec';
import { formatStatus, parseSacct, parseScontrol, parseSqueue, runStatus, SQUEUE_FORMAT, type TaskLogs, type TaskRecord } from './status';
import { completedJobIds } from './store';
import { writeAtomic } from './verifiedFile';
import { jobWeight } from './sweep';
import { readJSONFile } from '../mdp/io';

/** Run a scheduler command; undefined when it is not installed, fails or times out. */
function run(command: string, args: string[]): string | undefined {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'] });
  return r.error || r.status !== 0 ? undefined : r.stdout;
}

/** Whether `command` can be started (on PATH). */
function available(command: string): boolean {
  const r = spawnSync(command, ['--version'], { encoding: 'utf8', timeout: 30_000, stdio: 'ignore' });
  return !r.error;
}

/** This checkout or install of fedpg-lab (its package.json and dist/): what a snapshot copies. */
const packageRoot = () => resolve(__dirname, '..', '..');

/** Finished job ids of a results folder (none when it does not exist yet). */
const finished = (dir: string) => (existsSync(dir) ? completedJobIds(dir) : new Set<string>());

/** The scheduler's records of a plan's jobs, and which sources answered. */
function schedulerRecords(plan: SlurmPlan): { records: TaskRecord[]; sources: string[] } {
  const ids = [...new Set(plan.submissions.flatMap((s) => [s.arrayJob, s.mergeJob]).filter((x): x is string => x !== null))];
  const records: TaskRecord[] = [];
  const sources: string[] = [];
  const queue = run('squeue', ['-h', '-r', '-o', SQUEUE_FORMAT]);
  if (queue !== undefined) {
    sources.push('squeue');
    records.push(...parseSqueue(queue).filter((r) => ids.includes(r.job)));
  }
  if (ids.length === 0) return { records, sources };
  const acct = run('sacct', ['-n', '-P', '-X', '-j', ids.join(','), '-o', 'JobID,State,ExitCode']);
  if (acct !== undefined) {
    sources.push('sacct');
    records.push(...parseSacct(acct));
  }
  let scontrol = false;
  for (const id of ids) {
    const text = run('scontrol', ['-o', 'show', 'job', id]);
    if (text === undefined) continue;
    scontrol = true;
    records.push(...parseScontrol(text));
  }
  if (scontrol) sources.push('scontrol');
  return { records, sources };
}

/** The last `bytes` of a file (logs can grow long; only their end lines matter). */
function tail(path: string, bytes = 16_384): string {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, bytes);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    return buffer.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

function readLogs(dir: string): TaskLogs {
  const logs: TaskLogs = new Map();
  if (!existsSync(dir)) return logs;
  for (const name of readdirSync(dir)) if (/^(shard-\d+\.\d+|merge\.\d+)\.log$/.test(name)) logs.set(name, tail(join(dir, name)));
  return logs;
}

function readPlan(out: string): SlurmPlan | undefined {
  const path = slurmPaths(out).plan;
  if (!existsSync(path)) return undefined;
  const plan = readJSONFile(path, 'SLURM plan') as SlurmPlan;
  if (plan.format !== SLURM_PLAN_FORMAT) throw new FedPGError(`${path}: format must be "${SLURM_PLAN_FORMAT}", got ${formatValue(plan.format)}`);
  return plan;
}

/** Shards with a job not yet on disk (in its shard folder or in merged/). */
export function missingShards(plan: SlurmPlan, out: string): number[] {
  const merged = finished(slurmPaths(out).merged);
  return plan.shards
    .filter((s) => {
      const done = finished(slurmPaths(out).shard(s.index));
      return s.jobs.some((id) => !done.has(id) && !merged.has(id));
    })
    .map((s) => s.index);
}

/** The plan of a request: the budget-applied spec's jobs dealt to n shards by work. */
function makePlan(r: SlurmRequest, spec: ExperimentSpec, previous: SlurmPlan | undefined): SlurmPlan {
  const applied = applyBudget(spec, r.budget);
  const jobs = expandJobs(applied);
  if (r.tasks > jobs.length) fail('--tasks', r.tasks, `must be at most the ${jobs.length} jobs of ${spec.name}${r.budget ? ` (${r.budget})` : ''}, got ${r.tasks}`);
  const plan: SlurmPlan = {
    format: SLURM_PLAN_FORMAT,
    experiment: r.experiment,
    name: spec.name,
    budget: r.budget ?? null,
    specHash: shortHash(applied),
    totalJobs: jobs.length,
    tasks: r.tasks,
    balance: 'work',
    shards: planShards(jobs, r.tasks, 'work', jobWeight),
    submissions: previous?.submissions ?? [],
  };
  if (previous && previous.specHash !== plan.specHash) {
    throw new FedPGError(`the run in ${r.out} was planned for another spec (hash ${previous.specHash}, now ${plan.specHash}: experiment file or --budget changed); choose another --out`);
  }
  if (previous && previous.tasks !== plan.tasks) fail('--tasks', r.tasks, `must be ${previous.tasks}, the number of shards of the run already in ${r.out} (a job's shard depends on it), got ${r.tasks}`);
  return plan;
}

/** How long the preflight probe may wait in the queue and run (sbatch --wait), in seconds. */
export const PREFLIGHT_SECONDS = 300;

/**
 * Submit the preflight probe with `sbatch --wait` and judge what it found; throws with the message when a
 * check failed. The probe's log is removed when it passed.
 */
function preflight(out: string, env: NodeJS.ProcessEnv): void {
  const paths = slurmPaths(out);
  const res = spawnSync('sbatch', ['--parsable', '--wait', paths.preflightScript], { encoding: 'utf8', timeout: PREFLIGHT_SECONDS * 1000, stdio: ['ignore', 'pipe', 'pipe'], env });
  const job = /^\s*(\d+)/.exec(res.stdout ?? '')?.[1];
  const timedOut = (res.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  const outcome: ProbeOutcome = { ...(job ? { job } : {}), status: res.status, stderr: `${res.stderr ?? ''}${res.error && !timedOut ? res.error.message : ''}`, timedOut };
  if (timedOut && job) {
    const q = run('squeue', ['-h', '-j', job, '-o', '%T (%r)']);
    if (q?.trim()) outcome.queueState = q.trim();
    run('scancel', [job]);
  }
  const logPath = job ? join(paths.logs, `preflight.${job}.log`) : undefined;
  if (logPath && existsSync(logPath)) outcome.log = readFileSync(logPath, 'utf8');
  const problem = preflightVerdict(outcome, out, logPath, PREFLIGHT_SECONDS);
  if (problem !== undefined) throw new FedPGError(problem);
  if (logPath) rmSync(logPath, { force: true });
  const host = outcome.log ? /^fedpg-lab: preflight on ([^\s(]+)/m.exec(outcome.log)?.[1] : undefined;
  console.log(`preflight: job ${job}${host ? ` on ${host}` : ''} found the run's folder, node and the snapshot usable`);
}

/**
 * The snapshot the tasks of this submission run: the run's existing one, or a new one of the current code
 * (the first time, or with --allow-revision-change when the code changed). Says what differs when the
 * current code is not the run's snapshot. `write` false (dry run): nothing is copied.
 */
function chooseSnapshot(r: SlurmRequest, spec: ExperimentSpec, out: string, write: boolean): Snapshot {
  const planned = plannedSnapshot(packageRoot(), r.experiment, applyBudget(spec, r.budget));
  const existing = readSnapshot(out);
  if (existing && existing.id === planned.snapshot.id) return existing;
  if (existing && !r.allowRevisionChange) {
    console.error(
      `fedpg-lab: the current code or inputs differ from the run's snapshot ${existing.id} (${describeDifference(existing, planned.snapshot)}); the tasks run the snapshot, the code that was first submitted. To run the current code instead, pass --allow-revision-change (its runs are then recorded under their own revision)`,
    );
    return existing;
  }
  if (existing) console.error(`fedpg-lab: --allow-revision-change: the tasks run a new snapshot ${planned.snapshot.id} of the current code (${describeDifference(existing, planned.snapshot)})`);
  if (write) writeSnapshot(out, planned);
  return planned.snapshot;
}

/**
 * `fedpg-lab slurm`: snapshot the code and inputs, write the array, merge and preflight scripts and the
 * plan, run the preflight probe, then submit the shards that still miss jobs (all of them the first time)
 * and the merge after them. With --dry-run, print what would be written and submitted, and write nothing.
 */
export function slurmCommand(argv: string[]): number {
  const r0 = parseSlurmArgs(argv, (p) => resolve(p));
  const spec = readExperiment(r0.experiment);
  const r: SlurmRequest = { ...r0, out: r0.out ?? defaultResultsDir(spec.name, r0.budget, '-slurm') };
  const out = r.out as string;
  const paths = slurmPaths(out);
  const previous = readPlan(out);
  const plan = makePlan(r, spec, previous);
  const missing = missingShards(plan, out);
  const mergeNeeded = finished(paths.merged).size < plan.totalJobs;
  if (!r.dryRun && previous && previous.submissions.length > 0 && available('squeue')) {
    const live = schedulerRecords(previous).records.filter((x) => x.source === 'squeue');
    if (live.length > 0) {
      const jobs = live.map((x) => (x.task === null ? x.job : `${x.job}_${x.task}`));
      throw new FedPGError(`${out} still has jobs in the queue (${jobs.join(', ')}: ${live[0].state.toLowerCase()}); wait for them (fedpg-lab status ${out}) or scancel them, then submit again`);
    }
  }
  if (!r.dryRun) {
    mkdirSync(paths.scripts, { recursive: true });
    mkdirSync(paths.logs, { recursive: true }); // sbatch does not create the folder of --output
  }
  const snapshot = chooseSnapshot(r, spec, out, !r.dryRun);
  const snap = snapshotPaths(out);
  const node = r.node ?? process.execPath;
  const ctx: ScriptContext = { name: plan.name, node, cli: snap.cli, experiment: join(snap.root, snapshot.experiment), out, revision: revisionVariable(snapshot.revision) };
  const commands = sbatchArgs(r, out, missing, missing.length > 0 ? ARRAY_JOB_VARIABLE : null);
  const lines = [...(commands.array ? [`ARRAY_JOB=$(${shellCommand(['sbatch', ...commands.array])})`] : []), shellCommand(['sbatch', ...commands.merge])];
  if (r.dryRun) {
    console.log(`# ${paths.taskScript}\n${taskScript(r, ctx)}\n# ${paths.mergeScript}\n${mergeScript(r, ctx)}`);
    console.log(`# ${plan.totalJobs} jobs in ${plan.tasks} shards; estimated work per shard: ${plan.shards.map((s) => s.weight).join(', ')}`);
    console.log(`# code: snapshot ${snapshot.id} of revision ${revisionVariable(snapshot.revision)} (${Object.keys(snapshot.files).length} files, copied into ${snap.root})`);
    if (!mergeNeeded) console.log('# nothing to submit: every job is in merged/');
    else console.log(lines.join('\n'));
    return 0;
  }
  writeAtomic(paths.taskScript, taskScript(r, ctx));
  writeAtomic(paths.mergeScript, mergeScript(r, ctx));
  writeAtomic(paths.preflightScript, preflightScript(r, ctx));
  writeAtomic(paths.plan, `${JSON.stringify(plan, null, 1)}\n`);
  if (!mergeNeeded) {
    console.log(`nothing to submit: all ${plan.totalJobs} jobs are in ${paths.merged}`);
    return 0;
  }
  if (!available('sbatch')) {
    console.error(`sbatch is not on PATH: wrote ${paths.taskScript} and ${paths.mergeScript}; on the cluster's login node run\n${lines.map((l) => `  ${l}`).join('\n')}\nor run this command there.`);
    return 1;
  }
  const { env, removed } = sbatchEnvironment(process.env);
  if (removed.length > 0) console.error(`fedpg-lab: not passed on to sbatch: ${removed.join(', ')} (they would override what the generated scripts set)`);
  if (r.preflight) preflight(out, env);
  const submit = (args: string[]) => {
    const res = spawnSync('sbatch', args, { encoding: 'utf8', timeout: 60_000, env });
    if (res.error || res.status !== 0) throw new FedPGError(`${shellCommand(['sbatch', ...args])} failed: ${(res.stderr || res.error?.message || '').trim()}`);
    return parseSbatchOutput(res.stdout);
  };
  const arrayJob = commands.array ? submit(commands.array) : null;
  const mergeJob = submit(sbatchArgs(r, out, missing, arrayJob).merge);
  plan.submissions.push({ arrayJob, mergeJob, shards: missing, submitted: new Date().toISOString(), snapshot: snapshot.id, options: submittedOptions(r, node) });
  writeAtomic(paths.plan, `${JSON.stringify(plan, null, 1)}\n`);
  const todo = plan.shards.filter((s) => missing.includes(s.index)).reduce((n, s) => n + s.jobs.length, 0);
  console.log(
    arrayJob
      ? `submitted array job ${arrayJob}: ${missing.length} of ${plan.tasks} shards (${todo} of ${plan.totalJobs} jobs, those already on disk are skipped), and merge job ${mergeJob} after it`
      : `every shard is complete: submitted merge job ${mergeJob}`,
  );
  console.log(`code: snapshot ${snapshot.id} of revision ${revisionVariable(snapshot.revision)}\nlogs: ${paths.logs}\nresults: ${paths.merged}\nprogress: fedpg-lab status ${out}`);
  return 0;
}

/** `fedpg-lab status DIR`: 0 when every job is merged, 1 when a task failed, 3 while work is left. */
export function statusCommand(argv: string[]): number {
  const { positional } = splitArgs(argv, [], []);
  if (positional.length !== 1) fail('status', positional, `takes one folder (the --out of fedpg-lab slurm), got ${positional.length}`);
  const out = resolve(positional[0]);
  const plan = readPlan(out);
  if (!plan) throw new FedPGError(`${out}: no slurm/plan.json (not a folder written by \`${SLURM_USAGE.split(' <')[0]}\`)`);
  const paths = slurmPaths(out);
  const { records, sources } = schedulerRecords(plan);
  const status = runStatus(plan, plan.shards.map((s) => finished(paths.shard(s.index))), finished(paths.merged), records, readLogs(paths.logs), sources);
  console.log(formatStatus(status, paths.logs));
  if (status.merged.state === 'done') return 0;
  return status.shardCounts.failed > 0 || status.merged.state === 'failed' ? 1 : 3;
}

/** The `slurm` and `status` commands of the CLI. */
export function clusterCommand(command: 'slurm' | 'status', argv: string[]): number {
  return command === 'slurm' ? slurmCommand(argv) : statusCommand(argv);
}
