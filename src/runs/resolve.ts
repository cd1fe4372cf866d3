import { fail, formatValue } from '../core/check';
import { RUN_SCHEMA } from '../core/parameters';
import { isPlainObject, type Schema } from '../core/schema';
import { checkConfigFits, resolveRunConfig, type RunConfig } from '../algorithms/config';
import type { ResolvedConfig } from '../algorithms/settings';
import type { FederatedProblem } from '../mdp/problem';
import { type AlgorithmRegistry, sessionRegistry } from './registry';

/**
 * Validate a run config and fill the defaults, strictly, without its problem: the algorithm it names (a
 * name in `registry`, by default this thread's, or a value) is looked up once and the config resolved for
 * it (algorithms/config.ts, resolveRunConfig). Experiment validation checks every configuration with it.
 */
export function checkRunConfig(config: RunConfig, extra: Schema = {}, registry: AlgorithmRegistry = sessionRegistry()): ResolvedConfig {
  if (!isPlainObject(config)) fail('config', config, `must be an object (a run config), got ${formatValue(config)}`);
  if (config.algorithm === undefined) fail('algorithm', undefined, `is required (${RUN_SCHEMA.algorithm.doc})`);
  return resolveRunConfig(config, registry.resolve('algorithm', config.algorithm), extra);
}

/** Validate a run config against its problem and fill the defaults (checkRunConfig, plus the sizes that depend on the problem). */
export function resolveConfig(problem: FederatedProblem, config: RunConfig, extra: Schema = {}, registry: AlgorithmRegistry = sessionRegistry()): ResolvedConfig {
  if (problem.rewards.length === 0) fail('problem.rewards', problem.rewards, 'is empty: N must be ≥ 1');
  const resolved = checkRunConfig(config, extra, registry);
  checkConfigFits(problem, resolved, config.policy);
  return resolved;
}
