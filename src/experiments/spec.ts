import { createHash } from 'node:crypto';
import { checkInteger, fail, formatValue } from '../core/check';
import { ValidationError } from '../core/errors';
import { dirname } from 'node:path';
import { ALGORITHMS } from '../algorithms/config';
import { algorithmNames, algorithmOptions } from '../algorithms/registry';
import { checkField, type FieldSpec } from '../core/schema';
import { loadAlgorithmModules, resolveAlgorithmModules } from './algorithmModules';

/** Format tag of experiment files (data/experiments/README.md). */
export const EXPERIMENT_FORMAT = 'fedpg-lab/experiment@1';

/** 'runs': federated runs over a grid; 'identity': the averaged-MDP identity over random problems. */
export type ExperimentKind = 'runs' | 'identity';

/** One value of a parameter: a number, a string, a boolean or a step-size schedule object. */
export type ParamValue = number | string | boolean | Record<string, unknown>;
/** A point of the grid: every parameter fixed. */
export type Point = Record<string, ParamValue>;
/** Values to sweep per parameter: every combination is a configuration. */
export type Grid = Record<string, ParamValue[]>;

/** Overrides of a budget ('quick', 'full', …). */
export interface Budget {
  parameters?: Point;
  /** Replaces these keys' values in every grid of the list. */
  grid?: Grid;
  seeds?: number | number[];
}

/** An experiment file (JSON). */
export interface ExperimentSpec {
  format: typeof EXPERIMENT_FORMAT;
  name: string;
  description?: string;
  kind: ExperimentKind;
  /** Fixed parameters (see PARAMETERS). */
  parameters: Point;
  /**
   * Parameters swept: every combination is a configuration. A list of grids is their union (e.g. sampled
   * runs over M and an exact-gradient control without M), configurations in list order.
   */
  grid?: Grid | Grid[];
  /** A count n (seeds 0..n−1) or an explicit list. */
  seeds: number | number[];
  budgets?: Record<string, Budget>;
  /**
   * Modules defining a researcher's algorithms (paths relative to the experiment file; absolute once
   * parsed). They are loaded when the spec is parsed and by every sweep worker before it runs jobs.
   */
  algorithmModules?: string[];
}

/**
 * The parameters an experiment can fix or sweep, with what they mean. Problem: a generator and its
 * arguments, or `problemFile`. Run: the RunConfig fields, flattened (`oracle`, `horizon`, `batch`,
 * `estimator` make the oracle). Recording: `rounds`, `every`.
 */
export const PARAMETERS: Record<string, { kind: 'problem' | 'run' | 'record'; type: 'number' | 'integer' | 'string' | 'boolean' | 'stepSize'; doc: string }> = {
  generator: { kind: 'problem', type: 'string', doc: "'garnet' | 'gridworld' | 'two-state'" },
  problemFile: { kind: 'problem', type: 'string', doc: 'a problem JSON file (relative to the experiment file)' },
  states: { kind: 'problem', type: 'integer', doc: 'S (garnet)' },
  actions: { kind: 'problem', type: 'integer', doc: 'A (garnet)' },
  branching: { kind: 'problem', type: 'integer', doc: 'b (garnet)' },
  agents: { kind: 'problem', type: 'integer', doc: 'N (garnet; gridworld uses the first N of its corner goals)' },
  gamma: { kind: 'problem', type: 'number', doc: 'γ' },
  heterogeneity: { kind: 'problem', type: 'number', doc: 'reward spread h ∈ [0,1] (garnet)' },
  rewardModel: { kind: 'problem', type: 'string', doc: "'mix' | 'centered' (garnet; centered keeps R̄ fixed across N)" },
  rewardShift: { kind: 'problem', type: 'number', doc: 'constant added to every reward (garnet; centres the per-step reward for sampled gradients)' },
  problemSeed: { kind: 'problem', type: 'integer', doc: 'seed of the generated problem (default: the run seed)' },
  width: { kind: 'problem', type: 'integer', doc: 'gridworld width' },
  height: { kind: 'problem', type: 'integer', doc: 'gridworld height' },
  slip: { kind: 'problem', type: 'number', doc: 'gridworld slip probability' },
  algorithm: { kind: 'run', type: 'string', doc: ALGORITHMS.join(' | ') },
  localSteps: { kind: 'run', type: 'integer', doc: 'H' },
  stepSize: { kind: 'run', type: 'stepSize', doc: 'η: a number or a schedule object' },
  serverStep: { kind: 'run', type: 'number', doc: 'α_g' },
  oracle: { kind: 'run', type: 'string', doc: "'exact' | 'sampled'" },
  horizon: { kind: 'run', type: 'integer', doc: 'K' },
  batch: { kind: 'run', type: 'integer', doc: 'M' },
  estimator: { kind: 'run', type: 'string', doc: "'gpomdp' | 'reinforce'" },
  entropy: { kind: 'run', type: 'number', doc: 'τ' },
  reuseAnchor: { kind: 'run', type: 'boolean', doc: 'Fast-FedPG anchor reuse' },
  rounds: { kind: 'record', type: 'integer', doc: 'T' },
  every: { kind: 'record', type: 'integer', doc: 'record a row every this many rounds' },
};

/** One unit of work: a configuration and a seed. `index` orders the sweep; `id` is stable across runs. */
export interface Job {
  index: number;
  id: string;
  config: number;
  point: Point;
  seed: number;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

/** The option descriptor `name` of any registered algorithm (`beta` of fedsvrpg-m, `mixing` of fednpg). */
function algorithmOption(name: string): FieldSpec | undefined {
  for (const a of algorithmNames()) {
    const spec = algorithmOptions(a)[name];
    if (spec) return spec;
  }
  return undefined;
}

function checkParam(field: string, name: string, value: unknown): ParamValue {
  const p = PARAMETERS[name];
  if (!p) {
    // Algorithm options (issue 10): keys declared by a registered algorithm's options schema.
    const option = algorithmOption(name);
    if (option) return checkField(field, value, option) as ParamValue;
    fail(field, value, `is not a known parameter (known: ${Object.keys(PARAMETERS).join(', ')})`);
  }
  const ok =
    p.type === 'number' ? typeof value === 'number' && Number.isFinite(value)
    : p.type === 'integer' ? typeof value === 'number' && Number.isInteger(value)
    : p.type === 'string' ? typeof value === 'string'
    : p.type === 'boolean' ? typeof value === 'boolean'
    : (typeof value === 'number' && Number.isFinite(value)) || isObject(value);
  if (!ok) fail(field, value, `must be ${p.type === 'stepSize' ? 'a number or a schedule object' : `a${p.type === 'integer' ? 'n' : ''} ${p.type}`}, got ${formatValue(value)}`);
  return value as ParamValue;
}

function checkPoint(field: string, value: unknown): Point {
  if (!isObject(value)) fail(field, value, `must be an object, got ${formatValue(value)}`);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, checkParam(`${field}.${k}`, k, v)]));
}

/** The grids of a spec as a list (an object is a list of one). */
export function gridList(grid: Grid | Grid[] | undefined): Grid[] {
  return grid === undefined ? [{}] : Array.isArray(grid) ? grid : [grid];
}

function checkGrids(field: string, value: unknown): Grid | Grid[] {
  if (!Array.isArray(value)) return checkGrid(field, value);
  if (value.length === 0) fail(field, value, 'must be a grid object or a non-empty array of grid objects');
  return value.map((g, i) => checkGrid(`${field}[${i}]`, g));
}

function checkGrid(field: string, value: unknown): Grid {
  if (value === undefined) return {};
  if (!isObject(value)) fail(field, value, `must be an object of arrays, got ${formatValue(value)}`);
  return Object.fromEntries(
    Object.entries(value).map(([k, vs]) => {
      if (!Array.isArray(vs) || vs.length === 0) fail(`${field}.${k}`, vs, `must be a non-empty array, got ${formatValue(vs)}`);
      return [k, vs.map((v, i) => checkParam(`${field}.${k}[${i}]`, k, v))];
    }),
  );
}

function checkSeeds(field: string, value: unknown): number | number[] {
  if (typeof value === 'number') return checkInteger(field, value, 1);
  if (!Array.isArray(value) || value.length === 0) fail(field, value, `must be a count ≥ 1 or a non-empty array of integers, got ${formatValue(value)}`);
  return value.map((s, i) => checkInteger(`${field}[${i}]`, s, 0));
}

/** Validate an experiment object; errors name the field (and `source`, the file, when given). */
export function parseExperiment(json: unknown, source?: string): ExperimentSpec {
  try {
    if (!isObject(json)) fail('experiment', json, 'must be a JSON object');
    if (json.format !== EXPERIMENT_FORMAT) fail('format', json.format, `must be "${EXPERIMENT_FORMAT}", got ${formatValue(json.format)}`);
    if (typeof json.name !== 'string' || !/^[A-Za-z0-9._-]+$/.test(json.name)) fail('name', json.name, `must be a name of letters, digits, '.', '_' or '-', got ${formatValue(json.name)}`);
    if (json.kind !== 'runs' && json.kind !== 'identity') fail('kind', json.kind, `must be 'runs' or 'identity', got ${formatValue(json.kind)}`);
    let algorithmModules: string[] | undefined;
    if (json.algorithmModules !== undefined) {
      const list = json.algorithmModules;
      if (!Array.isArray(list) || !list.every((p) => typeof p === 'string' && p.length > 0)) fail('algorithmModules', list, 'must be an array of module paths (relative to the experiment file)');
      algorithmModules = resolveAlgorithmModules(list as string[], source ? dirname(source) : process.cwd());
      loadAlgorithmModules(algorithmModules);
    }
    const budgets: Record<string, Budget> = {};
    if (json.budgets !== undefined) {
      if (!isObject(json.budgets)) fail('budgets', json.budgets, 'must be an object of budgets');
      for (const [name, b] of Object.entries(json.budgets)) {
        if (!isObject(b)) fail(`budgets.${name}`, b, 'must be an object');
        budgets[name] = {
          ...(b.parameters !== undefined ? { parameters: checkPoint(`budgets.${name}.parameters`, b.parameters) } : {}),
          ...(b.grid !== undefined ? { grid: checkGrid(`budgets.${name}.grid`, b.grid) } : {}),
          ...(b.seeds !== undefined ? { seeds: checkSeeds(`budgets.${name}.seeds`, b.seeds) } : {}),
        };
      }
    }
    const spec: ExperimentSpec = {
      format: EXPERIMENT_FORMAT,
      name: json.name,
      ...(typeof json.description === 'string' ? { description: json.description } : {}),
      kind: json.kind,
      parameters: checkPoint('parameters', json.parameters),
      grid: checkGrids('grid', json.grid),
      seeds: checkSeeds('seeds', json.seeds),
      budgets,
      ...(algorithmModules ? { algorithmModules } : {}),
    };
    if (spec.kind === 'runs') {
      for (const required of ['algorithm', 'rounds']) {
        gridList(spec.grid).forEach((g, i) => {
          if (!(required in spec.parameters) && !(required in g)) fail(Array.isArray(spec.grid) ? `grid[${i}].${required}` : `parameters.${required}`, undefined, 'is required (in parameters or grid)');
        });
      }
    }
    return spec;
  } catch (e) {
    if (e instanceof ValidationError && source) throw new ValidationError(e.field, e.value, `${source}: ${e.message}`);
    throw e;
  }
}

/** The spec with a budget's overrides applied (parameters merged, grid keys replaced in every grid, seeds replaced). */
export function applyBudget(spec: ExperimentSpec, budget: string | undefined): ExperimentSpec {
  if (budget === undefined) return spec;
  const b = spec.budgets?.[budget];
  if (!b) fail('budget', budget, `is not defined by experiment "${spec.name}" (it has: ${Object.keys(spec.budgets ?? {}).join(', ') || 'none'})`);
  return {
    ...spec,
    parameters: { ...spec.parameters, ...(b.parameters ?? {}) },
    grid: Array.isArray(spec.grid) ? spec.grid.map((g) => ({ ...g, ...(b.grid ?? {}) })) : { ...(spec.grid ?? {}), ...(b.grid ?? {}) },
    seeds: b.seeds ?? spec.seeds,
    budgets: {},
  };
}

/** Stable JSON (sorted keys) for hashing. */
export function canonicalJSON(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(canonicalJSON).join(',')}]`;
  if (isObject(x)) return `{${Object.keys(x).sort().map((k) => `${JSON.stringify(k)}:${canonicalJSON(x[k])}`).join(',')}}`;
  return JSON.stringify(x);
}

/** A short content hash. */
export function shortHash(x: unknown): string {
  return createHash('sha256').update(canonicalJSON(x)).digest('hex').slice(0, 12);
}

/**
 * All jobs of a (budget-applied) spec: the cartesian product of each grid in key order (last key fastest),
 * grids in list order, times the seeds, configuration-major. Order and ids depend only on the spec.
 */
export function expandJobs(spec: ExperimentSpec): Job[] {
  const points = gridList(spec.grid).flatMap((grid) => {
    let ps: Point[] = [{ ...spec.parameters }];
    for (const k of Object.keys(grid)) ps = ps.flatMap((p) => grid[k].map((v) => ({ ...p, [k]: v })));
    return ps;
  });
  const seeds = typeof spec.seeds === 'number' ? Array.from({ length: spec.seeds }, (_, i) => i) : spec.seeds;
  const jobs: Job[] = [];
  points.forEach((point, config) => {
    for (const seed of seeds) jobs.push({ index: jobs.length, id: `${String(jobs.length).padStart(5, '0')}-${shortHash({ point, seed })}`, config, point, seed });
  });
  return jobs;
}

/** Jobs of shard i of n: those whose index ≡ i (mod n). */
export function shardJobs(jobs: Job[], shard: { index: number; count: number } | undefined): Job[] {
  return shard ? jobs.filter((j) => j.index % shard.count === shard.index) : jobs;
}

/** Parse "i/n" (0 ≤ i < n). */
export function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  if (!m || Number(m[2]) < 1 || Number(m[1]) >= Number(m[2])) fail('shard', text, `must be i/n with 0 ≤ i < n, got ${formatValue(text)}`);
  return { index: Number(m[1]), count: Number(m[2]) };
}
