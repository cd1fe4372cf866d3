import { fail, formatValue } from '../core/check';
import { isPlainObject } from '../core/schema';
import type { FederatedProblem } from '../mdp/problem';
import { type Algorithm, type AlgorithmSetup, isAlgorithm } from '../algorithms/algorithm';
import { checkConfigFits, resolveRunConfig, type RunConfig, runPolicyClass } from '../algorithms/config';
import type { ResolvedConfig } from '../algorithms/settings';
import { algorithmSetup } from './context';
import { buildRun, type Run } from './loop';
import { problemHash } from '../mdp/problemHash';
import { algorithmCode, type AlgorithmRegistry, sessionRegistry } from './registry';
import { algorithmStateFromJSON, countersFromJSON, historyRowFromJSON, migrateRunState, RUN_STATE_FORMAT, RUN_STATE_FORMAT_V1, type RunState } from './runState';

export type { Run, RunForOptions } from './loop';
export { RUN_STATE_FORMAT, type RunState } from './runState';

/** A run config resolved once for its algorithm and checked against its problem: what createRun, checkRun and restoreRun build on. */
interface PreparedRun {
  algorithm: Algorithm;
  config: ResolvedConfig;
  setup: AlgorithmSetup;
}

/**
 * Where a run looks up an algorithm name: `algorithms` (default: this thread's registry, runs/registry.ts);
 * for restoreRun, `policy`: the policy class (or its spec) again when the saved config names a researcher's
 * feature map, which a saved state cannot hold.
 */
export interface RunOptions {
  algorithms?: AlgorithmRegistry;
  policy?: RunConfig['policy'];
}

/** Look the algorithm up once (unless given), resolve the config for it, check it against the problem and the algorithm's own `validate`. */
function prepareRun(problem: FederatedProblem, config: RunConfig, registry: AlgorithmRegistry, algorithm?: Algorithm): PreparedRun {
  if (!isPlainObject(config)) fail('config', config, `must be an object (a run config), got ${formatValue(config)}`);
  const alg = algorithm ?? registry.resolve('algorithm', config.algorithm === undefined ? fail('algorithm', undefined, 'is required (a registered name or an algorithm value)') : config.algorithm);
  const resolved = resolveRunConfig(config, alg);
  checkConfigFits(problem, resolved, config.policy);
  const setup = algorithmSetup(problem, resolved, alg, runPolicyClass(problem, resolved, config.policy));
  alg.validate?.(setup);
  return { algorithm: alg, config: resolved, setup };
}

/**
 * Start a run of `config.algorithm` (a registered name or an algorithm value) on `problem`
 * (algorithms/config.ts lists every field and default; the algorithm's options are top-level keys).
 * Streams: seed/run/round:t/agent:i/<label> (the built-ins use 'anchor' and 'step:ℓ'), so results do not
 * depend on execution order.
 */
export function createRun(problem: FederatedProblem, config: RunConfig, options: RunOptions = {}): Run {
  const { algorithm, config: resolved, setup } = prepareRun(problem, config, options.algorithms ?? sessionRegistry());
  return buildRun(problem, resolved, algorithm, setup, algorithm.init(setup), { round: 0, envSteps: 0, messages: 0, syncs: 0 }, []);
}

/**
 * Everything createRun checks before the first round, without building the run: the config against the
 * problem, and the algorithm's own `validate(setup)` (e.g. fednpg's exact oracle and step size, ifca's
 * K ≤ N). Experiment files call it for every configuration when they are read.
 */
export function checkRun(problem: FederatedProblem, config: RunConfig, options: RunOptions = {}): void {
  prepareRun(problem, config, options.algorithms ?? sessionRegistry());
}

/**
 * A saved config in today's form: before `reuseAnchor` was an option of the algorithms that run Fast-FedPG's
 * round, resolved configs held it as a top-level field. It moves into the options of an algorithm that
 * declares it; for any other algorithm it must be false (it was ignored) and is dropped.
 */
function migrateSavedConfig(saved: Record<string, unknown>, algorithm: Algorithm): Record<string, unknown> {
  const { reuseAnchor, options, ...rest } = saved;
  const own = { ...((options as Record<string, unknown> | undefined) ?? {}) };
  if (reuseAnchor !== undefined) {
    if ('reuseAnchor' in algorithm.options) own.reuseAnchor ??= reuseAnchor;
    else if (reuseAnchor !== false) fail('state.config.reuseAnchor', reuseAnchor, `is set, but ${algorithm.name} has no such option`);
  }
  return { ...rest, ...own };
}

/** A state restores only onto the problem it was computed on: its content hash, when the state records one. */
function checkSameProblem(problem: FederatedProblem, saved: RunState): void {
  const hash = saved.problem.hash;
  if (hash === undefined) return;
  const now = problemHash(problem);
  if (hash !== now) {
    fail('state.problem.hash', hash, `is ${hash.slice(0, 12)}…, but the problem given has content hash ${now.slice(0, 12)}… (${problem.name}): the state was computed on another problem of the same size (${saved.problem.name}); restoring would mix the histories of two problems`);
  }
}

/**
 * A state restores only with the code that computed it: the algorithm's code identity (algorithmCode) must
 * be the one it records. A state saved before code identities were recorded restores only with the package's
 * own algorithms.
 */
function checkSameCode(algorithm: Algorithm, saved: RunState): void {
  const now = algorithmCode(algorithm);
  const then = saved.algorithmCode;
  const describe = (code: string) => (code === 'package' ? "the package's built-in" : `code ${code.slice(0, 19)}…`);
  if (then === undefined) {
    if (now !== 'package') fail('state.algorithmCode', then, `is missing (a state saved before code identities were recorded), and "${algorithm.name}" is not the package's own algorithm: which code computed it cannot be checked; start the run again`);
    return;
  }
  if (then !== now) {
    fail('state.algorithmCode', then, `says the run was computed by ${describe(then)} "${algorithm.name}", but the algorithm it would continue with is ${describe(now)}: restoring would continue the run with other code (pass the algorithm value that saved it)`);
  }
}

/**
 * Continue a run from `run.state` (possibly after a JSON round-trip): bit-identical to never having
 * stopped. The algorithm is looked up by `state.config.algorithm` in the registry unless given. States of
 * the format before algorithms were values (@1, e.g. old sweep checkpoints) are read too.
 */
export function restoreRun(problem: FederatedProblem, savedState: RunState, algorithm?: Algorithm<any>, options: RunOptions = {}): Run {
  const saved = savedState?.format === (RUN_STATE_FORMAT_V1 as string) ? migrateRunState(savedState as unknown as Record<string, unknown>) : savedState;
  if (saved == null || saved.format !== RUN_STATE_FORMAT) fail('state.format', saved?.format, `must be "${RUN_STATE_FORMAT}"`);
  const N = problem.rewards.length;
  if (saved.problem.S !== problem.S || saved.problem.A !== problem.A || saved.problem.N !== N) {
    fail('state.problem', saved.problem, `is S=${saved.problem.S}, A=${saved.problem.A}, N=${N === saved.problem.N ? N : saved.problem.N} but the problem is S=${problem.S}, A=${problem.A}, N=${N}`);
  }
  checkSameProblem(problem, saved);
  const name = saved.config?.algorithm;
  if (algorithm !== undefined && !isAlgorithm(algorithm)) fail('algorithm', algorithm, 'must be made by defineAlgorithm');
  if (algorithm !== undefined && algorithm.name !== name) fail('algorithm', algorithm.name, `does not match the saved run's algorithm "${name}"`);
  const registry = options.algorithms ?? sessionRegistry();
  const alg = algorithm ?? registry.resolve('state.config.algorithm', name);
  checkSameCode(alg, saved);
  const config = { ...migrateSavedConfig(saved.config as unknown as Record<string, unknown>, alg), algorithm: alg, initialTheta: saved.config.initialTheta ?? undefined, ...(options.policy !== undefined ? { policy: options.policy } : {}) } as RunConfig;
  const { config: resolved, setup } = prepareRun(problem, config, registry, alg);
  const state = algorithmStateFromJSON(alg, saved.algorithmState, setup);
  alg.checkState?.(state, setup);
  return buildRun(problem, resolved, alg, setup, state, countersFromJSON(saved), (saved.history ?? []).map(historyRowFromJSON));
}
