import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type NotebookState, nextNotebook, notebookSlots, sweepOrder } from '../scripts/schedule';

// The shipped case's shape: notebooks that load nothing, one experiment, several, and one that loads most.
const experiments = ['a', 'b', 'c', 'd', 'e', 'unused'];
const needs = [[], ['c', 'a'], ['a'], ['b', 'c', 'd', 'e'], []];

test('sweepOrder: experiments in the order the notebooks that load fewer of them need them; unused last', () => {
  assert.deepEqual(sweepOrder(experiments, needs), ['a', 'c', 'b', 'd', 'e', 'unused']);
  // Every experiment exactly once, also when a notebook names one that is not swept here.
  const order = sweepOrder(['x', 'y'], [['z', 'y'], ['x']]);
  assert.deepEqual(order, ['x', 'y']);
});

/** Simulate the runner: sweep in order, start notebooks whenever nextNotebook allows, finish them one step later. */
function simulate(slots: number): { startedAfter: string[][]; concurrent: number[][] } {
  const order = sweepOrder(experiments, needs);
  const state: NotebookState[] = needs.map(() => 'waiting');
  const swept = new Set<string>();
  const startedAfter: string[][] = needs.map(() => []);
  const concurrent: number[][] = [];
  const known = (e: string) => experiments.includes(e);
  for (let step = 0; step <= order.length + needs.length; step++) {
    const sweeping = step < order.length;
    // Notebooks started in the previous step finish now.
    state.forEach((s, i) => s === 'running' && (state[i] = 'done'));
    for (;;) {
      if (state.filter((s) => s === 'running').length >= notebookSlots(sweeping, slots)) break;
      const i = nextNotebook(state, needs, swept, known);
      if (i < 0) break;
      state[i] = 'running';
      startedAfter[i] = [...swept];
    }
    concurrent.push(state.flatMap((s, i) => (s === 'running' ? [i] : [])));
    if (sweeping) swept.add(order[step]);
  }
  assert.ok(state.every((s) => s === 'done'), `every notebook ran: ${state.join(',')}`);
  return { startedAfter, concurrent };
}

test('nextNotebook: a notebook starts only after every experiment it loads, never beside one sharing an experiment', () => {
  for (const slots of [1, 2, 3]) {
    const { startedAfter, concurrent } = simulate(slots);
    needs.forEach((n, i) => assert.ok(n.every((e) => startedAfter[i].includes(e)), `notebook ${i} started after ${startedAfter[i]} but loads ${n}`));
    for (const running of concurrent) {
      for (const i of running) for (const j of running) if (i < j) assert.ok(!needs[i].some((e) => needs[j].includes(e)), `notebooks ${i} and ${j} share an experiment and ran together`);
    }
  }
});

test('nextNotebook: the ready notebook that loads the most experiments first; none when nothing is ready', () => {
  const all = new Set(experiments);
  assert.equal(nextNotebook(['waiting', 'waiting', 'waiting', 'waiting', 'waiting'], needs, all, () => true), 3);
  assert.equal(nextNotebook(['waiting', 'waiting', 'waiting', 'waiting', 'waiting'], needs, new Set(), () => true), 0);
  // Notebook 2 loads 'a', which running notebook 1 also loads: it waits.
  assert.equal(nextNotebook(['done', 'running', 'waiting', 'done', 'done'], needs, all, () => true), -1);
  // An experiment this job does not sweep does not hold a notebook back.
  assert.equal(nextNotebook(['done', 'done', 'waiting', 'done', 'done'], needs, new Set(), (e) => e !== 'a'), 2);
  assert.equal(notebookSlots(true, 4), 1);
  assert.equal(notebookSlots(false, 4), 4);
});
