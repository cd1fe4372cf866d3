import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createProblem, garnet, loadProblem, problemToJSON, readExperiment, ValidationError } from '../src/index';
import { CorruptFileError, parseExperiment } from '../src/experiments';
import { readVerified } from '../src/experiments/verifiedFile';

// Strict readers for every file the project reads: repeated keys refused with the path of the field, errors
// naming which agent's matrix, wrong-typed optional fields refused, job counts limited before expansion; and
// the command line's boolean flags read as written.

const tmp = () => mkdtempSync(join(tmpdir(), 'fedpg-files-'));
const EXPERIMENT = `{
  "format": "fedpg-lab/experiment@1", "name": "dup", "kind": "runs",
  "parameters": { "generator": "garnet", "states": 4, "actions": 2, "branching": 2, "agents": 2, "gamma": 0.9,
                  "algorithm": "fedavg-pg", "stepSize": 0.1, "rounds": 3, "rounds": 300 },
  "seeds": 1
}`;

test('files: a repeated key in an experiment file is refused with the path of the field, not read as the last value', () => {
  const path = join(tmp(), 'e.json');
  writeFileSync(path, EXPERIMENT);
  assert.throws(() => readExperiment(path), (e: Error) => e instanceof ValidationError && e.field === 'parameters.rounds' && e.message.startsWith(`${path}: parameters.rounds is given twice`));
  writeFileSync(path, EXPERIMENT.replace('"rounds": 3, "rounds": 300', '"rounds": 3').replace('"seeds": 1', '"seeds": 1, "grid": [{ "localSteps": [1] }, { "localSteps": [2], "localSteps": [3] }]'));
  assert.throws(() => readExperiment(path), (e: Error) => e instanceof ValidationError && e.field === 'grid[1].localSteps');
  // Keys in strings and escaped quotes do not confuse the scan; the same key in two objects is fine.
  writeFileSync(path, EXPERIMENT.replace('"rounds": 3, "rounds": 300', '"rounds": 3').replace('"name": "dup"', '"name": "dup", "description": "a \\"rounds\\": 1, \\"rounds\\" text"'));
  assert.equal(readExperiment(path).parameters.rounds, 3);
});

test('files: a problem file repeating a key, naming which agent\'s matrix; per-agent transition errors name the agent', () => {
  const dir = tmp();
  const problem = garnet({ states: 3, actions: 2, branching: 2, agents: 2, gamma: 0.9, heterogeneity: 1, transitionHeterogeneity: 0.5, seed: 1 });
  const json = problemToJSON(problem, { dense: true });
  const text = JSON.stringify(json);
  const path = join(dir, 'p.json');
  // agentTransitions[1].dense given twice.
  const second = text.indexOf('"dense"', text.indexOf('"dense"') + 1);
  writeFileSync(path, `${text.slice(0, second)}"dense":[],${text.slice(second)}`);
  assert.throws(() => loadProblem(path), (e: Error) => e instanceof ValidationError && e.field === 'agentTransitions[1].dense' && e.message.includes(path));
  // A row of agent 1's matrix that does not sum to 1.
  const bad = JSON.parse(text);
  bad.agentTransitions[1].dense[2][1] = [0.5, 0.4, 0];
  writeFileSync(path, JSON.stringify(bad));
  assert.throws(() => loadProblem(path), (e: Error) => e instanceof ValidationError && e.message.includes('agentTransitions[1]: P row (s=2,a=1) sums to 0.9'));
  assert.throws(() => createProblem({ ...(problemToJSON(problem) as object), rewards: problem.rewards, agentTransitions: [{ dense: new Array(18).fill(1 / 3) }, { dense: [-1, 2, 0, ...new Array(15).fill(1 / 3)] }] } as never), (e: Error) => e.message.includes("agentTransitions[1]: P(s'=0|s,a) in row (s=0,a=0) is negative"));
});

test('files: wrong-typed optional fields of a problem file are refused, not dropped or replaced', () => {
  const path = join(tmp(), 'p.json');
  const json = problemToJSON(garnet({ states: 3, actions: 2, branching: 2, agents: 2, gamma: 0.9, heterogeneity: 1, seed: 1 }));
  writeFileSync(path, JSON.stringify({ ...json, meta: 5 }));
  assert.throws(() => loadProblem(path), (e: Error) => e instanceof ValidationError && e.field === 'meta' && e.message.includes('5'));
  writeFileSync(path, JSON.stringify({ ...json, name: 7 }));
  assert.throws(() => loadProblem(path), (e: Error) => e instanceof ValidationError && e.field === 'name' && e.message.includes('7'));
  writeFileSync(path, JSON.stringify({ ...json, name: 'mine', meta: { note: 'kept' } }));
  assert.deepEqual([loadProblem(path).name, loadProblem(path).meta], ['mine', { note: 'kept' }]);
});

test('files: a verified results file repeating a key is corrupt even when its checksum matches', () => {
  const path = join(tmp(), 'run.json');
  const zeros = '0'.repeat(64);
  const unsigned = `{"format":"fedpg-lab/run@1","sha256":"${zeros}","job":{"id":"x"},"rows":[],"rows":[{"J":1}]}\n`;
  writeFileSync(path, unsigned.replace(zeros, createHash('sha256').update(unsigned).digest('hex')));
  assert.throws(() => readVerified(path, 'fedpg-lab/run@1'), (e: Error) => e instanceof CorruptFileError && /gives rows twice/.test(e.message));
});

test('files: a huge seed count is refused by the job-count limit when the file is parsed, before any job is listed', () => {
  const json = JSON.parse(EXPERIMENT.replace('"rounds": 3, "rounds": 300', '"rounds": 3'));
  assert.throws(() => parseExperiment({ ...json, seeds: 1e12 }), (e: Error) => e instanceof ValidationError && e.field === 'seeds' && /1\.00e\+12 jobs/.test(e.message) && /limits\.sweepJobs/.test(e.message));
  assert.throws(() => parseExperiment({ ...json, grid: { localSteps: [1, 2, 3] }, seeds: 40000 }), (e: Error) => e instanceof ValidationError && /1\.20e\+5 jobs \(3 configurations × 40000 seeds\)/.test(e.message));
  assert.throws(() => parseExperiment({ ...json, budgets: { big: { seeds: 2e5 } } }), (e: Error) => e instanceof ValidationError && e.field === 'budgets.big.seeds');
  // Raised on purpose, it is accepted.
  assert.equal(parseExperiment({ ...json, seeds: 2e5, limits: { sweepJobs: 1e6 } }).seeds, 2e5);
});

test('command line: a boolean flag given as --flag=value is read as written or refused by name (dist build)', () => {
  const dir = tmp();
  const path = join(dir, 'e.json');
  writeFileSync(path, EXPERIMENT.replace('"rounds": 3, "rounds": 300', '"rounds": 2'));
  const cli = (args: string[], revision: string) => spawnSync(process.execPath, [join(__dirname, '..', 'dist', 'cli.js'), 'sweep', path, '--workers', '0', '--out', join(dir, 'r'), ...args], { encoding: 'utf8', env: { ...process.env, FEDPG_REVISION: revision } });
  assert.equal(cli([], 'aaaa').status, 0);
  // Remove the run so that the folder needs new work under another revision: that needs --allow-revision-change.
  const runs = join(dir, 'r', 'runs');
  const file = JSON.parse(readFileSync(join(dir, 'r', 'manifest.json'), 'utf8')) as { totalJobs: number };
  assert.equal(file.totalJobs, 1);
  for (const f of readdirSync(runs)) rmSync(join(runs, f));
  const refused = cli(['--allow-revision-change=yes'], 'bbbb');
  assert.equal(refused.status, 2);
  assert.match(refused.stderr, /--allow-revision-change is a switch: give it alone \(or =true, =false\), got "--allow-revision-change=yes"/);
  const off = cli(['--allow-revision-change=false'], 'bbbb');
  assert.equal(off.status, 1);
  assert.match(off.stderr, /--allow-revision-change/);
  const on = cli(['--allow-revision-change=true'], 'bbbb');
  assert.equal(on.status, 0, on.stderr);
});
