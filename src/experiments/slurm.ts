import { join } from 'node:path';
import { fail, formatValue } from '../core/check';

/**
 * Layout of a SLURM run's folder (`--out DIR`, on a filesystem shared by the login and compute nodes):
 *   slurm/shards.sh   the array script: task i runs shard i of n (`sweep --shard i/n --balance work`)
 *   slurm/merge.sh    the merge job, submitted with --dependency=afterok:<array job>
 *   slurm/plan.json   the experiment, budget, spec hash, n, each shard's job ids and work, the submissions
 *   logs/shard-<i>.<array job id>.log   one log per task and submission; logs/merge.<job id>.log
 *   shards/<i>/       shard i's results folder (one sweep per folder)
 *   merged/           every job's results, once the merge has run: what a notebook loads
 * Every job of shard i lands in shards/<i>/runs/ as it finishes, so a re-submission runs only the jobs that
 * are missing there (sweeps skip finished jobs).
 */
export const slurmPaths = (out: string) => ({
  scripts: join(out, 'slurm'),
  taskScript: join(out, 'slurm', 'shards.sh'),
  mergeScript: join(out, 'slurm', 'merge.sh'),
  plan: join(out, 'slurm', 'plan.json'),
  logs: join(out, 'logs'),
  shard: (i: number) => join(out, 'shards', String(i)),
  merged: join(out, 'merged'),
});

/** What `fedpg-lab slurm` was asked for, validated. */
export interface SlurmRequest {
  /** Absolute path of the experiment file. */
  experiment: string;
  budget?: string;
  /** n: array tasks, one shard each. */
  tasks: number;
  partition?: string;
  /** SLURM time limit per task ("30", "2:00:00", "1-12", …). */
  time?: string;
  /** Memory per node ("4G", "500M", "2000"). */
  mem?: string;
  cpusPerTask?: number;
  /** k: at most this many tasks at once (`--array=…%k`). */
  maxRunning?: number;
  /** Absolute path of the run's folder. */
  out?: string;
  dryRun: boolean;
}

/** What the scripts call: this checkout's node and built CLI, by absolute path. */
export interface ScriptContext {
  /** The experiment's name (job names). */
  name: string;
  node: string;
  cli: string;
  out: string;
}

/** The usage line of `fedpg-lab slurm`. */
export const SLURM_USAGE =
  'fedpg-lab slurm <experiment.json> [--budget NAME] --tasks n [--partition P] [--time T] [--mem M] [--cpus-per-task c] [--max-running k] [--out DIR] [--dry-run]';

const FLAGS = ['budget', 'tasks', 'partition', 'time', 'mem', 'cpus-per-task', 'max-running', 'out', 'dry-run'] as const;

/**
 * Split `--flag value`, `--flag=value` and the bare switch `--dry-run`; refuses unknown, repeated and
 * value-less flags naming them.
 */
export function splitArgs(argv: string[], flags: readonly string[], switches: readonly string[]): { positional: string[]; values: Map<string, string> } {
  const positional: string[] = [];
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
    if (!flags.includes(name)) fail(`--${name}`, a, flags.length === 0 ? 'is not an option: this command takes none' : `is not an option of this command (options: ${flags.map((f) => `--${f}`).join(', ')})`);
    if (values.has(name)) fail(`--${name}`, a, 'is given twice');
    if (switches.includes(name)) {
      if (eq >= 0) fail(`--${name}`, a.slice(eq + 1), 'takes no value');
      values.set(name, '');
      continue;
    }
    const value = eq >= 0 ? a.slice(eq + 1) : argv[++i];
    if (value === undefined || (eq < 0 && value.startsWith('--'))) fail(`--${name}`, value, 'needs a value');
    values.set(name, value);
  }
  return { positional, values };
}

/** A whole number ≥ 1 written in decimal digits (so '1e3', '2.0', ' 3' and '' are refused). */
export function parseCount(flag: string, text: string): number {
  if (!/^[0-9]+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) fail(flag, text, `must be a whole number ≥ 1, got ${formatValue(text)}`);
  return Number(text);
}

/** SLURM's time formats: M, M:S, H:M:S, D-H, D-H:M, D-H:M:S (sbatch --time), not zero. */
export function parseSlurmTime(text: string): string {
  const ok = /^(\d+-\d+(:\d+(:\d+)?)?|\d+(:\d+(:\d+)?)?)$/.test(text);
  if (!ok || !/[1-9]/.test(text)) fail('--time', text, `must be a SLURM time limit (minutes, H:M:S or D-H:M:S), got ${formatValue(text)}`);
  return text;
}

/** SLURM's memory sizes: a whole number ≥ 1 with an optional unit K, M, G or T (sbatch --mem). */
export function parseSlurmMemory(text: string): string {
  if (!/^[0-9]+[KMGT]?$/.test(text) || !/[1-9]/.test(text)) fail('--mem', text, `must be a size such as 4G, 500M or 2000 (MB), got ${formatValue(text)}`);
  return text;
}

/** A partition name, or a comma-separated list of them. */
export function parsePartition(text: string): string {
  if (!/^[A-Za-z0-9_.-]+(,[A-Za-z0-9_.-]+)*$/.test(text)) fail('--partition', text, `must be a partition name (letters, digits, '_', '.', '-'; several separated by commas), got ${formatValue(text)}`);
  return text;
}

/**
 * A folder usable in `#SBATCH --output=…` lines: sbatch reads those without a shell, so a blank would
 * end the path and '%' starts one of its file-name patterns.
 */
export function checkDirectivePath(flag: string, path: string): string {
  if (path === '' || /[\s%"'\\]/.test(path) || /[\x00-\x1f]/.test(path)) fail(flag, path, `must be a folder path without blanks, quotes, backslashes or '%' (it is written into #SBATCH lines), got ${formatValue(path)}`);
  return path;
}

/** Parse and validate `fedpg-lab slurm` arguments; `resolvePath` makes paths absolute. */
export function parseSlurmArgs(argv: string[], resolvePath: (p: string) => string): SlurmRequest {
  const { positional, values } = splitArgs(argv, FLAGS, ['dry-run']);
  if (positional.length !== 1) fail('slurm', positional, `takes one experiment file, got ${positional.length} (usage: ${SLURM_USAGE})`);
  const get = (k: string) => values.get(k);
  const budget = get('budget');
  if (budget === '' || (budget !== undefined && !/^[A-Za-z0-9._-]+$/.test(budget))) fail('--budget', budget, `must be a budget name, got ${formatValue(budget)}`);
  const tasks = get('tasks');
  if (tasks === undefined) fail('--tasks', tasks, 'is required: the number of array tasks (shards)');
  const out = get('out');
  return {
    experiment: resolvePath(positional[0]),
    ...(budget !== undefined ? { budget } : {}),
    tasks: parseCount('--tasks', tasks),
    ...(get('partition') !== undefined ? { partition: parsePartition(get('partition') as string) } : {}),
    ...(get('time') !== undefined ? { time: parseSlurmTime(get('time') as string) } : {}),
    ...(get('mem') !== undefined ? { mem: parseSlurmMemory(get('mem') as string) } : {}),
    ...(get('cpus-per-task') !== undefined ? { cpusPerTask: parseCount('--cpus-per-task', get('cpus-per-task') as string) } : {}),
    ...(get('max-running') !== undefined ? { maxRunning: parseCount('--max-running', get('max-running') as string) } : {}),
    ...(out !== undefined ? { out: checkDirectivePath('--out', out === '' ? out : resolvePath(out)) } : {}),
    dryRun: values.has('dry-run'),
  };
}

/**
 * An sbatch --array value for these task indices: runs of consecutive indices as ranges, then `%k`.
 * [0, 1, 2], k = 2 → "0-2%2"; [1, 4, 5, 6] → "1,4-6".
 */
export function arraySpec(indices: readonly number[], maxRunning?: number): string {
  const sorted = [...new Set(indices)].sort((a, b) => a - b);
  if (sorted.length === 0) fail('indices', indices, 'must name at least one array task');
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return `${parts.join(',')}${maxRunning !== undefined ? `%${maxRunning}` : ''}`;
}

/** Quote for bash: single quotes, with each ' written as '\''. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** #SBATCH lines shared by the array and the merge job. */
function resourceDirectives(r: SlurmRequest, withCpus: boolean): string[] {
  return [
    '#SBATCH --ntasks=1',
    ...(r.partition ? [`#SBATCH --partition=${r.partition}`] : []),
    ...(r.time ? [`#SBATCH --time=${r.time}`] : []),
    ...(r.mem ? [`#SBATCH --mem=${r.mem}`] : []),
    ...(withCpus && r.cpusPerTask ? [`#SBATCH --cpus-per-task=${r.cpusPerTask}`] : []),
  ];
}

/**
 * The array script: task i (SLURM_ARRAY_TASK_ID) sweeps shard i of n into shards/<i>/, with as many
 * worker threads as SLURM gave it CPUs. n is written into the script rather than read from
 * SLURM_ARRAY_TASK_COUNT: a re-submission of the missing shards is a sparse array (e.g. --array=1,4) whose
 * task count is not n, and the shard of a job depends on n.
 */
export function taskScript(r: SlurmRequest, ctx: ScriptContext): string {
  const p = slurmPaths(ctx.out);
  const q = shellQuote;
  const sweep = [q(ctx.node), q(ctx.cli), 'sweep', q(r.experiment), ...(r.budget ? ['--budget', q(r.budget)] : [])];
  return [
    '#!/bin/bash',
    `# fedpg-lab: ${ctx.name}${r.budget ? ` (budget ${r.budget})` : ''} as ${r.tasks} shards balanced by work; written by \`fedpg-lab slurm\`.`,
    `#SBATCH --job-name=fedpg-${ctx.name}`,
    `#SBATCH --array=${arraySpec(Array.from({ length: r.tasks }, (_, i) => i), r.maxRunning)}`,
    `#SBATCH --output=${p.logs}/shard-%a.%A.log`,
    ...resourceDirectives(r, true),
    'set -euo pipefail',
    `shards=${r.tasks}`,
    'shard="${SLURM_ARRAY_TASK_ID:?submit this script with sbatch: it is an array job}"',
    'if [ "$shard" -ge "$shards" ]; then echo "fedpg-lab: array index $shard is not one of the $shards shards" >&2; exit 2; fi',
    `trap 'echo "fedpg-lab: shard $shard ended with exit status $?"' EXIT`,
    'echo "fedpg-lab: shard $shard of $shards, job ${SLURM_ARRAY_JOB_ID:-?}_${shard} on $(hostname)"',
    `${sweep.join(' ')} --shard "$shard/$shards" --balance work --workers "\${SLURM_CPUS_PER_TASK:-1}" --out ${q(join(ctx.out, 'shards'))}/"$shard"`,
    '',
  ].join('\n');
}

/** The merge job: every shard folder into merged/ (fails, naming them, while jobs are missing). */
export function mergeScript(r: SlurmRequest, ctx: ScriptContext): string {
  const p = slurmPaths(ctx.out);
  const q = shellQuote;
  const shards = Array.from({ length: r.tasks }, (_, i) => q(p.shard(i)));
  return [
    '#!/bin/bash',
    `# fedpg-lab: merge the ${r.tasks} shards of ${ctx.name}${r.budget ? ` (budget ${r.budget})` : ''}; written by \`fedpg-lab slurm\`.`,
    `#SBATCH --job-name=fedpg-${ctx.name}-merge`,
    `#SBATCH --output=${p.logs}/merge.%j.log`,
    ...resourceDirectives(r, false),
    'set -euo pipefail',
    `trap 'echo "fedpg-lab: merge ended with exit status $?"' EXIT`,
    `${q(ctx.node)} ${q(ctx.cli)} merge --out ${q(p.merged)} ${shards.join(' ')}`,
    '',
  ].join('\n');
}

/**
 * The sbatch command lines of a submission: the array (all shards, or only `indices` when re-submitting)
 * and the merge, which waits for every task of the array to succeed (afterok on the array job id) and is
 * cancelled if one fails (--kill-on-invalid-dep), instead of waiting forever.
 */
export function sbatchArgs(r: SlurmRequest, out: string, indices: readonly number[] | null, arrayJob: string | null): { array: string[] | null; merge: string[] } {
  const p = slurmPaths(out);
  const full = indices !== null && indices.length === r.tasks;
  return {
    array: indices === null || indices.length === 0 ? null : ['--parsable', ...(full ? [] : [`--array=${arraySpec(indices, r.maxRunning)}`]), p.taskScript],
    merge: ['--parsable', ...(arrayJob ? [`--dependency=afterok:${arrayJob}`, '--kill-on-invalid-dep=yes'] : []), p.mergeScript],
  };
}

/** The job id in `sbatch --parsable` output ("123" or "123;cluster"). */
export function parseSbatchOutput(text: string): string {
  const m = /^\s*(\d+)(;\S*)?\s*$/.exec(text);
  if (!m) fail('sbatch output', text, `is not a job id, got ${formatValue(text)}`);
  return m[1];
}

/** Format tag of slurm/plan.json. */
export const SLURM_PLAN_FORMAT = 'fedpg-lab/slurm-plan@1';

/** One `fedpg-lab slurm` submission: the array job (absent when no shard was missing) and the merge job. */
export interface SlurmSubmission {
  arrayJob: string | null;
  mergeJob: string;
  shards: number[];
  submitted: string;
}

/** slurm/plan.json: which jobs each shard runs (fixed by the spec and n), and what was submitted. */
export interface SlurmPlan {
  format: typeof SLURM_PLAN_FORMAT;
  experiment: string;
  name: string;
  budget: string | null;
  specHash: string;
  totalJobs: number;
  tasks: number;
  balance: 'work';
  shards: { index: number; jobs: string[]; weight: number }[];
  submissions: SlurmSubmission[];
}
