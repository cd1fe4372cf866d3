import { isAbsolute, join } from 'node:path';
import { checkInteger, fail, formatValue } from '../core/check';
import { EXPERIMENT_PARAMETERS, GARNET_SCHEMA, GRIDWORLD_SCHEMA, type Limits, TWO_STATE_SCHEMA, WINDY_CLIFF_SCHEMA } from '../core/parameters';
import { validateObject } from '../core/schema';
import { checkProblemEntries } from '../core/limits';
import { garnet, type GarnetOptions } from '../mdp/generators/garnet';
import { type Cell, gridworld, type GridworldOptions } from '../mdp/generators/gridworld';
import { twoState, type TwoStateOptions } from '../mdp/generators/twoState';
import { checkWindyCliffOptions, evenWinds, windyCliff, type WindyCliffOptions } from '../mdp/generators/windyCliff';
import { loadProblem } from '../mdp/io';
import type { FederatedProblem } from '../mdp/problem';
import type { Point } from './spec';

/** The parameters that define a problem: those PARAMETERS marks as 'problem' (problemSeed is resolved apart). */
const PROBLEM_KEYS = Object.keys(EXPERIMENT_PARAMETERS).filter((k) => EXPERIMENT_PARAMETERS[k].kind === 'problem' && k !== 'problemSeed');

/** The problem parameters of a point, which identify the problem (for caching across jobs). */
export function problemKey(point: Point, seed: number): string {
  return JSON.stringify([PROBLEM_KEYS.map((k) => point[k] ?? null), point.problemSeed ?? seed]);
}

/** Generator options a point describes: the generator's name and its options (absent keys stay absent: defaults come from the parameter table). */
export type GeneratorCall =
  | { generator: 'file'; path: string }
  | { generator: 'garnet'; options: GarnetOptions }
  | { generator: 'gridworld'; options: GridworldOptions }
  | { generator: 'two-state'; options: TwoStateOptions }
  | { generator: 'windy-cliff'; options: WindyCliffOptions };

/**
 * The generator call a point describes: `problemFile`, or a generator with its parameters.
 * `problemSeed` fixes a generated problem across run seeds; without it the job's seed is used.
 * Gridworld goals are the first N corners of the grid. The windy cliff's N agents get winds spread evenly
 * from calm to `wind` (`evenWinds`: θ_i = wind·i/(N−1)).
 */
export function generatorOptionsFromPoint(point: Point, seed: number, limits?: Partial<Limits>): GeneratorCall {
  if (typeof point.problemFile === 'string') return { generator: 'file', path: point.problemFile };
  const generator = (point.generator as string | undefined) ?? (EXPERIMENT_PARAMETERS.generator.default as string);
  const problemSeed = (point.problemSeed as number | undefined) ?? seed;
  const lim = limits ? { limits } : {};
  if (generator === 'garnet') {
    const options: Record<string, unknown> = { states: point.states, actions: point.actions, branching: point.branching, agents: point.agents, gamma: point.gamma, heterogeneity: point.heterogeneity, transitionHeterogeneity: point.transitionHeterogeneity, rewardModel: point.rewardModel, rewardShift: point.rewardShift, rewardClusters: point.rewardClusters, clusterSpread: point.clusterSpread, seed: problemSeed, ...lim };
    for (const k of Object.keys(options)) if (options[k] === undefined) delete options[k];
    return { generator, options: options as unknown as GarnetOptions };
  }
  if (generator === 'gridworld') {
    const W = point.width as number;
    const H = point.height as number;
    const corners: Cell[] = [[0, 0], [0, W - 1], [H - 1, 0], [H - 1, W - 1]];
    const N = (point.agents as number | undefined) ?? 4;
    if (N < 1 || N > 4) fail('agents', N, 'must be in [1, 4] for the gridworld (one goal per corner)');
    const options: Record<string, unknown> = { width: W, height: H, goals: corners.slice(0, N), slip: point.slip, gamma: point.gamma, ...lim };
    for (const k of Object.keys(options)) if (options[k] === undefined) delete options[k];
    return { generator, options: options as unknown as GridworldOptions };
  }
  if (generator === 'two-state') return { generator, options: { gamma: point.gamma as number } };
  if (generator === 'windy-cliff') {
    if (point.agents === undefined) fail('agents', undefined, "is required with generator 'windy-cliff' (one wind per agent)");
    if (point.wind === undefined) fail('wind', undefined, "is required with generator 'windy-cliff' (the strongest agent's wind, in [0, 1])");
    const options: Record<string, unknown> = { width: point.width, height: point.height, winds: evenWinds(point.agents as number, point.wind as number), gamma: point.gamma, ...lim };
    for (const k of Object.keys(options)) if (options[k] === undefined) delete options[k];
    return { generator, options: options as unknown as WindyCliffOptions };
  }
  return fail('generator', generator, "must be 'garnet', 'gridworld', 'two-state' or 'windy-cliff'");
}

/**
 * The experiment parameters each way of making a problem uses: a garnet its options (GARNET_SCHEMA), a
 * gridworld its own and `agents` (its first N corners), the two-state toy only γ, a problem file nothing
 * else. A point giving another problem parameter would label its rows with a value that changed nothing.
 */
export function problemKeysUsed(call: GeneratorCall['generator']): string[] {
  const problemKeys = (schema: object, extra: string[]) => [...Object.keys(schema).filter((k) => k in EXPERIMENT_PARAMETERS), ...extra];
  switch (call) {
    case 'file':
      return ['problemFile'];
    case 'garnet':
      return problemKeys(GARNET_SCHEMA, ['generator', 'problemSeed']);
    case 'gridworld':
      return problemKeys(GRIDWORLD_SCHEMA, ['generator', 'agents']);
    case 'two-state':
      return problemKeys(TWO_STATE_SCHEMA, ['generator']);
    case 'windy-cliff':
      return problemKeys(WINDY_CLIFF_SCHEMA, ['generator', 'agents', 'wind']);
  }
}

/** Refuse problem parameters of a point that its generator (or problem file) does not use. */
export function checkProblemKeys(point: Point): void {
  const call = typeof point.problemFile === 'string' ? 'file' : ((point.generator as GeneratorCall['generator'] | undefined) ?? (EXPERIMENT_PARAMETERS.generator.default as 'garnet'));
  const used = problemKeysUsed(call);
  for (const [k, v] of Object.entries(point)) {
    if (EXPERIMENT_PARAMETERS[k]?.kind === 'problem' && !used.includes(k)) {
      fail(k, v, call === 'file' ? `is given with problemFile, which defines the whole problem: remove ${k}` : `(${formatValue(v)}) is not used by the '${call}' generator (it uses ${used.join(', ')}): the rows would carry a value that changed nothing`);
    }
  }
}

/** Validate a generator call's options without building the problem (experiment files are checked when read). */
export function checkGeneratorOptions(call: GeneratorCall): void {
  if (call.generator === 'garnet') {
    const o = validateObject('', call.options, GARNET_SCHEMA, 'garnet options');
    checkInteger('branching', o.branching, 1, o.states as number);
    checkProblemEntries('states', (o.states as number) * (o.actions as number) * (o.branching as number) + (o.agents as number) * (o.states as number) * (o.actions as number), 'S·A·b + N·S·A', o.limits);
  } else if (call.generator === 'gridworld') validateObject('', call.options, GRIDWORLD_SCHEMA, 'gridworld options');
  else if (call.generator === 'two-state') validateObject('', call.options, TWO_STATE_SCHEMA, 'two-state options');
  else if (call.generator === 'windy-cliff') checkWindyCliffOptions(call.options);
}

/** Build the problem a point describes (generatorOptionsFromPoint), `problemFile` relative to `baseDir`. */
export function problemFromPoint(point: Point, seed: number, baseDir: string, limits?: Partial<Limits>): FederatedProblem {
  const call = generatorOptionsFromPoint(point, seed, limits);
  switch (call.generator) {
    case 'file':
      return loadProblem(isAbsolute(call.path) ? call.path : join(baseDir, call.path));
    case 'garnet':
      return garnet(call.options);
    case 'gridworld':
      return gridworld(call.options);
    case 'two-state':
      return twoState(call.options);
    case 'windy-cliff':
      return windyCliff(call.options);
  }
}
