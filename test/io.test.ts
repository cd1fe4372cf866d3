import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { averageMDP, exactGradient, FedPGError, garnet, gridworld, loadProblem, optimalValue, problemFromJSON, problemToJSON, saveProblem, ValidationError } from '../src/index';
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
