import { isAbsolute, join } from 'node:path';
import { fail } from '../core/check';
import { garnet } from '../mdp/generators/garnet';
import { type Cell, gridworld } from '../mdp/generators/gridworld';
import { twoState } from '../mdp/generators/twoState';
import { loadProblem } from '../mdp/io';
import type { FederatedProblem } from '../mdp/problem';
import { PARAMETERS, type Point } from './spec';

/** The parameters that define a problem: those PARAMETERS marks as 'problem' (problemSeed is resolved apart). */
const PROBLEM_KEYS = Object.keys(PARAMETERS).filter((k) => PARAMETERS[k].kind === 'problem' && k !== 'problemSeed');

/** The problem parameters of a point, which identify the problem (for caching across jobs). */
export function problemKey(point: Point, seed: number): string {
  return JSON.stringify([PROBLEM_KEYS.map((k) => point[k] ?? null), point.problemSeed ?? seed]);
}

/**
 * Build the problem a point describes: `problemFile` (relative to `baseDir`), or a generator with its
 * parameters. `problemSeed` fixes a generated problem across run seeds; without it the job's seed is used.
 * Gridworld goals are the first N corners of the grid.
 */
export function problemFromPoint(point: Point, seed: number, baseDir: string): FederatedProblem {
  if (typeof point.problemFile === 'string') return loadProblem(isAbsolute(point.problemFile) ? point.problemFile : join(baseDir, point.problemFile));
  const generator = point.generator ?? 'garnet';
  const gamma = point.gamma as number;
  const problemSeed = (point.problemSeed as number | undefined) ?? seed;
  if (generator === 'garnet') {
    return garnet({
      states: point.states as number,
      actions: point.actions as number,
      branching: point.branching as number,
      agents: point.agents as number,
      gamma,
      heterogeneity: (point.heterogeneity as number | undefined) ?? 1,
      rewardModel: point.rewardModel as 'mix' | 'centered' | undefined,
      rewardShift: point.rewardShift as number | undefined,
      seed: problemSeed,
    });
  }
  if (generator === 'gridworld') {
    const W = point.width as number;
    const H = point.height as number;
    const corners: Cell[] = [[0, 0], [0, W - 1], [H - 1, 0], [H - 1, W - 1]];
    const N = (point.agents as number | undefined) ?? 4;
    if (N < 1 || N > 4) fail('parameters.agents', N, 'must be in [1, 4] for the gridworld (one goal per corner)');
    return gridworld({ width: W, height: H, goals: corners.slice(0, N), slip: point.slip as number | undefined, gamma });
  }
  if (generator === 'two-state') return twoState({ gamma });
  return fail('parameters.generator', generator, "must be 'garnet', 'gridworld' or 'two-state'");
}
