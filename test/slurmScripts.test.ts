/**
 * `fedpg-lab slurm` and `status` without a scheduler: flag validation, the sbatch --array value, the
 * generated scripts run by bash as SLURM would run them (task id in the environment, output into the log
 * file, SIGUSR1 and SIGTERM as slurmd sends them, a stand-in scontrol), and status from files only. The
 * real scheduler is in slurm.test.ts.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { planShards } from '../src/experiments/shardPlan';
import { arraySpec, parseSbatchOutput, parseSlurmArgs, type SlurmPlan } from '../src/experiments/slurm';
import { logCancellation, logExitStatus, parseSacct, parseScontrol, parseSqueue, runStatus, taskState } from '../src/experiments/status';
import { loadRows, sweep } from '../src/index';
import { expandJobs, parseExperiment } from '../src/experiments';
import { jobWeight } from '../src/experiments';
import { UNEVEN_EXPERIMENT } from './helpers';

const ROOT = join(__dirname, '..');
const CLI = join(ROOT, 'dist', 'cli.js');

const spec = { ...UNEVEN_EXPERIMENT, budgets: { small: { seeds: 1 } } };

test('slurm flags: every malformed or empty value is refused naming the flag', () => {
  const parse = (...args: string[]) => parseSlurmArgs(['exp.json', ...args], (p) => `/abs/${p}`);
  assert.deepEqual(parse('--tasks', '4', '--max-running=2', '--time', '1-12:30', '--mem', '4G', '--partition', 'cpu,long', '--cpus-per-task', '8', '--out', 'o', '--dry-run'), {
    experiment: '/abs/exp.json', tasks: 4, maxRunning: 2, time: '1-12:30', mem: '4G', partition: 'cpu,long', cpusPerTask: 8, out: '/abs/o', dryRun: true,
    sbatchOptions: [], setup: [], requeueSeconds: 180, allowRevisionChange: false, preflight: true,
  });
  // Site options: repeatable sbatch options (even when they look like flags), setup lines, merge resources, node.
  assert.deepEqual(
    parse('--tasks', '2', '--sbatch-option', '--account=proj42', '--sbatch-option=--qos=long', '--sbatch-option', '-Cintel', '--setup', 'module load nodejs/20', '--setup', 'source /p/venv/bin/activate; echo ok',
      '--merge-time', '30', '--merge-mem', '1G', '--node', 'node', '--checkpoint-seconds', '60', '--requeue-seconds', '0', '--no-preflight', '--allow-revision-change'),
    {
      experiment: '/abs/exp.json', tasks: 2, dryRun: false, sbatchOptions: ['--account=proj42', '--qos=long', '-Cintel'], setup: ['module load nodejs/20', 'source /p/venv/bin/activate; echo ok'],
      mergeTime: '30', mergeMem: '1G', node: 'node', checkpointSeconds: 60, requeueSeconds: 0, allowRevisionChange: true, preflight: false,
    },
  );
  const refused: [string[], RegExp][] = [
    [['--tasks', 'abc'], /ValidationError: --tasks must be a whole number ≥ 1, got "abc"$/],
    [['--tasks', '0'], /ValidationError: --tasks must be a whole number ≥ 1, got "0"$/],
    [['--tasks', '2.5'], /ValidationError: --tasks must be a whole number/],
    [['--tasks', '1e3'], /ValidationError: --tasks must be a whole number/],
    [[], /ValidationError: --tasks is required/],
    [['--tasks'], /ValidationError: --tasks needs a value/],
    [['--tasks', '--dry-run'], /ValidationError: --tasks needs a value/],
    [['--tasks', '2', '--max-running', ''], /ValidationError: --max-running must be a whole number ≥ 1, got ""$/],
    [['--tasks', '2', '--cpus-per-task', '-1'], /ValidationError: --cpus-per-task must be a whole number/],
    [['--tasks', '2', '--time', ''], /ValidationError: --time must be a SLURM time limit/],
    [['--tasks', '2', '--time', '0'], /ValidationError: --time must be a SLURM time limit/],
    [['--tasks', '2', '--time', '2h'], /ValidationError: --time must be a SLURM time limit/],
    [['--tasks', '2', '--mem', '4 G'], /ValidationError: --mem must be a size/],
    [['--tasks', '2', '--mem', '0'], /ValidationError: --mem must be a size/],
    [['--tasks', '2', '--partition', ''], /ValidationError: --partition must be a partition name/],
    [['--tasks', '2', '--partition', 'a b'], /ValidationError: --partition must be a partition name/],
    [['--tasks', '2', '--budget', ''], /ValidationError: --budget must be a budget name, got ""$/],
    [['--tasks', '2', '--out', ''], /ValidationError: --out must be a folder path/],
    [['--tasks', '2', '--out', 'my results'], /ValidationError: --out must be a folder path without blanks/],
    [['--tasks', '2', '--out', 'run%a'], /ValidationError: --out must be a folder path .*'%'/],
    [['--tasks', '2', '--dry-run=yes'], /ValidationError: --dry-run takes no value$/],
    [['--tasks', '2', '--tasks', '3'], /ValidationError: --tasks is given twice$/],
    [['--tasks', '2', '--workers', '3'], /ValidationError: --workers is not an option of this command/],
    [['--tasks', '2', '--sbatch-option', '--account=a b'], /ValidationError: --sbatch-option must be one sbatch option written as one word/],
    [['--tasks', '2', '--sbatch-option', 'account=a'], /ValidationError: --sbatch-option must be one sbatch option/],
    [['--tasks', '2', '--sbatch-option', '--comment="x"'], /ValidationError: --sbatch-option must be one sbatch option/],
    [['--tasks', '2', '--sbatch-option', '--array=0-3'], /ValidationError: --sbatch-option sets --array, which fedpg-lab slurm writes itself \(the shards\)/],
    [['--tasks', '2', '--sbatch-option', '-o/tmp/x'], /ValidationError: --sbatch-option sets -o, which fedpg-lab slurm writes itself \(the log files\)/],
    [['--tasks', '2', '--sbatch-option', '--time=5'], /ValidationError: --sbatch-option sets --time, which .*--time and --merge-time/],
    [['--tasks', '2', '--sbatch-option'], /ValidationError: --sbatch-option needs a value/],
    [['--tasks', '2', '--setup', 'module load a\nrm -rf /'], /ValidationError: --setup must be one non-empty line of shell code/],
    [['--tasks', '2', '--setup', ' '], /ValidationError: --setup must be one non-empty line/],
    [['--tasks', '2', '--merge-time', '2h'], /ValidationError: --merge-time must be a SLURM time limit/],
    [['--tasks', '2', '--merge-mem', '1 G'], /ValidationError: --merge-mem must be a size/],
    [['--tasks', '2', '--node', 'node; rm x'], /ValidationError: --node must be the absolute path of a node binary or a command name/],
    [['--tasks', '2', '--checkpoint-seconds', '1.5'], /ValidationError: --checkpoint-seconds must be a whole number of seconds from 0 to 86400/],
    [['--tasks', '2', '--requeue-seconds', '70000'], /ValidationError: --requeue-seconds must be a whole number of seconds from 0 to 65535/],
    [['--tasks', '2', '--no-preflight=1'], /ValidationError: --no-preflight takes no value$/],
  ];
  for (const [args, message] of refused) assert.throws(() => parse(...args), message, args.join(' '));
  assert.throws(() => parseSlurmArgs(['a.json', 'b.json', '--tasks', '2'], (p) => p), /slurm takes one experiment file, got 2/);
});

test('sbatch --array values: consecutive tasks as ranges, then the %k cap; --parsable output', () => {
  assert.equal(arraySpec([0, 1, 2]), '0-2');
  assert.equal(arraySpec([0, 1, 2], 2), '0-2%2');
  assert.equal(arraySpec([6, 1, 4, 5]), '1,4-6');
  assert.equal(arraySpec([3], 1), '3%1');
  assert.throws(() => arraySpec([]), /at least one/);
  assert.equal(parseSbatchOutput('1234\n'), '1234');
  assert.equal(parseSbatchOutput('1234;cluster-a\n'), '1234');
  assert.throws(() => parseSbatchOutput('Submitted batch job 1234'), /is not a job id/);
});

test('scheduler output: squeue, sacct and scontrol lines become task records', () => {
  assert.deepEqual(parseSqueue('12|0|RUNNING|None\n12|1|PENDING|JobArrayTaskLimit\n13|N/A|PENDING|Dependency\n'), [
    { job: '12', task: 0, state: 'RUNNING', source: 'squeue' },
    { job: '12', task: 1, state: 'PENDING', reason: 'JobArrayTaskLimit', source: 'squeue' },
    { job: '13', task: null, state: 'PENDING', reason: 'Dependency', source: 'squeue' },
  ]);
  assert.deepEqual(parseSacct('12_0|COMPLETED|0:0\n12_1|FAILED|1:0\n12_[2-3]|PENDING|0:0\n13|CANCELLED by 0|0:0\n'), [
    { job: '12', task: 0, state: 'COMPLETED', exitCode: '0:0', source: 'sacct' },
    { job: '12', task: 1, state: 'FAILED', exitCode: '1:0', source: 'sacct' },
    { job: '13', task: null, state: 'CANCELLED', exitCode: '0:0', source: 'sacct' },
  ]);
  const line = (id: number, extra: string, state: string, reason = 'None') => `JobId=${id} ${extra}JobName=fedpg-x UserId=root(0) JobState=${state} Reason=${reason} Dependency=(null) ExitCode=1:0 RunTime=00:00:01`;
  assert.deepEqual(parseScontrol([line(14, 'ArrayJobId=12 ArrayTaskId=2 ', 'FAILED'), line(12, 'ArrayJobId=12 ArrayTaskId=3-5%2 ', 'PENDING'), line(13, '', 'CANCELLED'), line(15, '', 'PENDING', 'BeginTime')].join('\n')), [
    { job: '12', task: 2, state: 'FAILED', exitCode: '1:0', source: 'scontrol' },
    { job: '13', task: null, state: 'CANCELLED', exitCode: '1:0', source: 'scontrol' },
    { job: '15', task: null, state: 'PENDING', exitCode: '1:0', reason: 'BeginTime', source: 'scontrol' },
  ]);
});

test('task states: the scheduler first, then the log (exit line, time-limit cancellation), then what is left', () => {
  const rec = (state: string) => ({ job: '1', task: 0, state, source: 'sacct' as const });
  assert.equal(taskState(rec('RUNNING'), undefined, true).state, 'running');
  assert.equal(taskState(rec('PENDING'), undefined, true).state, 'pending');
  assert.deepEqual(taskState({ ...rec('TIMEOUT'), exitCode: '0:15' }, undefined, true), { state: 'failed', detail: 'TIMEOUT (exit code 0:15)' });
  const timeLimit = 'fedpg-lab: shard 0 of 2\nslurmstepd: error: *** JOB 77 ON node7 CANCELLED AT 2026-01-02T03:04:05 DUE TO TIME LIMIT ***\n';
  assert.match(logCancellation(timeLimit) ?? '', /DUE TO TIME LIMIT/);
  assert.equal(taskState(undefined, timeLimit, false).state, 'failed');
  assert.equal(logExitStatus('x\nfedpg-lab: shard 3 ended with exit status 1\n'), 1);
  assert.equal(logExitStatus('fedpg-lab: shard 3 of 4, job 9_3 on n1\n'), undefined);
  assert.deepEqual(taskState(undefined, 'fedpg-lab: shard 3 ended with exit status 1\n', false), { state: 'failed', detail: 'ended with exit status 1' });
  assert.equal(taskState(undefined, 'fedpg-lab: shard 3 of 4\n', false).state, 'running'); // open log, nobody to ask
  // A requeued task's log: the latest run counts (requeued and waiting, then running again, then ended).
  const requeued = 'fedpg-lab: shard 0 of 1, job 5_0 (SLURM job 6, restart 0) on n1\nfedpg-lab: shard 0 stopped before its time limit: requeueing job 5_0 to continue from its checkpoints\nslurmstepd: error: *** JOB 6 ON n1 CANCELLED AT 2026-12-08T00:37:54 DUE TO JOB REQUEUE ***\n';
  assert.deepEqual(taskState(undefined, requeued, false), { state: 'pending', detail: 'requeued: it runs again from its checkpoints' });
  const again = `${requeued}fedpg-lab: shard 0 of 1, job 5_0 (SLURM job 6, restart 1) on n2\n`;
  assert.equal(taskState(undefined, again, false).state, 'running');
  assert.deepEqual(taskState(undefined, `${again}fedpg-lab: shard 0 ended with exit status 1\n`, false), { state: 'failed', detail: 'ended with exit status 1' });
  assert.equal(taskState(undefined, 'fedpg-lab: shard 3 of 4\n', true).state, 'failed'); // the scheduler forgot it: killed
  // Submitted, no log, and the controller no longer knows it: it never started (or could not open its log).
  assert.deepEqual(taskState(undefined, undefined, true), { state: 'failed', detail: "SLURM no longer knows it; it wrote no log: it never started, or SLURM could not open its log (is the run's folder visible from the compute nodes?)" });
  assert.equal(taskState(undefined, undefined, false).state, 'missing');
  assert.match(taskState({ ...rec('FAILED'), exitCode: '0:53' }, undefined, true).detail, /^FAILED \(exit code 0:53\); it wrote no log/);
  // Pending tasks carry SLURM's reason, with what it means when the task can never start as submitted.
  assert.deepEqual(taskState({ ...rec('PENDING'), reason: 'Resources' }, undefined, true), { state: 'pending', detail: 'pending (Resources)' });
  assert.match(taskState({ ...rec('PENDING'), reason: 'PartitionConfig' }, undefined, true).detail, /^pending \(PartitionConfig: can never start as submitted/);
  assert.match(taskState({ ...rec('PENDING'), reason: 'BeginTime' }, undefined, true).detail, /requeued task waits/);
});

/** Run a generated script with bash as slurmd would: task variables set, output into logs/shard-<i>.<job>.log. */
function runTask(script: string, logs: string, shard: number, job: number) {
  mkdirSync(logs, { recursive: true });
  const fd = openSync(join(logs, `shard-${shard}.${job}.log`), 'w');
  const r = spawnSync('bash', [script], { env: { PATH: process.env.PATH, SLURM_ARRAY_TASK_ID: String(shard), SLURM_ARRAY_JOB_ID: String(job), SLURM_CPUS_PER_TASK: '1' }, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  return r.status;
}

test('without sbatch: the scripts and plan are written, run by hand they give the sweep, and status reads progress from files', async () => {
  assert.ok(existsSync(CLI), `${CLI} is missing: npm run build`);
  const dir = mkdtempSync(join(tmpdir(), 'fedpg-slurm-scripts-'));
  const file = join(dir, 'uneven.json');
  writeFileSync(file, JSON.stringify(spec));
  const out = join(dir, 'run');
  const logs = join(out, 'logs');
  // No scheduler on PATH: an empty folder. The CLI is started by absolute path.
  const empty = join(dir, 'no-slurm');
  mkdirSync(empty);
  const cli = (...args: string[]) => {
    const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, PATH: empty } });
    return { status: r.status, out: `${r.stdout}${r.stderr}` };
  };

  const dry = cli('slurm', file, '--tasks', '3', '--out', out, '--dry-run');
  assert.equal(dry.status, 0, dry.out);
  assert.match(dry.out, /#SBATCH --array=0-2\n/);
  assert.match(dry.out, /^ARRAY_JOB=\$\(sbatch --parsable \/\S+\/slurm\/shards\.sh\)$/m);
  assert.match(dry.out, /^sbatch --parsable --dependency=afterok:"\$\{ARRAY_JOB%%;\*\}" --kill-on-invalid-dep=yes \/\S+\/slurm\/merge\.sh$/m);
  assert.ok(!existsSync(out), '--dry-run writes nothing');

  const noSbatch = cli('slurm', file, '--tasks', '3', '--out', out, '--max-running', '2');
  assert.equal(noSbatch.status, 1);
  assert.match(noSbatch.out, /sbatch is not on PATH: wrote .*shards\.sh and .*merge\.sh/);
  const plan = JSON.parse(readFileSync(join(out, 'slurm', 'plan.json'), 'utf8')) as SlurmPlan;
  const jobs = expandJobs(parseExperiment(spec));
  assert.deepEqual(plan.shards, planShards(jobs, 3, 'work', jobWeight));
  assert.deepEqual(plan.submissions, []);
  const script = join(out, 'slurm', 'shards.sh');
  assert.equal(spawnSync('bash', ['-n', script]).status, 0, 'the array script parses');
  assert.match(readFileSync(script, 'utf8'), /^#SBATCH --array=0-2%2$/m);
  assert.match(readFileSync(script, 'utf8'), new RegExp(`^#SBATCH --output=${logs}/shard-%a\\.%A\\.log$`, 'm'));
  assert.throws(() => {
    const again = cli('slurm', file, '--tasks', '4', '--out', out);
    if (again.status !== 0) throw new Error(again.out);
  }, /--tasks must be 3, the number of shards of the run already in/);

  // Outside an array the script refuses to run; an index beyond n is refused.
  const bare = spawnSync('bash', [script], { encoding: 'utf8', env: { PATH: process.env.PATH } });
  assert.notEqual(bare.status, 0);
  assert.match(bare.stderr, /submit this script with sbatch/);
  assert.equal(runTask(script, join(dir, 'stray-logs'), 3, 1), 2);

  // Shard 0 runs; shard 1 is "running" (its log has only the start line); shard 2 fails (folder blocked).
  assert.equal(runTask(script, logs, 0, 101), 0);
  writeFileSync(join(logs, 'shard-1.101.log'), 'fedpg-lab: shard 1 of 3, job 101_1 on node1\n');
  mkdirSync(join(out, 'shards'), { recursive: true });
  writeFileSync(join(out, 'shards', '2'), 'blocked');
  assert.equal(runTask(script, logs, 2, 101), 1);
  assert.deepEqual(readdirSync(join(out, 'shards', '0', 'runs')).map((f) => f.slice(0, -5)).sort(), [...plan.shards[0].jobs].sort());

  const partial = cli('status', out);
  assert.equal(partial.status, 1, partial.out);
  assert.match(partial.out, /scheduler: not reachable \(from files only\)/);
  assert.match(partial.out, /shard 0 {2}done {5}\d+\/\d+ jobs/);
  assert.match(partial.out, /shard 1 {2}running /);
  assert.match(partial.out, /shard 2 {2}failed {3}0\/\d+ jobs {2}ended with exit status 1/);
  assert.match(partial.out, /shards: 1 done, 1 running, 0 pending, 1 failed, 0 missing/);
  const n = plan.shards.map((s) => s.jobs.length);
  assert.match(partial.out, new RegExp(`jobs: {3}${n[0]} done, ${n[1]} running, 0 pending, ${n[2]} failed, 0 missing`));
  assert.ok(partial.out.includes(`shard 2: ${join(logs, 'shard-2.101.log')}`), partial.out);

  rmSync(join(out, 'shards', '2'));
  assert.equal(runTask(script, logs, 1, 102), 0);
  assert.equal(runTask(script, logs, 2, 102), 0);
  const merge = spawnSync('bash', [join(out, 'slurm', 'merge.sh')], { encoding: 'utf8' });
  assert.equal(merge.status, 0, merge.stderr);
  assert.match(merge.stdout, /merged 16 jobs/);
  const done = cli('status', out);
  assert.equal(done.status, 0, done.out);
  assert.match(done.out, /16\/16 jobs done/);
  assert.match(done.out, /merged: done \(16\/16 jobs\)/);
  const whole = await sweep(parseExperiment(spec), { workers: 0, out: join(dir, 'whole') });
  assert.equal(JSON.stringify(loadRows(join(out, 'merged'))), JSON.stringify(whole.rows));
  const nothing = cli('slurm', file, '--tasks', '3', '--out', out);
  assert.equal(nothing.status, 0, nothing.out);
  assert.match(nothing.out, /nothing to submit: all 16 jobs are in/);
  assert.deepEqual(
    runStatus(plan, [new Set(), new Set(), new Set()], new Set(), [], new Map(), []).shards.map((s) => [s.state, s.detail]),
    [['missing', 'never submitted'], ['missing', 'never submitted'], ['missing', 'never submitted']],
  );
  rmSync(dir, { recursive: true, force: true });
});

test('the array script under signals, as slurmd delivers them: SIGUSR1 stops node and requeues the task, whose next run takes its own lock over and finishes from the checkpoint; SIGTERM stops it with status 143', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fedpg-slurm-signals-'));
  const file = join(dir, 'long.json');
  const long = {
    format: 'fedpg-lab/experiment@1', name: 'long', kind: 'runs', seeds: 2,
    parameters: { generator: 'garnet', states: 20, actions: 4, branching: 3, agents: 5, gamma: 0.9, heterogeneity: 1, oracle: 'exact', entropy: 0.1, stepSize: 1, localSteps: 10, algorithm: 'fast-fedpg', rounds: 6000, every: 1000 },
  };
  writeFileSync(file, JSON.stringify(long));
  // A stand-in scontrol that records how it was called; no sbatch, so the CLI only writes the scripts.
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'scontrol'), `#!/bin/bash\necho "$@" >> ${join(dir, 'scontrol.calls')}\n`, { mode: 0o755 });
  const out = join(dir, 'run');
  const written = spawnSync(process.execPath, [CLI, 'slurm', file, '--tasks', '2', '--checkpoint-seconds', '1', '--out', out], { encoding: 'utf8', env: { ...process.env, PATH: bin } });
  assert.equal(written.status, 1, written.stderr);
  const logs = join(out, 'logs');
  /** Task `shard` as slurmd starts it (its log appended to), as SLURM job 6 + shard, run `restart`. */
  const launch = (shard: number, restart: number) => {
    const fd = openSync(join(logs, `shard-${shard}.5.log`), 'a');
    const env = { PATH: `${bin}:${process.env.PATH}`, SLURM_ARRAY_TASK_ID: String(shard), SLURM_ARRAY_JOB_ID: '5', SLURM_JOB_ID: String(6 + shard), SLURM_RESTART_COUNT: String(restart), SLURM_CPUS_PER_TASK: '1' };
    const child = spawn('bash', [join(out, 'slurm', 'shards.sh')], { env, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    return { child, exited: new Promise<number | null>((resolveExit) => child.on('exit', (code) => resolveExit(code))) };
  };
  const checkpointOf = (shard: number) => join(out, 'shards', String(shard), 'checkpoints');
  /** Start task `shard`, and send it `signal` once it has written a checkpoint; its exit status. */
  const signalled = async (shard: number, signal: NodeJS.Signals) => {
    const { child, exited } = launch(shard, 0);
    for (let i = 0; i < 600 && !(existsSync(checkpointOf(shard)) && readdirSync(checkpointOf(shard)).length > 0); i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(readdirSync(checkpointOf(shard)).length > 0, `shard ${shard} wrote no checkpoint`);
    child.kill(signal);
    return exited;
  };

  // SIGUSR1 (the time-limit warning): node stops, the task requeues itself and exits 0.
  assert.equal(await signalled(0, 'SIGUSR1'), 0);
  assert.equal(readFileSync(join(dir, 'scontrol.calls'), 'utf8'), 'requeue 5_0\n');
  let log0 = readFileSync(join(logs, 'shard-0.5.log'), 'utf8');
  assert.match(log0, /fedpg-lab: shard 0 stopped before its time limit: requeueing job 5_0 to continue from its checkpoints\nfedpg-lab: shard 0 requeued\n$/);
  const lock = JSON.parse(readFileSync(join(out, 'shards', '0', 'lock'), 'utf8'));
  assert.deepEqual(lock.slurm, { job: '6', task: '5_0', restart: 0 });
  // SIGTERM (scancel): node stops, the task says so and ends with 143; nothing is requeued.
  assert.equal(await signalled(1, 'SIGTERM'), 143);
  assert.match(readFileSync(join(logs, 'shard-1.5.log'), 'utf8'), /fedpg-lab: shard 1 stopped by SIGTERM \(scancel, time limit, preemption or node shutdown\)\nfedpg-lab: shard 1 ended with exit status 143\n$/);
  assert.equal(readFileSync(join(dir, 'scontrol.calls'), 'utf8'), 'requeue 5_0\n');

  // SLURM runs the requeued task again (same job id, restart 1): it takes its own lock over and finishes.
  assert.equal(await launch(0, 1).exited, 0);
  log0 = readFileSync(join(logs, 'shard-0.5.log'), 'utf8');
  assert.ok(log0.includes(`took over the lock ${join(out, 'shards', '0', 'lock')} of pid ${lock.pid} on host ${lock.host}, an earlier run of this SLURM job 6 (array task 5_0), which SLURM requeued`), log0);
  assert.match(log0, /fedpg-lab: shard 0 ended with exit status 0\n$/);
  assert.deepEqual(readdirSync(checkpointOf(0)), []);
  assert.equal(await launch(1, 0).exited, 0); // the cancelled shard, submitted again
  const merged = spawnSync('bash', [join(out, 'slurm', 'merge.sh')], { encoding: 'utf8' });
  assert.equal(merged.status, 0, merged.stdout + merged.stderr);
  const whole = await sweep(parseExperiment(long), { workers: 1, out: join(dir, 'whole') });
  assert.equal(JSON.stringify(loadRows(join(out, 'merged'))), JSON.stringify(whole.rows));
  rmSync(dir, { recursive: true, force: true });
});
