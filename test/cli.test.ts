import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ETA_MIN_MS, ETA_MIN_PROGRESS, commandHelp, estimateEta, formatProgress, SLURM_FLAG_HELP, usageFlags } from '../src/experiments';
import { sweep } from '../src/index';
import { parseExperiment } from '../src/experiments';

// The command line: --help for every command, the ETA, `status` of a local sweep folder. The CLI runs from
// its source (tsx), as test/parameters.test.ts runs it.
const cliPath = join(__dirname, '..', 'src', 'cli.ts');
const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', cliPath, ...args], { encoding: 'utf8' });
const dir = mkdtempSync(join(tmpdir(), 'fedpg-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('--help: every command prints its usage, every flag its parser accepts with a meaning, and an example; exit 0', () => {
  const table = commandHelp();
  assert.deepEqual(Object.keys(table), ['sweep', 'merge', 'slurm', 'status']);
  // The flags sweep and merge accept (the lists their parser checks against, src/cli.ts) are the flags listed.
  const source = readFileSync(cliPath, 'utf8');
  const accepted = (command: string) => JSON.parse((new RegExp(`command === '${command}'\\) \\{\\s*known\\((\\[[^\\]]*\\])`).exec(source)?.[1] ?? '[]').replace(/'/g, '"')) as string[];
  assert.deepEqual(table.sweep.flags.map((f) => f.flag).sort(), accepted('sweep').sort());
  assert.deepEqual(table.merge.flags.map((f) => f.flag), accepted('merge'));
  // slurm's flags are those of its usage line, each with a meaning.
  assert.ok(usageFlags(table.slurm.usage).length >= 9);
  for (const f of usageFlags(table.slurm.usage)) assert.ok(SLURM_FLAG_HELP[f.flag], `--${f.flag} of fedpg-lab slurm has a meaning`);
  for (const [command, entry] of Object.entries(table)) {
    for (const args of [[command, '--help'], [command, '-h'], ['help', command], [command, 'x.json', '--budget', '--help']]) {
      const r = cli(...args);
      assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stdout, new RegExp(`^fedpg-lab ${command}: `));
      assert.ok(r.stdout.includes(`usage: ${entry.usage}`), `${args.join(' ')} prints the usage`);
      for (const f of entry.flags) assert.ok(r.stdout.includes(`--${f.flag}`) && r.stdout.includes(f.help), `${args.join(' ')} lists --${f.flag}`);
      assert.match(r.stdout, /\nexamples?:\n  fedpg-lab /);
      assert.equal(r.stderr, '');
    }
  }
  const top = cli('--help');
  assert.equal(top.status, 0);
  for (const command of Object.keys(table)) assert.match(top.stdout, new RegExp(`\\n  ${command} +\\S`));
  assert.equal(cli().status, 2, 'no command: the overview, and a usage error status');
});

test('the ETA is given only once its rate is measured: from the first progress, over ≥ 5% of the work and ≥ 2 s', () => {
  // A sweep that spends d = 1.5 s starting up and then progresses at a constant rate r per ms: from the
  // origin on the estimate is exact, (1 − f)/r, whatever the start-up; before the thresholds there is none.
  const d = 1500;
  const r = 0.2 / 1000; // 20% of the work a second: 5 s of work
  const at = (ms: number) => ({ ms, fraction: Math.max(0, (ms - d) * r) });
  const origin = at(d + 100); // the first report after work began
  assert.ok(Number.isNaN(estimateEta(undefined, at(1000))), 'nothing done yet');
  assert.ok(Number.isNaN(estimateEta(origin, at(d + 100 + ETA_MIN_MS - 1))), 'under 2 s of rate');
  for (const ms of [d + 100 + ETA_MIN_MS, 4500, 6000]) {
    const now = at(ms);
    assert.ok(now.fraction - origin.fraction >= ETA_MIN_PROGRESS);
    assert.ok(Math.abs(estimateEta(origin, now) - (1 - now.fraction) / r) < 1e-9, `at ${ms} ms`);
  }
  // From the start instead, the first report (a 10⁻⁴ of the work after 1 s of start-up) extrapolated to 2.8 h.
  assert.ok((1000 * (1 - 1e-4)) / 1e-4 > 2.7 * 3600 * 1000);
  // No ETA: the progress line leaves it out instead of printing "ETA ?".
  assert.equal(formatProgress({ done: 0, failed: 0, total: 10, fraction: 0.01, elapsedMs: 900, etaMs: NaN }, 4), '[----]   1% of the work · 0/10 jobs · elapsed 1s');
});

test('a sweep reports no ETA in its first 2 s (worker start-up included)', async () => {
  const spec = parseExperiment({
    format: 'fedpg-lab/experiment@1', name: 'eta-check', kind: 'runs',
    parameters: { generator: 'garnet', states: 20, actions: 4, branching: 3, agents: 4, gamma: 0.9, heterogeneity: 1, oracle: 'exact', localSteps: 5, stepSize: 0.5, rounds: 100, algorithm: 'fast-fedpg' },
    seeds: 12,
  });
  const seen: { elapsedMs: number; etaMs: number }[] = [];
  await sweep(spec, { out: join(dir, 'eta'), workers: 1, onProgress: (p) => seen.push({ elapsedMs: p.elapsedMs, etaMs: p.etaMs }) });
  assert.ok(seen.length > 3, `${seen.length} reports`);
  for (const p of seen) if (p.elapsedMs < ETA_MIN_MS) assert.ok(Number.isNaN(p.etaMs), `no ETA at ${p.elapsedMs} ms`);
});

test('status of a local sweep folder: jobs done, in progress and left, the work share, the lock; 0 when complete, 3 while work is left', async () => {
  const file = join(dir, 'status.json');
  writeFileSync(file, JSON.stringify({
    format: 'fedpg-lab/experiment@1', name: 'status-check', kind: 'runs',
    parameters: { generator: 'garnet', states: 5, actions: 2, branching: 2, agents: 2, gamma: 0.9, heterogeneity: 1, oracle: 'exact', localSteps: 2, stepSize: 0.5, rounds: 5 },
    grid: [{ algorithm: ['fast-fedpg', 'fedavg-pg'] }],
    seeds: 3,
  }));
  const out = join(dir, 'status-results');
  assert.equal(cli('sweep', file, '--out', out, '--workers', '0').status, 0);
  const complete = cli('status', out);
  assert.equal(complete.status, 0, complete.stderr);
  assert.match(complete.stdout, /^status-check: local sweep in .*status-results\n  jobs: 6 of 6 done\n  work: 100% done/);
  assert.match(complete.stdout, /writer: none \(no sweep holds the folder's lock\)/);
  // Two finished jobs removed and a lock left by a process that has ended (pid 2³¹ − 2 runs nowhere).
  const runs = join(out, 'runs');
  const names = (await import('node:fs')).readdirSync(runs).sort();
  // The work share counts each job's planned gradient estimates: FedAvg-PG H = 2 per agent and round,
  // Fast-FedPG H + 1 = 3 (its anchor); the same rounds, agents and problem otherwise.
  const cost = (n: string) => (JSON.parse(readFileSync(join(runs, n), 'utf8')).job.point.algorithm === 'fast-fedpg' ? 3 : 2);
  const total = names.reduce((w, n) => w + cost(n), 0);
  const removed = cost(names[0]) + cost(names[1]);
  for (const n of names.slice(0, 2)) rmSync(join(runs, n));
  writeFileSync(join(out, 'lock'), `${JSON.stringify({ pid: 2 ** 31 - 2, host: (await import('node:os')).hostname(), started: '2026-01-01T00:00:00Z' })}\n`);
  const partial = cli('status', out);
  assert.equal(partial.status, 3);
  assert.match(partial.stdout, /jobs: 4 of 6 done, 0 in progress \(from a checkpoint\), 2 not started/);
  assert.match(partial.stdout, new RegExp(`work: ${Math.round((100 * (total - removed)) / total)}% done`));
  assert.match(partial.stdout, /the lock of pid 2147483646 .* is left from a process that ended; the next sweep takes it over/);
  assert.match(partial.stdout, /to finish: run the same sweep again/);
  // A folder that is neither a sweep's nor a slurm run's: the SLURM status's message, naming the folder.
  const neither = cli('status', dir);
  assert.notEqual(neither.status, 0);
  assert.match(neither.stderr, /no slurm\/plan\.json/);
});
