/**
 * What a SLURM run's tasks execute: the snapshot of the built package, the experiment, its problem files and
 * its algorithm modules copied into the run's folder at submission. Without a scheduler: the CLI writes the
 * snapshot and the scripts (no sbatch on PATH), the test edits the original module and problem file as a
 * user would between submission and run, runs the tasks and the merge with bash as SLURM would, and the
 * runs equal, byte for byte, a sweep of the experiment as it was submitted. Also: the printed sbatch lines
 * keep a folder name with ';' and '$(…)' one argument, and the preflight's outcomes become messages.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { shellCommand } from '../src/experiments/slurm';
import { PREFLIGHT_OK, preflightVerdict } from '../src/experiments/slurmPreflight';
import { garnet, readExperiment, saveProblem, sweep } from '../src/index';

const ROOT = join(__dirname, '..');
const CLI = join(ROOT, 'dist', 'cli.js');

/** A researcher's module: requires 'fedpg-lab' (the snapshot's copy, once copied) and exports an algorithm with server step `step`. */
const moduleSource = (name: string, step: number) => `const { defineAlgorithm, localUpdate, aggregate } = require('fedpg-lab');
exports.algorithm = defineAlgorithm({
  name: ${JSON.stringify(name)},
  description: 'FedAvg-PG with server step ${step}',
  init: (setup) => ({ thetaBar: Float64Array.from(setup.initialTheta) }),
  round(ctx, state) {
    const agents = Array.from({ length: ctx.agents }, (_, i) => localUpdate(ctx, i, state.thetaBar));
    ctx.count({ messages: 2 * ctx.agents, syncs: 1 });
    return { state: { thetaBar: aggregate(state.thetaBar, agents.map((a) => a.thetaLocal), ${step}) }, agents };
  },
});
`;

/** Run a generated task script with bash as slurmd would: task variables set, output appended to its log. */
function runTask(script: string, logs: string, shard: number) {
  const fd = openSync(join(logs, `shard-${shard}.5.log`), 'a');
  const r = spawnSync('bash', [script], { env: { PATH: process.env.PATH, SLURM_ARRAY_TASK_ID: String(shard), SLURM_ARRAY_JOB_ID: '5', SLURM_JOB_ID: String(6 + shard), SLURM_CPUS_PER_TASK: '1' }, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  return r.status;
}

const runFiles = (dir: string) => new Map(readdirSync(join(dir, 'runs')).sort().map((f) => [f, readFileSync(join(dir, 'runs', f), 'utf8')]));

test('the tasks run the snapshot taken at submission: a module and a problem file edited afterwards change nothing; a re-submission says what differs', async () => {
  assert.ok(existsSync(CLI), `${CLI} is missing: npm run build`);
  const dir = mkdtempSync(join(tmpdir(), 'fedpg-slurm-snapshot-'));
  // The researcher's layout: the experiment in exps/, a module beside it, one elsewhere (absolute), problems/ one level up.
  mkdirSync(join(dir, 'exps', 'mods'), { recursive: true });
  mkdirSync(join(dir, 'problems'));
  mkdirSync(join(dir, 'lib'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules', 'fedpg-lab')); // as `npm link` or an install makes 'fedpg-lab' resolvable
  writeFileSync(join(dir, 'exps', 'mods', 'half.js'), moduleSource('half-step', 0.5));
  writeFileSync(join(dir, 'lib', 'third.js'), moduleSource('third-step', 1 / 3));
  const problem = (seed: number) => garnet({ states: 5, actions: 2, branching: 2, agents: 3, gamma: 0.8, heterogeneity: 1, seed });
  saveProblem(problem(1), join(dir, 'problems', 'p.json'));
  const file = join(dir, 'exps', 'exp.json');
  writeFileSync(
    file,
    JSON.stringify({
      format: 'fedpg-lab/experiment@1',
      name: 'snap',
      kind: 'runs',
      algorithmModules: ['mods/half.js', join(dir, 'lib', 'third.js')],
      parameters: { problemFile: '../problems/p.json', oracle: 'exact', entropy: 0.1, stepSize: 0.5, localSteps: 2, rounds: 8, every: 4 },
      grid: { algorithm: ['half-step', 'third-step', 'fast-fedpg'] },
      seeds: 2,
    }),
  );
  const submitted = await sweep(readExperiment(file), { workers: 0, out: join(dir, 'laptop'), baseDir: join(dir, 'exps') });

  // git but no sbatch on PATH: the revision is the checkout's, and the CLI writes and prints what to submit.
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  const git = spawnSync('bash', ['-c', 'command -v git'], { encoding: 'utf8' }).stdout.trim();
  if (git) symlinkSync(git, join(bin, 'git'));
  const out = join(dir, 'r;$(touch_pwned)x');
  const cli = (...args: string[]) => {
    const r = spawnSync(process.execPath, [CLI, 'slurm', file, '--tasks', '2', '--out', out, ...args], { encoding: 'utf8', cwd: dir, env: { ...process.env, PATH: bin } });
    return { status: r.status, out: `${r.stdout}${r.stderr}` };
  };
  const first = cli();
  assert.equal(first.status, 1, first.out);
  const snapshot = JSON.parse(readFileSync(join(out, 'slurm', 'snapshot.json'), 'utf8')) as { id: string; experiment: string; files: Record<string, string> };
  assert.equal(snapshot.experiment, 'input/exps/exp.json');
  for (const f of ['input/exps/exp.json', 'input/exps/mods/half.js', 'input/problems/p.json', 'input/_absolute/1/third.js', 'node_modules/fedpg-lab/package.json', 'node_modules/fedpg-lab/dist/cli.js', 'node_modules/fedpg-lab/dist/experiments/worker.js']) {
    assert.ok(snapshot.files[f] && existsSync(join(out, 'slurm', f)), `${f} is in the snapshot`);
  }
  assert.ok(Object.keys(snapshot.files).some((f) => f.startsWith('node_modules/seedrandom/')), 'the runtime dependency is copied');
  assert.ok(!Object.keys(snapshot.files).some((f) => f.endsWith('.map') || f.endsWith('.d.ts')));
  assert.deepEqual(JSON.parse(readFileSync(join(out, 'slurm', 'input', 'exps', 'exp.json'), 'utf8')).algorithmModules, ['mods/half.js', '../_absolute/1/third.js']);

  // The printed lines, run by bash with a stand-in sbatch: the folder stays one argument, nothing is executed.
  const printed = first.out.split('\n').filter((l) => l.startsWith('  ')).map((l) => l.trim());
  assert.equal(printed.length, 2, first.out);
  const shown = spawnSync('bash', ['-c', `sbatch() { printf '%s\\n' "$@" >> ${join(dir, 'args')}; echo 41; }\n${printed.join('\n')}`], { encoding: 'utf8', cwd: dir });
  assert.equal(shown.status, 0, shown.stderr);
  assert.deepEqual(readFileSync(join(dir, 'args'), 'utf8').trim().split('\n'), [
    '--parsable', join(out, 'slurm', 'shards.sh'),
    '--parsable', '--dependency=afterok:41', '--kill-on-invalid-dep=yes', join(out, 'slurm', 'merge.sh'),
  ]);
  assert.equal(shellCommand(['sbatch', 'a b', "it's", '']), `sbatch 'a b' 'it'\\''s' ''`);

  // Between submission and run the user edits the module and the problem file: the tasks still run what was submitted.
  writeFileSync(join(dir, 'exps', 'mods', 'half.js'), moduleSource('half-step', 0.9));
  saveProblem(problem(2), join(dir, 'problems', 'p.json'));
  const logs = join(out, 'logs');
  assert.equal(runTask(join(out, 'slurm', 'shards.sh'), logs, 0), 0, readFileSync(join(logs, 'shard-0.5.log'), 'utf8'));
  assert.equal(runTask(join(out, 'slurm', 'shards.sh'), logs, 1), 0, readFileSync(join(logs, 'shard-1.5.log'), 'utf8'));
  const merge = spawnSync('bash', [join(out, 'slurm', 'merge.sh')], { encoding: 'utf8' });
  assert.equal(merge.status, 0, merge.stdout + merge.stderr);
  assert.equal(existsSync(join(dir, 'touch_pwned')) || existsSync(join(out, 'touch_pwned')), false, 'no part of the folder name ran as a command');
  const fromSnapshot = runFiles(join(out, 'merged'));
  const laptop = runFiles(submitted.dir);
  assert.deepEqual([...fromSnapshot.keys()], [...laptop.keys()]);
  for (const [f, text] of laptop) assert.equal(fromSnapshot.get(f), text, `${f}: the run differs from a sweep of the submitted experiment`);

  // Submitting again keeps the snapshot and names what differs; --allow-revision-change takes a new one.
  const again = cli();
  assert.match(again.out, /the current code or inputs differ from the run's snapshot [0-9a-f]{16} \(2 changed: input\/exps\/mods\/half\.js, input\/problems\/p\.json\); the tasks run the snapshot/);
  assert.equal(JSON.parse(readFileSync(join(out, 'slurm', 'snapshot.json'), 'utf8')).id, snapshot.id);
  const changed = cli('--allow-revision-change');
  assert.match(changed.out, /--allow-revision-change: the tasks run a new snapshot [0-9a-f]{16} of the current code \(2 changed: input\/exps\/mods\/half\.js, input\/problems\/p\.json\)/);
  assert.notEqual(JSON.parse(readFileSync(join(out, 'slurm', 'snapshot.json'), 'utf8')).id, snapshot.id);
  assert.match(readFileSync(join(out, 'slurm', 'shards.sh'), 'utf8'), / --allow-revision-change --out /);
});

test('preflight outcomes: passed, failed checks listed, no log (the folder is not visible from the node), not started in time', () => {
  const base = { job: '12', stderr: '', timedOut: false };
  const log = (lines: string[]) => ['fedpg-lab: preflight on node7 (SLURM job 12)', ...lines].join('\n');
  assert.equal(preflightVerdict({ ...base, status: 0, log: log([PREFLIGHT_OK]) }, '/p/run', '/p/run/logs/preflight.12.log', 300), undefined);
  assert.equal(
    preflightVerdict({ ...base, status: 1, log: log(['fedpg-lab preflight: node (node) is not found on node7', "fedpg-lab preflight: the run's folder /p/run is not writable from node7"]) }, '/p/run', '/p/run/logs/preflight.12.log', 300),
    "the preflight probe (job 12 on node7) found:\n  - node (node) is not found on node7\n  - the run's folder /p/run is not writable from node7\nfix it, or submit with --no-preflight to skip this check",
  );
  assert.match(preflightVerdict({ ...base, status: 1 }, '/home/me/run', '/home/me/run/logs/preflight.12.log', 300) ?? '', /^the preflight probe \(job 12\) ended with status 1 and wrote no log \/home\/me\/run\/logs\/preflight\.12\.log: a compute node cannot write into the run's folder \/home\/me\/run/);
  assert.match(preflightVerdict({ ...base, status: null, timedOut: true, queueState: 'PENDING (Priority)' }, '/p/run', undefined, 300) ?? '', /^the preflight probe \(job 12\) did not run within 300 s \(SLURM: PENDING \(Priority\)\) and was cancelled/);
  assert.match(preflightVerdict({ status: 1, stderr: 'sbatch: error: Invalid account or account/partition combination specified\n', timedOut: false }, '/p/run', undefined, 300) ?? '', /could not be submitted: sbatch: error: Invalid account/);
});
