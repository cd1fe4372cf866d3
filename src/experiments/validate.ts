import type { Algorithm } from '../algorithms/algorithm';
import { fail } from '../core/check';
import { ValidationError } from '../core/errors';
import { EXPERIMENT_PARAMETERS, type ExperimentParameter, type Limits } from '../core/parameters';
import type { FederatedProblem } from '../mdp/problem';
import type { AlgorithmRegistry } from '../runs/registry';
import { checkRunConfig } from '../runs/resolve';
import { checkRun } from '../runs/run';
import { experimentRegistry } from './algorithmModules';
import { checkGeneratorOptions, checkProblemKeys, generatorOptionsFromPoint, problemFromPoint, problemKey } from './problemFromPoint';
import { runConfigFromPoint } from './runConfigFromPoint';
import { applyBudget, checkGrid, checkGrids, checkPoint, configurations, type ExperimentSpec, type ParameterTable, type Point } from './spec';

/**
 * The experiment parameters and the options of every algorithm of `registry` (`reuseAnchor` of fast-fedpg,
 * `beta` of fedsvrpg-m, `mixing` of fednpg, those of the experiment's algorithmModules), as run parameters.
 * Whether an option belongs to the configuration's algorithm is checked with the run config.
 */
export function experimentParameters(registry: AlgorithmRegistry): ParameterTable {
  const table: Record<string, ExperimentParameter> = { ...EXPERIMENT_PARAMETERS };
  for (const name of registry.names) {
    for (const [key, spec] of Object.entries((registry.find(name) as Algorithm).options)) if (!(key in table)) table[key] = { ...spec, kind: 'run' };
  }
  return table;
}

/** Parameters a run needs that an 'identity' experiment does not use. */
const IDENTITY_KEEPS = new Set(['entropy', 'horizon', 'batch']);

/** Problems generated to check configurations, by problemKey (a few, reused across a file's budgets). */
const checkProblems = new Map<string, FederatedProblem>();

function generatedProblem(point: Point, limits: Partial<Limits> | undefined): FederatedProblem {
  const key = problemKey(point, 0);
  let problem = checkProblems.get(key);
  if (!problem) {
    problem = problemFromPoint(point, 0, '.', limits);
    if (checkProblems.size > 64) checkProblems.clear();
    checkProblems.set(key, problem);
  }
  return problem;
}

/** A short description of the swept values of a point, for messages. */
function describePoint(point: Point): string {
  return Object.entries(point)
    .filter(([k]) => ['algorithm', 'oracle', 'agents', 'localSteps', 'batch', 'rounds', 'heterogeneity', 'transitionHeterogeneity', 'wind', 'states'].includes(k))
    .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(', ');
}

/**
 * Check every configuration a (budget-applied) spec describes, before any work: the run config each point
 * makes (resolved for its algorithm: types, enumerations, sampled-only keys on an exact oracle, supported
 * estimators, sizes), the generator options of its problem, and what a run checks when it starts (the
 * config against the problem, generated with seed 0, and the algorithm's own `validate`). `where` names the
 * budget in messages.
 */
function checkConfigurations(spec: ExperimentSpec, where: string, registry: AlgorithmRegistry, table: ParameterTable): void {
  configurations(spec).forEach((point, config) => {
    try {
      if (spec.kind === 'identity') {
        // The identity compares the agents' mean gradient with the averaged MDP's, which exists only for a shared P.
        if (point.generator === 'windy-cliff') fail('generator', point.generator, `is "windy-cliff", which gives each agent its own P_i, and an 'identity' experiment needs the averaged MDP, which exists only for a shared P`);
        if (typeof point.transitionHeterogeneity === 'number' && point.transitionHeterogeneity > 0) fail('transitionHeterogeneity', point.transitionHeterogeneity, `is ${point.transitionHeterogeneity}: κ > 0 gives each agent its own P_i, and an 'identity' experiment needs the averaged MDP, which exists only for a shared P`);
        for (const k of Object.keys(point)) {
          if (table[k].kind !== 'problem' && !IDENTITY_KEEPS.has(k)) fail(k, point[k], "is not used by an 'identity' experiment (it takes the problem's parameters, entropy, horizon and batch)");
        }
      } else {
        if (point.rounds === undefined) fail('rounds', undefined, 'is required (in parameters or grid)');
        if (point.algorithm === undefined) fail('algorithm', undefined, 'is required (in parameters or grid)');
        checkRunConfig(runConfigFromPoint(point, 0, spec.limits), {}, registry);
      }
      checkProblemKeys(point);
      checkGeneratorOptions(generatorOptionsFromPoint(point, 0, spec.limits));
      const step = point.stepSize as { kind?: string; rounds?: unknown } | undefined;
      if (step && typeof step === 'object' && step.rounds !== undefined && point.rounds !== undefined && step.rounds !== point.rounds) {
        fail('stepSize.rounds', step.rounds, `plans η for T = ${String(step.rounds)} rounds but the run has rounds = ${String(point.rounds)}: leave stepSize.rounds out (it is taken from rounds)`);
      }
      // Sizes and γ do not depend on the seed; problem files are checked when the sweep reads them.
      if (spec.kind === 'runs' && typeof point.problemFile !== 'string') checkRun(generatedProblem(point, spec.limits), runConfigFromPoint(point, 0, spec.limits), { algorithms: registry });
    } catch (e) {
      if (e instanceof ValidationError) throw new ValidationError(e.field, e.value, `configuration ${config}${where} (${describePoint(point)}): ${e.message}`);
      throw e;
    }
  });
}

/** Options of `validateExperiment`. */
export interface ValidateOptions {
  /** Algorithms given by value, beside the package's, the registered ones and the experiment's algorithmModules. */
  algorithms?: readonly Algorithm<any>[];
  /** The registry to validate against instead (built by the caller, e.g. the sweep's). */
  registry?: AlgorithmRegistry;
  /** The file the spec came from, named in messages. */
  source?: string;
}

/** Specs validated as a whole (base and budgets), and the registry they were validated against. */
const validated = new WeakMap<ExperimentSpec, AlgorithmRegistry>();

/** The registry `spec` was validated against by `validateExperiment`, if it was. */
export function validatedWith(spec: ExperimentSpec): AlgorithmRegistry | undefined {
  return validated.get(spec);
}

/**
 * Validate a parsed experiment against the algorithms it may use (the package's, the registered ones, those
 * of its algorithmModules, which this loads, and `options.algorithms`): every key of its parameters, grids
 * and budgets is an experiment parameter or an option of one of them (did-you-mean otherwise), and every
 * configuration, of the spec and of each budget, is checked as a run would check it (before any work).
 * Returns the spec; errors name the field, the configuration and `options.source`.
 */
export function validateExperiment(spec: ExperimentSpec, options: ValidateOptions = {}): ExperimentSpec {
  try {
    const registry = options.registry ?? experimentRegistry(spec.algorithmModules, options.algorithms ?? []);
    const table = experimentParameters(registry);
    checkPoint('parameters', spec.parameters, table, true);
    if (spec.grid !== undefined) checkGrids('grid', spec.grid, table, true);
    for (const [name, b] of Object.entries(spec.budgets ?? {})) {
      if (b.parameters) checkPoint(`budgets.${name}.parameters`, b.parameters, table, true);
      if (Array.isArray(b.grid)) b.grid.forEach((g, i) => Object.keys(g).length > 0 && checkGrid(`budgets.${name}.grid[${i}]`, g, table, true));
      else if (b.grid) checkGrid(`budgets.${name}.grid`, b.grid, table, true);
    }
    checkConfigurations(spec, '', registry, table);
    for (const name of Object.keys(spec.budgets ?? {})) checkConfigurations(applyBudget(spec, name), ` of budget '${name}'`, registry, table);
    validated.set(spec, registry);
    return spec;
  } catch (e) {
    if (e instanceof ValidationError && options.source) throw new ValidationError(e.field, e.value, `${options.source}: ${e.message}`);
    throw e;
  }
}
