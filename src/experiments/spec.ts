import { createHash } from 'node:crypto';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { checkInteger, fail, formatValue } from '../core/check';
import { ValidationError } from '../core/errors';
import { BUDGET_SCHEMA, EXPERIMENT_PARAMETERS, EXPERIMENT_SCHEMA, type ExperimentParameter, type Limits } from '../core/parameters';
import { checkField, checkKnownKeys, isPlainObject, nearestName } from '../core/schema';
import { resolveLimits } from '../core/limits';
import { checkFolderName } from '../core/names';

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
  /**
   * Replaces these keys' values in every grid of the list that has them; or, as a list as long as the spec's
   * list of grids, replaces keys grid by grid (an empty object leaves its grid as it is).
   */
  grid?: Grid | Grid[];
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
  /** Raised (or lowered) size limits for every job and the sweep (core/parameters.ts LIMITS_SCHEMA). */
  limits?: Partial<Limits>;
  /**
   * Modules defining a researcher's algorithms (paths relative to the experiment file; absolute once
   * parsed). Validation loads them (their algorithms' options become parameters), and so does every sweep
   * worker before it runs jobs; parsing does not.
   */
  algorithmModules?: string[];
}

/** The parameters an experiment can fix or sweep: core/parameters.ts EXPERIMENT_PARAMETERS (one table for all). */
export const PARAMETERS = EXPERIMENT_PARAMETERS;

/** One unit of work: a configuration and a seed. `index` orders the sweep; `id` is stable across runs. */
export interface Job {
  index: number;
  id: string;
  config: number;
  point: Point;
  seed: number;
  /** The experiment's raised size limits, when it sets any (not part of the job's identity). */
  limits?: Partial<Limits>;
}

const isObject = isPlainObject;

/** The parameters a point may hold: the experiment parameters, and (when validating) the registered algorithms' options. */
export type ParameterTable = Readonly<Record<string, ExperimentParameter>>;

/**
 * One parameter value, checked against its descriptor (type, range, allowed values). A key the table does
 * not know is kept as it is when `strict` is false (parsing: it may be an algorithm's option, which
 * validation checks against the registry), and refused with a did-you-mean when it is true.
 */
function checkParam(field: string, name: string, value: unknown, table: ParameterTable, strict: boolean): ParamValue {
  if (name in table) return checkField(field, value, table[name]) as ParamValue;
  if (strict) fail(field, value, 'is not a parameter');
  if (value === null || (typeof value !== 'number' && typeof value !== 'string' && typeof value !== 'boolean' && !isObject(value))) fail(field, value, `must be a number, a string, a boolean or an object, got ${formatValue(value)}`);
  return value as ParamValue;
}

/** A point's keys and values (see checkParam for `strict`). */
export function checkPoint(field: string, value: unknown, table: ParameterTable = EXPERIMENT_PARAMETERS, strict = false): Point {
  if (!isObject(value)) fail(field, value, `must be an object, got ${formatValue(value)}`);
  if (strict) checkKnownKeys(field, value, Object.keys(table), 'an experiment');
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, checkParam(`${field}.${k}`, k, v, table, strict)]));
}

/** The grids of a spec as a list (an object is a list of one). */
export function gridList(grid: Grid | Grid[] | undefined): Grid[] {
  return grid === undefined ? [{}] : Array.isArray(grid) ? grid : [grid];
}

/** A grid or a list of grids (see checkParam for `strict`). */
export function checkGrids(field: string, value: unknown, table: ParameterTable = EXPERIMENT_PARAMETERS, strict = false): Grid | Grid[] {
  if (!Array.isArray(value)) return checkGrid(field, value, table, strict);
  if (value.length === 0) fail(field, value, 'must be a grid object or a non-empty array of grid objects');
  return value.map((g, i) => checkGrid(`${field}[${i}]`, g, table, strict));
}

/** A grid: non-empty arrays of distinct values per key (see checkParam for `strict`). */
export function checkGrid(field: string, value: unknown, table: ParameterTable = EXPERIMENT_PARAMETERS, strict = false): Grid {
  if (value === undefined) return {};
  if (!isObject(value)) fail(field, value, `must be an object of arrays, got ${formatValue(value)}`);
  if (strict) checkKnownKeys(field, value, Object.keys(table), 'an experiment');
  return Object.fromEntries(
    Object.entries(value).map(([k, vs]) => {
      if (!Array.isArray(vs) || vs.length === 0) fail(`${field}.${k}`, vs, `must be a non-empty array, got ${formatValue(vs)}`);
      const seen = new Map<string, number>();
      return [
        k,
        vs.map((v, i) => {
          const checked = checkParam(`${field}.${k}[${i}]`, k, v, table, strict);
          const key = canonicalJSON(checked);
          const first = seen.get(key);
          if (first !== undefined) fail(`${field}.${k}[${i}]`, v, `repeats ${field}.${k}[${first}] = ${key}: each value would run twice`);
          seen.set(key, i);
          return checked;
        }),
      ];
    }),
  );
}

function checkSeeds(field: string, value: unknown): number | number[] {
  if (typeof value === 'number') return checkInteger(field, value, 1);
  if (!Array.isArray(value) || value.length === 0) fail(field, value, `must be a count ≥ 1 or a non-empty array of integers, got ${formatValue(value)}`);
  const seen = new Map<number, number>();
  return value.map((s, i) => {
    const seed = checkInteger(`${field}[${i}]`, s, 0);
    const first = seen.get(seed);
    if (first !== undefined) fail(`${field}[${i}]`, s, `repeats ${field}[${first}] = ${seed}: a repeated seed is the same run twice and would shrink the standard error`);
    seen.set(seed, i);
    return seed;
  });
}

/** Paths of algorithm modules made absolute: relative ones are taken from `baseDir` (the experiment file's folder). */
export function resolveAlgorithmModules(paths: readonly string[], baseDir: string): string[] {
  return paths.map((p) => (isAbsolute(p) ? p : resolve(baseDir, p)));
}

/**
 * Parse an experiment object: its structure, the values of the experiment parameters it sets, its seeds,
 * budgets and limits, its modules' paths (made absolute from `source`'s folder). Pure: it loads no module,
 * generates no problem and reads no registry, so keys it does not know are kept for validation (they may be
 * an algorithm's options). Errors name the field and `source`. Then `validateExperiment` checks it against
 * the algorithms (experiments/validate.ts), `expandJobs` plans it and `sweep` runs it; `readExperiment`
 * reads, parses and validates a file.
 */
export function parseExperiment(json: unknown, source?: string): ExperimentSpec {
  try {
    if (!isObject(json)) fail('experiment', json, 'must be a JSON object');
    checkKnownKeys('', json, Object.keys(EXPERIMENT_SCHEMA), 'an experiment file');
    if (json.format !== EXPERIMENT_FORMAT) fail('format', json.format, `must be "${EXPERIMENT_FORMAT}", got ${formatValue(json.format)}`);
    const name = checkFolderName('name', json.name);
    const kind = checkField('kind', json.kind, EXPERIMENT_SCHEMA.kind) as ExperimentKind;
    if (json.description !== undefined) checkField('description', json.description, EXPERIMENT_SCHEMA.description);
    let algorithmModules: string[] | undefined;
    if (json.algorithmModules !== undefined) {
      const list = json.algorithmModules;
      if (!Array.isArray(list) || list.length === 0 || !list.every((p) => typeof p === 'string' && p.length > 0)) fail('algorithmModules', list, 'must be a non-empty array of module paths (relative to the experiment file)');
      algorithmModules = resolveAlgorithmModules(list as string[], source ? dirname(source) : process.cwd());
    }
    const budgets: Record<string, Budget> = {};
    if (json.budgets !== undefined) {
      if (!isObject(json.budgets)) fail('budgets', json.budgets, 'must be an object of budgets');
      for (const [name, b] of Object.entries(json.budgets)) {
        checkFolderName(`budgets.${name}`, name, 'a budget name');
        if (!isObject(b)) fail(`budgets.${name}`, b, 'must be an object');
        checkKnownKeys(`budgets.${name}`, b, Object.keys(BUDGET_SCHEMA), 'a budget');
        budgets[name] = {
          ...(b.parameters !== undefined ? { parameters: checkPoint(`budgets.${name}.parameters`, b.parameters) } : {}),
          ...(b.grid !== undefined ? { grid: Array.isArray(b.grid) ? b.grid.map((g, i) => (isObject(g) && Object.keys(g).length === 0 ? {} : checkGrid(`budgets.${name}.grid[${i}]`, g))) : checkGrid(`budgets.${name}.grid`, b.grid) } : {}),
          ...(b.seeds !== undefined ? { seeds: checkSeeds(`budgets.${name}.seeds`, b.seeds) } : {}),
        };
      }
    }
    const spec: ExperimentSpec = {
      format: EXPERIMENT_FORMAT,
      name,
      ...(typeof json.description === 'string' ? { description: json.description } : {}),
      kind,
      parameters: checkPoint('parameters', json.parameters),
      grid: checkGrids('grid', json.grid),
      seeds: checkSeeds('seeds', json.seeds),
      budgets,
      ...(json.limits !== undefined ? { limits: resolveLimits('limits', json.limits) } : {}),
      ...(algorithmModules ? { algorithmModules } : {}),
    };
    const grids = gridList(spec.grid);
    for (const [i, g] of grids.entries()) {
      for (const k of Object.keys(g)) {
        if (k in spec.parameters) fail(Array.isArray(spec.grid) ? `grid[${i}].${k}` : `grid.${k}`, g[k], `is also fixed in parameters (${canonicalJSON(spec.parameters[k])}): give it in one place`);
      }
    }
    checkJobCount(spec);
    for (const name of Object.keys(budgets)) checkJobCount(applyBudget(spec, name), name);
    for (const [name, b] of Object.entries(budgets)) {
      if (Array.isArray(b.grid)) {
        if (b.grid.length !== grids.length) fail(`budgets.${name}.grid`, b.grid, `has ${b.grid.length} entries, but the spec has ${grids.length} grid(s): give one override object per grid, in order ({} to leave a grid as it is)`);
        b.grid.forEach((o, i) => {
          for (const k of Object.keys(o)) if (!(k in grids[i])) fail(`budgets.${name}.grid[${i}].${k}`, o[k], `replaces the values of a grid key, but grid[${i}] has no ${k}`);
        });
        continue;
      }
      for (const k of Object.keys(b.grid ?? {})) {
        if (!grids.some((g) => k in g)) fail(`budgets.${name}.grid.${k}`, (b.grid as Grid)[k], `replaces the values of a grid key, but no grid has ${k}: put it in budgets.${name}.parameters, or add it to the grid`);
      }
    }
    return spec;
  } catch (e) {
    if (e instanceof ValidationError && source) throw new ValidationError(e.field, e.value, `${source}: ${e.message}`);
    throw e;
  }
}

/** The spec with a budget's overrides applied (parameters merged, grid keys replaced in every grid, or grid by grid, seeds replaced). */
export function applyBudget(spec: ExperimentSpec, budget: string | undefined): ExperimentSpec {
  if (budget === undefined) return spec;
  const b = spec.budgets?.[budget];
  if (!b) {
    const names = Object.keys(spec.budgets ?? {});
    const near = nearestName(budget, names);
    fail('budget', budget, `"${budget}" is not a budget of experiment "${spec.name}" (it has: ${names.join(', ') || 'none'})${near ? `; did you mean '${near}'?` : ''}`);
  }
  const overrideOf = (i: number): Grid | undefined => (Array.isArray(b.grid) ? b.grid[i] : b.grid);
  const replace = (g: Grid, i: number): Grid => Object.fromEntries(Object.entries(g).map(([k, vs]) => {
    const o = overrideOf(i);
    return [k, o && k in o ? o[k] : vs];
  }));
  return {
    ...spec,
    parameters: { ...spec.parameters, ...(b.parameters ?? {}) },
    grid: Array.isArray(spec.grid) ? spec.grid.map(replace) : replace(spec.grid ?? {}, 0),
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
 * The configurations of a (budget-applied) spec, in order: the cartesian product of each grid in key order
 * (last key fastest) over the fixed parameters, grids in list order. The one expansion of the grid:
 * validation checks these points, `expandJobs` makes them jobs.
 */
export function configurations(spec: ExperimentSpec): Point[] {
  return gridList(spec.grid).flatMap((grid) => {
    let ps: Point[] = [{ ...spec.parameters }];
    for (const k of Object.keys(grid)) ps = ps.flatMap((p) => grid[k].map((v) => ({ ...p, [k]: v })));
    return ps;
  });
}

/** The number of jobs of a (budget-applied) spec, Σ_grids Π_keys |values| × seeds, without listing them. */
export function jobCount(spec: ExperimentSpec): number {
  const seeds = typeof spec.seeds === 'number' ? spec.seeds : spec.seeds.length;
  return gridList(spec.grid).reduce((sum, g) => sum + Object.values(g).reduce((p, vs) => p * vs.length, 1), 0) * seeds;
}

/** Refuse a spec with more jobs than limits.sweepJobs, before they are listed (a huge seed count is refused at once). */
export function checkJobCount(spec: ExperimentSpec, budget?: string): void {
  const { sweepJobs } = resolveLimits('limits', spec.limits);
  const count = jobCount(spec);
  if (count > sweepJobs) {
    const seeds = typeof spec.seeds === 'number' ? spec.seeds : spec.seeds.length;
    fail(budget ? `budgets.${budget}.seeds` : 'seeds', spec.seeds, `make ${count.toExponential(2)} jobs (${count / seeds} configurations × ${seeds} seeds)${budget ? ` in budget '${budget}'` : ''}, above the limit ${sweepJobs.toExponential(2)} (limits.sweepJobs); raise it with "limits": { "sweepJobs": … } if you mean it`);
  }
}

/**
 * All jobs of a (budget-applied) spec: its configurations times the seeds, configuration-major. Order and
 * ids depend only on the spec.
 */
export function expandJobs(spec: ExperimentSpec): Job[] {
  checkJobCount(spec);
  const seeds = typeof spec.seeds === 'number' ? Array.from({ length: spec.seeds }, (_, i) => i) : spec.seeds;
  const jobs: Job[] = [];
  configurations(spec).forEach((point, config) => {
    for (const seed of seeds) jobs.push({ index: jobs.length, id: `${String(jobs.length).padStart(5, '0')}-${shortHash({ point, seed })}`, config, point, seed, ...(spec.limits ? { limits: spec.limits } : {}) });
  });
  return jobs;
}

/**
 * The default results folder of an experiment and budget, `<root>/<name>/<budget or 'default'><suffix>`
 * under the current directory, refused when it would not be inside `<root>` (a name `..`).
 */
export function defaultResultsDir(name: string, budget: string | undefined, suffix = '', root = join('data', 'results')): string {
  checkFolderName('name', name, 'an experiment name');
  if (budget !== undefined) checkFolderName('budget', budget, 'a budget name');
  const top = resolve(root);
  const dir = resolve(top, name, `${budget ?? 'default'}${suffix}`);
  if (!dir.startsWith(`${top}${sep}`)) fail('name', name, `would put the results in ${dir}, outside ${top}`);
  return dir;
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
