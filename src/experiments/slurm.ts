import { isAbsolute, join } from 'node:path';
import { fail, formatValue } from '../core/check';
import { isFolderName } from '../core/names';

/**
 * Layout of a SLURM run's folder (`--out DIR`, on a filesystem shared by the login and compute nodes):
 *   slurm/shards.sh   the array script: task i runs shard i of n (`sweep --shard i/n --balance work`)
 *   slurm/merge.sh    the merge job, submitted with --dependency=afterok:<array job>
 *   slurm/preflight.sh the probe job run (sbatch --wait) before submitting
 *   slurm/snapshot.json, slurm/node_modules/, slurm/input/   the code and inputs the tasks run (slurmSnapshot.ts)
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
  preflightScript: join(out, 'slurm', 'preflight.sh'),
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
  /** The merge job's time limit and memory (it is one thread that copies files: far less than a shard's). */
  mergeTime?: string;
  mergeMem?: string;
  /** What the site requires, as sbatch options (`--account=…`, `--qos=…`): an #SBATCH line each, in every script. */
  sbatchOptions: string[];
  /** Shell lines run in every script before node starts (`module load nodejs/20`, …). */
  setup: string[];
  /** The node binary the tasks run: an absolute path, or a name found on the task's PATH after the setup lines. */
  node?: string;
  /** Seconds between a running job's checkpoints (sweep --checkpoint-seconds). */
  checkpointSeconds?: number;
  /** Seconds before its time limit at which a task is signalled to requeue itself (0: never). */
  requeueSeconds: number;
  /** Run the current code in a run whose snapshot is of other code (sweep --allow-revision-change). */
  allowRevisionChange: boolean;
  /** Skip the probe job that checks, before submitting, what a compute node sees. */
  preflight: boolean;
  /** Absolute path of the run's folder. */
  out?: string;
  dryRun: boolean;
}

/** What the scripts call: the snapshot's CLI and experiment, by absolute path. */
export interface ScriptContext {
  /** The experiment's name (job names). */
  name: string;
  /** The node command (absolute path, or a name on PATH). */
  node: string;
  cli: string;
  /** The experiment file the tasks read (the snapshot's copy). */
  experiment: string;
  out: string;
  /** FEDPG_REVISION of the tasks: the revision of the submitted code. */
  revision: string;
}

/** The usage line of `fedpg-lab slurm`. */
export const SLURM_USAGE =
  'fedpg-lab slurm <experiment.json> [--budget NAME] --tasks n [--partition P] [--time T] [--mem M] [--cpus-per-task c] [--max-running k] [--merge-time T] [--merge-mem M] [--sbatch-option OPT ...] [--setup CMD ...] [--node PATH] [--checkpoint-seconds S] [--requeue-seconds S] [--allow-revision-change] [--no-preflight] [--out DIR] [--dry-run]';

const FLAGS = [
  'budget', 'tasks', 'partition', 'time', 'mem', 'cpus-per-task', 'max-running', 'merge-time', 'merge-mem', 'sbatch-option', 'setup', 'node', 'checkpoint-seconds',
  'requeue-seconds', 'allow-revision-change', 'no-preflight', 'out', 'dry-run',
] as const;
const SWITCHES = ['dry-run', 'allow-revision-change', 'no-preflight'];
const REPEATABLE = ['sbatch-option', 'setup'];

/** Default of --requeue-seconds: SLURM may signal up to 60 s early, and a task needs time to stop and requeue. */
export const DEFAULT_REQUEUE_SECONDS = 180;

/**
 * Split `--flag value`, `--flag=value` and bare switches; refuses unknown, repeated (unless `repeatable`)
 * and value-less flags naming them. A repeatable flag's values are in `lists`, in order.
 */
export function splitArgs(argv: string[], flags: readonly string[], switches: readonly string[], repeatable: readonly string[] = []): { positional: string[]; values: Map<string, string>; lists: Map<string, string[]> } {
  const positional: string[] = [];
  const values = new Map<string, string>();
  const lists = new Map<string, string[]>();
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
    // A repeatable option's value is often itself an option (--sbatch-option --qos=long): only a missing one is refused.
    if (value === undefined || (eq < 0 && value.startsWith('--') && !repeatable.includes(name))) fail(`--${name}`, value, 'needs a value');
    if (repeatable.includes(name)) lists.set(name, [...(lists.get(name) ?? []), value]);
    else values.set(name, value);
  }
  return { positional, values, lists };
}

/** A whole number ≥ 1 written in decimal digits (so '1e3', '2.0', ' 3' and '' are refused). */
export function parseCount(flag: string, text: string): number {
  if (!/^[0-9]+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) fail(flag, text, `must be a whole number ≥ 1, got ${formatValue(text)}`);
  return Number(text);
}

/** A whole number ≥ 0 of seconds, at most `max`. */
export function parseSeconds(flag: string, text: string, max: number): number {
  if (!/^[0-9]+$/.test(text) || Number(text) > max) fail(flag, text, `must be a whole number of seconds from 0 to ${max}, got ${formatValue(text)}`);
  return Number(text);
}

/** SLURM's time formats: M, M:S, H:M:S, D-H, D-H:M, D-H:M:S (sbatch --time), not zero. */
export function parseSlurmTime(text: string, flag = '--time'): string {
  const ok = /^(\d+-\d+(:\d+(:\d+)?)?|\d+(:\d+(:\d+)?)?)$/.test(text);
  if (!ok || !/[1-9]/.test(text)) fail(flag, text, `must be a SLURM time limit (minutes, H:M:S or D-H:M:S), got ${formatValue(text)}`);
  return text;
}

/** SLURM's memory sizes: a whole number ≥ 1 with an optional unit K, M, G or T (sbatch --mem). */
export function parseSlurmMemory(text: string, flag = '--mem'): string {
  if (!/^[0-9]+[KMGT]?$/.test(text) || !/[1-9]/.test(text)) fail(flag, text, `must be a size such as 4G, 500M or 2000 (MB), got ${formatValue(text)}`);
  return text;
}

/** A partition name, or a comma-separated list of them. */
export function parsePartition(text: string): string {
  if (!/^[A-Za-z0-9_.-]+(,[A-Za-z0-9_.-]+)*$/.test(text)) fail('--partition', text, `must be a partition name (letters, digits, '_', '.', '-'; several separated by commas), got ${formatValue(text)}`);
  return text;
}

/**
 * sbatch options the generated scripts set themselves (or that have their own flag): a site option may not
 * change them. Long names, and the short letters that stand for them.
 */
const OWN_OPTIONS: Record<string, string> = {
  array: 'the shards', a: 'the shards', output: 'the log files', o: 'the log files', error: 'the log files', e: 'the log files', 'job-name': 'the job names', J: 'the job names',
  dependency: 'the merge\'s afterok', d: 'the merge\'s afterok', 'kill-on-invalid-dep': 'the merge', parsable: 'fedpg-lab slurm', wrap: 'the scripts', wait: 'fedpg-lab slurm', W: 'fedpg-lab slurm',
  'open-mode': 'the log files', signal: '--requeue-seconds', requeue: '--requeue-seconds', 'no-requeue': '--requeue-seconds', ntasks: 'the scripts (one task each)', n: 'the scripts (one task each)',
  partition: '--partition', p: '--partition', time: '--time and --merge-time', t: '--time and --merge-time', mem: '--mem and --merge-mem', 'cpus-per-task': '--cpus-per-task', c: '--cpus-per-task',
};

/**
 * One sbatch option as an #SBATCH line takes it: `--name`, `--name=value` or `-Xvalue`, one word (sbatch splits
 * #SBATCH lines at blanks), without quotes, backslashes or control characters; not one that the scripts set.
 */
export function parseSbatchOption(text: string): string {
  const m = /^(?:--([A-Za-z][A-Za-z0-9-]*)(?:=(.*))?|-([A-Za-z])(.*))$/.exec(text);
  if (!m || /[\s"'\\]/.test(text) || /[\x00-\x1f\x7f]/.test(text)) {
    fail('--sbatch-option', text, `must be one sbatch option written as one word, such as --account=proj42, --qos=long or --constraint=intel (no blanks, quotes or backslashes), got ${formatValue(text)}`);
  }
  const name = m[1] ?? m[3];
  if (OWN_OPTIONS[name] !== undefined) fail('--sbatch-option', text, `sets ${m[1] ? `--${name}` : `-${name}`}, which fedpg-lab slurm writes itself (${OWN_OPTIONS[name]}); got ${formatValue(text)}`);
  return text;
}

/** A setup line: shell code of one line (the scripts run it as written, before node starts). */
export function parseSetupLine(text: string): string {
  if (text.trim() === '' || /[\x00-\x1f\x7f]/.test(text)) fail('--setup', text, `must be one non-empty line of shell code, such as 'module load nodejs/20', got ${formatValue(text)}`);
  return text;
}

/** --node: an absolute path, or a command name (looked up on the task's PATH). */
export function parseNodeCommand(text: string): string {
  if (!(isAbsolute(text) || /^[A-Za-z0-9_.+-]+$/.test(text)) || /[\x00-\x1f\x7f]/.test(text)) fail('--node', text, `must be the absolute path of a node binary or a command name such as node, got ${formatValue(text)}`);
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
  const { positional, values, lists } = splitArgs(argv, FLAGS, SWITCHES, REPEATABLE);
  if (positional.length !== 1) fail('slurm', positional, `takes one experiment file, got ${positional.length} (usage: ${SLURM_USAGE})`);
  const get = (k: string) => values.get(k);
  const budget = get('budget');
  if (budget !== undefined && !isFolderName(budget)) fail('--budget', budget, `must be a budget name, got ${formatValue(budget)}`);
  const tasks = get('tasks');
  if (tasks === undefined) fail('--tasks', tasks, 'is required: the number of array tasks (shards)');
  const out = get('out');
  const optional = <T>(k: string, parse: (text: string) => T, key: string) => (get(k) !== undefined ? { [key]: parse(get(k) as string) } : {});
  return {
    experiment: resolvePath(positional[0]),
    ...(budget !== undefined ? { budget } : {}),
    tasks: parseCount('--tasks', tasks),
    ...optional('partition', parsePartition, 'partition'),
    ...optional('time', (t) => parseSlurmTime(t), 'time'),
    ...optional('mem', (t) => parseSlurmMemory(t), 'mem'),
    ...optional('cpus-per-task', (t) => parseCount('--cpus-per-task', t), 'cpusPerTask'),
    ...optional('max-running', (t) => parseCount('--max-running', t), 'maxRunning'),
    ...optional('merge-time', (t) => parseSlurmTime(t, '--merge-time'), 'mergeTime'),
    ...optional('merge-mem', (t) => parseSlurmMemory(t, '--merge-mem'), 'mergeMem'),
    sbatchOptions: (lists.get('sbatch-option') ?? []).map(parseSbatchOption),
    setup: (lists.get('setup') ?? []).map(parseSetupLine),
    ...optional('node', (t) => parseNodeCommand(t === '' || isAbsolute(t) || !t.includes('/') ? t : resolvePath(t)), 'node'),
    ...optional('checkpoint-seconds', (t) => parseSeconds('--checkpoint-seconds', t, 86_400), 'checkpointSeconds'),
    requeueSeconds: get('requeue-seconds') !== undefined ? parseSeconds('--requeue-seconds', get('requeue-seconds') as string, 65_535) : DEFAULT_REQUEUE_SECONDS,
    allowRevisionChange: values.has('allow-revision-change'),
    preflight: !values.has('no-preflight'),
    ...(out !== undefined ? { out: checkDirectivePath('--out', out === '' ? out : resolvePath(out)) } : {}),
    dryRun: values.has('dry-run'),
  } as SlurmRequest;
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

/** #SBATCH lines of a job's resources: the partition, the site's options, and the time and memory given. */
export function resourceDirectives(r: SlurmRequest, time: string | undefined, mem: string | undefined, cpus: number | undefined): string[] {
  return [
    '#SBATCH --ntasks=1',
    ...(r.partition ? [`#SBATCH --partition=${r.partition}`] : []),
    ...(time ? [`#SBATCH --time=${time}`] : []),
    ...(mem ? [`#SBATCH --mem=${mem}`] : []),
    ...(cpus ? [`#SBATCH --cpus-per-task=${cpus}`] : []),
    ...r.sbatchOptions.map((o) => `#SBATCH ${o}`),
  ];
}

/**
 * The lines that run the site's setup (module load, a virtual environment) in the script's own shell, so
 * that what they set (PATH) holds for node; a failing setup ends the script with its status.
 */
function setupLines(r: SlurmRequest, ended: string): string[] {
  if (r.setup.length === 0) return [];
  return ['# setup (--setup)', '{', '  :', ...r.setup.map((l) => `  ${l}`), `} || { s=$?; echo "fedpg-lab: the setup lines failed with exit status $s"; ${ended} "$s"; }`];
}

/**
 * The traps that make SIGTERM (scancel, a time limit, a preemption) and SIGUSR1 (sbatch --signal) reach the
 * script at once, also during the setup lines: each is recorded in `signal` and passed on to node as
 * SIGTERM (then SIGCONT, so that a stopped node ends too). Set before anything else runs.
 */
const TRAP_LINES = [
  'child=',
  'signal=',
  `trap 'signal=USR1; [ -n "$child" ] && kill -TERM "$child" 2>/dev/null && kill -CONT "$child" 2>/dev/null' USR1`,
  `trap 'signal=TERM; [ -n "$child" ] && kill -TERM "$child" 2>/dev/null && kill -CONT "$child" 2>/dev/null' TERM`,
];

/**
 * Lines that run `command` in the background and wait for it (so the traps run at once), unless a signal
 * came before it started; `status` holds node's exit status afterwards (143 when it never started).
 */
function waitLines(command: string): string[] {
  return [
    'status=143',
    'if [ -z "$signal" ]; then',
    `  ${command} &`,
    '  child=$!',
    '  while :; do',
    '    wait "$child"',
    '    status=$?',
    '    kill -0 "$child" 2>/dev/null || break',
    '  done',
    'fi',
  ];
}

/**
 * The body shared by the array and merge scripts, after their start line: the traps, the setup lines, the
 * submitted revision, and `command` run and waited for (the script's `ended` function must exist).
 */
function runLines(r: SlurmRequest, ctx: ScriptContext, command: string): string[] {
  return [...TRAP_LINES, ...setupLines(r, 'ended'), `export FEDPG_REVISION=${shellQuote(ctx.revision)}`, ...waitLines(command)];
}

/**
 * The array script: task i (SLURM_ARRAY_TASK_ID) sweeps shard i of n into shards/<i>/, with as many
 * worker threads as SLURM gave it CPUs, from the run's snapshot of the code. n is written into the script
 * rather than read from SLURM_ARRAY_TASK_COUNT: a re-submission of the missing shards is a sparse array
 * (e.g. --array=1,4) whose task count is not n, and the shard of a job depends on n.
 *
 * Continuation: with `requeueSeconds` > 0 the task asks SLURM for SIGUSR1 that long before its time limit
 * (--signal=B:USR1@s) and is requeueable (--requeue). On SIGUSR1 it stops node (whose last checkpoints are
 * on disk) and requeues itself (`scontrol requeue <array job>_<i>`): SLURM runs it again, under the same
 * job id and with the same log (--open-mode=append), and it continues every unfinished job from its
 * checkpoint. The merge's afterok dependency waits through requeues. SLURM also requeues the task by itself
 * after a node failure or a preemption in REQUEUE mode. On SIGTERM (scancel) it stops and says so.
 */
export function taskScript(r: SlurmRequest, ctx: ScriptContext): string {
  const p = slurmPaths(ctx.out);
  const q = shellQuote;
  const sweep = [
    q(ctx.node), q(ctx.cli), 'sweep', q(ctx.experiment), ...(r.budget ? ['--budget', q(r.budget)] : []), '--shard', '"$shard/$shards"', '--balance', 'work',
    '--workers', '"${SLURM_CPUS_PER_TASK:-1}"', ...(r.checkpointSeconds !== undefined ? ['--checkpoint-seconds', String(r.checkpointSeconds)] : []),
    ...(r.allowRevisionChange ? ['--allow-revision-change'] : []), '--out', `${q(join(ctx.out, 'shards'))}/"$shard"`,
  ];
  return [
    '#!/bin/bash',
    `# fedpg-lab: ${ctx.name}${r.budget ? ` (budget ${r.budget})` : ''} as ${r.tasks} shards balanced by work; written by \`fedpg-lab slurm\` (edits are overwritten: use its options).`,
    `#SBATCH --job-name=fedpg-${ctx.name}`,
    `#SBATCH --array=${arraySpec(Array.from({ length: r.tasks }, (_, i) => i), r.maxRunning)}`,
    `#SBATCH --output=${p.logs}/shard-%a.%A.log`,
    '#SBATCH --open-mode=append',
    ...(r.requeueSeconds > 0 ? ['#SBATCH --requeue', `#SBATCH --signal=B:USR1@${r.requeueSeconds}`] : []),
    ...resourceDirectives(r, r.time, r.mem, r.cpusPerTask),
    'set -uo pipefail',
    `shards=${r.tasks}`,
    'shard="${SLURM_ARRAY_TASK_ID:?submit this script with sbatch: it is an array job}"',
    'if [ "$shard" -ge "$shards" ]; then echo "fedpg-lab: array index $shard is not one of the $shards shards" >&2; exit 2; fi',
    'task="${SLURM_ARRAY_JOB_ID:-?}_${shard}"',
    'ended() { echo "fedpg-lab: shard $shard ended with exit status $1"; exit "$1"; }',
    'echo "fedpg-lab: shard $shard of $shards, job $task (SLURM job ${SLURM_JOB_ID:-?}, restart ${SLURM_RESTART_COUNT:-0}) on $(hostname)"',
    ...runLines(r, ctx, sweep.join(' ')),
    'if [ "$signal" = USR1 ] && [ "$status" -ne 0 ]; then',
    '  echo "fedpg-lab: shard $shard stopped before its time limit: requeueing job $task to continue from its checkpoints"',
    '  if scontrol requeue "$task"; then echo "fedpg-lab: shard $shard requeued"; exit 0; fi',
    '  echo "fedpg-lab: scontrol requeue $task failed: run the same fedpg-lab slurm command again to continue"',
    'elif [ "$signal" = TERM ]; then',
    '  echo "fedpg-lab: shard $shard stopped by SIGTERM (scancel, time limit, preemption or node shutdown)"',
    'fi',
    'ended "$status"',
    '',
  ].join('\n');
}

/** The merge job: every shard folder into merged/ (all or nothing: with jobs missing it writes nothing and names them). */
export function mergeScript(r: SlurmRequest, ctx: ScriptContext): string {
  const p = slurmPaths(ctx.out);
  const q = shellQuote;
  const shards = Array.from({ length: r.tasks }, (_, i) => q(p.shard(i)));
  return [
    '#!/bin/bash',
    `# fedpg-lab: merge the ${r.tasks} shards of ${ctx.name}${r.budget ? ` (budget ${r.budget})` : ''}; written by \`fedpg-lab slurm\` (edits are overwritten: use its options).`,
    `#SBATCH --job-name=fedpg-${ctx.name}-merge`,
    `#SBATCH --output=${p.logs}/merge.%j.log`,
    ...resourceDirectives(r, r.mergeTime, r.mergeMem, undefined),
    'set -uo pipefail',
    'ended() { echo "fedpg-lab: merge ended with exit status $1"; exit "$1"; }',
    'echo "fedpg-lab: merge, SLURM job ${SLURM_JOB_ID:-?} on $(hostname)"',
    ...runLines(r, ctx, `${q(ctx.node)} ${q(ctx.cli)} merge${r.allowRevisionChange ? ' --allow-revision-change' : ''} --out ${q(p.merged)} ${shards.join(' ')}`),
    'if [ -n "$signal" ]; then echo "fedpg-lab: merge stopped by SIG$signal"; fi',
    'ended "$status"',
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

/** The placeholder of the array job id in printed commands (the shell variable set from sbatch's output). */
export const ARRAY_JOB_VARIABLE = '${ARRAY_JOB%%;*}';

/**
 * A command line as a user pastes it into a shell: each argument quoted unless it is made only of
 * characters the shell leaves alone, and the array job placeholder left for the shell to expand (so a
 * folder named `a;rm -rf b` stays one argument).
 */
export function shellCommand(args: readonly string[]): string {
  const word = (a: string) => (a === '' || /^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : shellQuote(a));
  return args.map((a) => a.split(ARRAY_JOB_VARIABLE).map(word).join(`"${ARRAY_JOB_VARIABLE}"`) || "''").join(' ');
}

/**
 * sbatch input variables that would override what the generated scripts set (sbatch's rule: environment
 * variables override #SBATCH lines): the array, the log files and their open mode, the job names, requeueing
 * and the warning signal, waiting. They are removed from sbatch's environment when fedpg-lab submits.
 */
export const OVERRIDING_SBATCH_VARIABLES = ['SBATCH_ARRAY_INX', 'SBATCH_OUTPUT', 'SBATCH_ERROR', 'SBATCH_OPEN_MODE', 'SBATCH_JOB_NAME', 'SBATCH_NO_REQUEUE', 'SBATCH_REQUEUE', 'SBATCH_SIGNAL', 'SBATCH_WAIT'];

/** The environment for sbatch: this one without OVERRIDING_SBATCH_VARIABLES, and which of them were set. */
export function sbatchEnvironment(env: NodeJS.ProcessEnv): { env: NodeJS.ProcessEnv; removed: string[] } {
  const removed = OVERRIDING_SBATCH_VARIABLES.filter((k) => env[k] !== undefined);
  const clean = { ...env };
  for (const k of removed) delete clean[k];
  return { env: clean, removed };
}

/** The job id in `sbatch --parsable` output ("123" or "123;cluster"). */
export function parseSbatchOutput(text: string): string {
  const m = /^\s*(\d+)(;\S*)?\s*$/.exec(text);
  if (!m) fail('sbatch output', text, `is not a job id, got ${formatValue(text)}`);
  return m[1];
}

/** Format tag of slurm/plan.json. */
export const SLURM_PLAN_FORMAT = 'fedpg-lab/slurm-plan@1';

/**
 * What a submission asked SLURM for (recorded in the plan, so the run's history says what ran where): the
 * request without what is fixed for the run (experiment, budget, n, folder), and the node command used.
 */
export type SubmittedOptions = Omit<SlurmRequest, 'experiment' | 'budget' | 'tasks' | 'out' | 'dryRun' | 'node'> & { node: string };

/** The options of a request as the plan records them. */
export function submittedOptions(r: SlurmRequest, node: string): SubmittedOptions {
  const { experiment: _e, budget: _b, tasks: _t, out: _o, dryRun: _d, ...options } = r;
  return { ...options, node };
}

/**
 * One `fedpg-lab slurm` submission: the array job (absent when no shard was missing), the merge job, the
 * snapshot of the code that its tasks run and the options it was submitted with.
 */
export interface SlurmSubmission {
  arrayJob: string | null;
  mergeJob: string;
  shards: number[];
  submitted: string;
  /** The id of the snapshot (slurm/snapshot.json) the tasks run. */
  snapshot?: string;
  options?: SubmittedOptions;
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
