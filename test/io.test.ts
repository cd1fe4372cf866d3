import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { averageMDP, createProblem, exactGradient, FedPGError, garnet, gridworld, loadProblem, optimalValue, problemFromJSON, problemToJSON, saveProblem, ValidationError } from '../src/index';
import { randomTheta } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'fedpg-io-'));

test('save → load round-trips a problem exactly (sparse and dense forms)', () => {
  const p = gridworld({ width: 4, height: 3, goals: [[0, 0], [2, 3]], walls: [[1, 1]], slip: 0.2, gamma: 0.95 });
  for (const dense of [false, true]) {
    const path = join(dir, `grid-${dense}.json`);
    saveProblem(p, path, { dense });
    const q = loadProblem(path);
    assert.deepEqual(Array.from(q.transitions.prob), Array.from(p.transitions.prob));
    assert.deepEqual(Array.from(q.transitions.next), Array.from(p.transitions.next));
    assert.deepEqual(q.rewards.map((r) => Array.from(r)), p.rewards.map((r) => Array.from(r)));
    assert.deepEqual(Array.from(q.rho), Array.from(p.rho));
    assert.deepEqual(q.stateNames, p.stateNames);
    const theta = randomTheta(p.S * p.A, 'io');
    assert.deepEqual(Array.from(exactGradient(averageMDP(q), theta)), Array.from(exactGradient(averageMDP(p), theta)));
  }
});

test('every shipped example problem in data/problems loads and has a finite optimum', () => {
  const folder = join(__dirname, '..', 'data', 'problems');
  const files = readdirSync(folder).filter((f) => f.endsWith('.json'));
  assert.ok(files.length >= 2, `only ${files.length} example problems`);
  for (const f of files) {
    const p = loadProblem(join(folder, f));
    assert.ok(Number.isFinite(optimalValue(averageMDP(p)).J), f);
  }
});

test('a file that fails validation names the file and the field', () => {
  const json = problemToJSON(garnet({ states: 3, actions: 2, branching: 2, agents: 2, gamma: 0.9, heterogeneity: 1, seed: 1 }));
  json.rewards[1][2][1] = 'x' as never;
  const path = join(dir, 'bad-reward.json');
  writeFileSync(path, JSON.stringify(json));
  assert.throws(() => loadProblem(path), (e: unknown) => e instanceof ValidationError && e.message.startsWith(`${path}: rewards[1][5] is "x"`));
  const json2 = problemToJSON(garnet({ states: 3, actions: 2, branching: 2, agents: 2, gamma: 0.9, heterogeneity: 1, seed: 1 }));
  (json2 as { gamma: number }).gamma = 1;
  const path2 = join(dir, 'bad-gamma.json');
  writeFileSync(path2, JSON.stringify(json2));
  assert.throws(() => loadProblem(path2), new RegExp(`^ValidationError: .*bad-gamma\\.json: gamma must be in \\[0, 1\\), got 1`));
  assert.throws(() => problemFromJSON({ ...json2, gamma: 0.9, transitions: { dense: [[[1, 0, 0]]] } }, 'inline'), /inline: transitions\.dense has length 1, expected 3/);
  assert.throws(() => problemFromJSON({ ...json2, format: 'other' }, 'inline'), /inline: format must be "fedpg-lab\/problem@1"/);
});

test('unreadable and non-JSON files name the file', () => {
  assert.throws(() => loadProblem(join(dir, 'missing.json')), (e: unknown) => e instanceof FedPGError && /missing\.json: cannot read problem file/.test((e as Error).message));
  const path = join(dir, 'not-json.json');
  writeFileSync(path, '{ "S": ');
  assert.throws(() => loadProblem(path), /not-json\.json: not valid JSON/);
});

test('clusterOf: a garnet with reward clusters saves its ground truth and reads it back; bad labels are refused by name', () => {
  const problem = garnet({ states: 4, actions: 2, branching: 2, agents: 5, gamma: 0.9, heterogeneity: 1, rewardClusters: 2, clusterSpread: 0.1, seed: 3 });
  assert.deepEqual(problem.clusterOf, [0, 1, 0, 1, 0]);
  const path = join(dir, 'clustered.json');
  saveProblem(problem, path);
  assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')).clusterOf, [0, 1, 0, 1, 0]);
  const back = loadProblem(path);
  assert.deepEqual(back.clusterOf, [0, 1, 0, 1, 0]);
  assert.deepEqual(back.rewards, problem.rewards);
  // Without ground truth nothing is written, and nothing comes back.
  const plain = problemToJSON(garnet({ states: 4, actions: 2, branching: 2, agents: 5, gamma: 0.9, heterogeneity: 1, seed: 3 }));
  assert.ok(!('clusterOf' in plain));
  assert.equal(problemFromJSON(plain).clusterOf, undefined);
  // Any labelling with labels 0..K−1 each used is accepted, not only garnet's round-robin.
  assert.deepEqual(problemFromJSON({ ...plain, clusterOf: [2, 2, 0, 1, 0] }).clusterOf, [2, 2, 0, 1, 0]);
  const refuse = (clusterOf: unknown, message: RegExp) => assert.throws(() => problemFromJSON({ ...plain, clusterOf }, 'inline'), (e: unknown) => e instanceof ValidationError && message.test((e as Error).message), String(clusterOf));
  refuse([0, 1, 0, 1], /^inline: clusterOf has length 4, expected one label per agent \(N = 5\)/);
  refuse([0, 1, 0, 1.5, 0], /^inline: clusterOf\[3\] must be an integer ≥ 0, got 1\.5/);
  refuse([0, 1, -1, 1, 0], /^inline: clusterOf\[2\] must be an integer ≥ 0, got −?-1/);
  refuse([0, 1, '1', 1, 0], /^inline: clusterOf\[2\] must be an integer ≥ 0, got "1"/);
  refuse([0, 2, 0, 2, 0], /^inline: clusterOf is \[0,2,0,2,0\]: no agent has label 1, but the labels must be 0\.\.K−1 \(K = 3\), each used/);
  refuse('0,1', /^inline: clusterOf must be an array of 5 cluster labels \(one per agent\), got "0,1"/);
  // The same check guards problems built in code.
  assert.throws(() => createProblem({ S: 4, A: 2, gamma: 0.9, rho: problem.rho, transitions: problem.transitions, rewards: problem.rewards, clusterOf: [1, 1, 1, 1, 1] }), /clusterOf is \[1,1,1,1,1\]: no agent has label 0/);
});
