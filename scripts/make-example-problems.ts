/**
 * Writes the example problems in data/problems/ (committed together with this script).
 * Run: npx tsx scripts/make-example-problems.ts
 */
import { join } from 'node:path';
import { garnet, gridworld, saveProblem, twoState } from '../src/index';

const dir = join(__dirname, '..', 'data', 'problems');
saveProblem(twoState({ gamma: 0.9 }), join(dir, 'two-state.json'), { dense: true });
saveProblem(
  gridworld({ width: 5, height: 5, goals: [[0, 0], [0, 4], [4, 0], [4, 4]], slip: 0.1, walls: [[2, 1], [2, 2], [2, 3]], gamma: 0.9 }),
  join(dir, 'gridworld-5x5-4goals.json'),
);
saveProblem(garnet({ states: 20, actions: 4, branching: 3, agents: 5, gamma: 0.9, heterogeneity: 0.5, seed: 2024 }), join(dir, 'garnet-20x4-b3-N5.json'));
console.log(`wrote 3 problems to ${dir}`);
