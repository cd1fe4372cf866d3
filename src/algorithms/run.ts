import { fail } from '../core/check';
import type { FederatedProblem } from '../mdp/problem';
import { type Algorithm, isAlgorithm } from './algorithm';
import { resolveConfig, type RunConfig } from './config';
import { algorithmSetup } from './context';
import { buildRun, type Run } from './loop';
import { findAlgorithm, resolveAlgorithm } from './registry';
import { algorithmStateFromJSON, countersFromJSON, historyRowFromJSON, migrateRunState, RUN_STATE_FORMAT, RUN_STATE_FORMAT_V1, type RunState } from './runState';

export type { Run, RunForOptions } from './loop';
export { RUN_STATE_FORMAT, type RunState } from './runState';

/**
 * Start a run of `config.algorithm` (a registered name or an algorithm value) on `problem`
 * (algorithms/config.ts lists every field and default; the algorithm's options are top-level keys).
 * Streams: seed/run/round:t/agent:i/<label> (the built-ins use 'anchor' and 'step:ℓ'), so results do not
 * depend on execution order.
 */
export function createRun(problem: FederatedProblem, config: RunConfig): Run {
  const resolved = resolveConfig(problem, config);
  const algorithm = resolveAlgorithm('algorithm', config.algorithm);
  const setup = algorithmSetup(problem, resolved);
  algorithm.validate?.(setup);
  return buildRun(problem, resolved, algorithm, setup, algorithm.init(setup), { round: 0, envSteps: 0, messages: 0, syncs: 0 }, []);
}

/**
 * Everything createRun checks before the first round, without building the run: the config against the
 * problem, and the algorithm's own `validate(setup)` (e.g. fednpg's exact oracle and step size, ifca's
 * K ≤ N). Experiment files call it for every configuration when they are read.
 */
export function checkRun(problem: FederatedProblem, config: RunConfig): void {
  const resolved = resolveConfig(problem, config);
  resolveAlgorithm('algorithm', config.algorithm).validate?.(algorithmSetup(problem, resolved));
}

/**
 * Continue a run from `run.state` (possibly after a JSON round-trip): bit-identical to never having
 * stopped. The algorithm is looked up by `state.config.algorithm` in the registry unless given. States of
 * the format before algorithms were values (@1, e.g. old sweep checkpoints) are read too.
 */
export function restoreRun(problem: FederatedProblem, savedState: RunState, algorithm?: Algorithm<any>): Run {
  const saved = savedState?.format === (RUN_STATE_FORMAT_V1 as string) ? migrateRunState(savedState as unknown as Record<string, unknown>) : savedState;
  if (saved == null || saved.format !== RUN_STATE_FORMAT) fail('state.format', saved?.format, `must be "${RUN_STATE_FORMAT}"`);
  const N = problem.rewards.length;
  if (saved.problem.S !== problem.S || saved.problem.A !== problem.A || saved.problem.N !== N) {
    fail('state.problem', saved.problem, `is S=${saved.problem.S}, A=${saved.problem.A}, N=${N === saved.problem.N ? N : saved.problem.N} but the problem is S=${problem.S}, A=${problem.A}, N=${N}`);
  }
  const name = saved.config?.algorithm;
  if (algorithm !== undefined && !isAlgorithm(algorithm)) fail('algorithm', algorithm, 'must be made by defineAlgorithm');
  if (algorithm !== undefined && algorithm.name !== name) fail('algorithm', algorithm.name, `does not match the saved run's algorithm "${name}"`);
  const alg = algorithm ?? findAlgorithm(name) ?? resolveAlgorithm('state.config.algorithm', name);
  const { options, ...rest } = saved.config;
  const config = resolveConfig(problem, { ...rest, ...(options ?? {}), algorithm: alg, initialTheta: saved.config.initialTheta ?? undefined });
  const setup = algorithmSetup(problem, config);
  alg.validate?.(setup);
  const state = algorithmStateFromJSON(alg, saved.algorithmState, setup);
  return buildRun(problem, config, alg, setup, state, countersFromJSON(saved), (saved.history ?? []).map(historyRowFromJSON));
}
