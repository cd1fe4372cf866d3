import { checkInteger, fail } from '../core/check';
import { checkField, checkKnownKeys } from '../core/schema';
import { DivergenceError } from '../core/errors';
import { norm2 } from '../core/linalg';
import { createRng, drewFrom } from '../core/rng';
import type { FederatedProblem } from '../mdp/problem';
import type { Algorithm, AlgorithmSetup, RoundResult } from '../algorithms/algorithm';
import type { ResolvedConfig } from '../algorithms/config';
import { type BoundarySite, checkAgentTheta, checkParameters, checkRoundResult, checkUnchanged, thetaBarOf } from './boundary';
import { createContextFactory } from './context';
import { problemHash } from '../mdp/problemHash';
import { algorithmCode } from './registry';
import { lazyRunFrames, type RunFrames } from './frames';
import { createMetrics, type MetricsEvaluator, type RoundMetrics } from './metrics';
import { createRunFactor } from './oracle';
import { algorithmStateToJSON, type Counters, RUN_STATE_FORMAT, type RunState } from './runState';
import { scheduledStepSize } from '../algorithms/schedules';
import type { HistoryRow, RoundTrace } from './trace';
import type { PolicyClass } from '../policy/policyClass';

/** Options of `runFor`. */
export interface RunForOptions {
  /** Record a history row every `every` rounds (and always the last). Default 1. */
  every?: number;
  /** Called after every round with its trace (progress bars, live plots). */
  onRound?: (trace: RoundTrace) => void;
}

/** A federated run, advanced one communication round at a time. */
export interface Run {
  readonly problem: FederatedProblem;
  readonly config: ResolvedConfig;
  /** The algorithm value the run executes. */
  readonly algorithm: Algorithm;
  /** The policy class θ̄ parameterises (the tabular softmax unless the config's `policy` says otherwise). */
  readonly policy: PolicyClass<number>;
  /** Rounds completed. */
  readonly round: number;
  /** A copy of θ̄. */
  readonly thetaBar: Float64Array;
  /** J* of the averaged MDP (NaN when metrics are off, and with per-agent transitions P_i). */
  readonly optimum: number;
  /** Recorded rows, starting with round 0 (the initial θ̄). */
  readonly history: readonly HistoryRow[];
  /**
   * Personalised algorithms (local-pg, ditto, ifca): a copy of each agent's own parameters θ_i (the
   * algorithm's `agentTheta`), null for algorithms with one server policy or before they exist.
   */
  readonly personal: Float64Array[] | null;
  /** JSON state after the last completed round; `restoreRun(problem, state)` continues from it. */
  readonly state: RunState;
  /**
   * Run one communication round and return its trace, added to the history unless `record` is false
   * (then, at detail 'summary', the trace's per-agent J_i are NaN: only the global metrics are evaluated).
   */
  step(options?: { record?: boolean }): RoundTrace;
  /**
   * Run `rounds` more rounds; returns the traces of this call's recorded rounds and the whole history as
   * Danfo DataFrames, built when first read (danfojs-node is an optional dependency; `run.history` holds the
   * same numbers as rows).
   */
  runFor(rounds: number, options?: RunForOptions): RunFrames & { traces: RoundTrace[] };
  /** Exact metrics at the current θ̄. */
  metrics(): RoundMetrics;
  /**
   * Whether any round of this Run object (since it was created or restored) drew a random number from the
   * run's streams. False (e.g. a built-in algorithm with the exact oracle) means that, on the same problem,
   * the rounds so far do not depend on the seed; sweeps use it to compute such runs once for all seeds.
   */
  drewRandomNumbers(): boolean;
}

const NAN_METRICS = (N: number): RoundMetrics => ({ J: NaN, gap: NaN, gradNorm: NaN, agentJ: new Float64Array(N).fill(NaN), agentGap: null });

/**
 * The run loop: one round is η_t (computed once), a context on the streams seed/run/round:t, the
 * algorithm's round over its opaque state, the counters, exact metrics and a history row. The loop knows
 * nothing of any particular algorithm.
 */
export function buildRun<S>(problem: FederatedProblem, config: ResolvedConfig, algorithm: Algorithm<S>, setup: AlgorithmSetup, start: S, counters: Counters, history: HistoryRow[]): Run {
  const N = problem.rewards.length;
  // One factor of exact evaluation for the exact oracles and the metrics: θ̄ is factored once for both.
  const factor = config.oracle.kind === 'exact' || config.metrics ? createRunFactor(problem) : null;
  const contexts = createContextFactory(problem, config, setup, factor);
  const metricsEvaluator: MetricsEvaluator | null = config.metrics ? createMetrics(problem, config.entropy, algorithm.agentTheta !== undefined, factor, setup.policy) : null;
  const root = createRng(config.seed).fold('run');
  const d = setup.size;
  const initial: BoundarySite = { algorithm: algorithm.name, where: counters.round === 0 && history.length === 0 ? 'init(setup)' : `the state restored after round ${counters.round}` };
  checkParameters(initial, 'thetaBar', thetaBarOf(initial, algorithm, start), d);
  checkAgentTheta(initial, algorithm.agentTheta?.(start), N, d);
  let state = start;
  const c = { ...counters };

  const evaluate = (perAgent = true): RoundMetrics => {
    if (!metricsEvaluator) return NAN_METRICS(N);
    const m = metricsEvaluator.evaluate(algorithm.thetaBar(state), algorithm.agentTheta?.(state) ?? null, perAgent);
    if (!Number.isFinite(m.J)) throw new DivergenceError(`diverged: J(θ̄) is ${m.J} after round ${c.round} (stepSize η = ${scheduledStepSize(config.stepSize, Math.max(0, c.round - 1), N, config.localSteps)})`);
    return m;
  };

  const rowFor = (m: RoundMetrics, stepSize: number, drift: number[], anchorNorm: number[]): HistoryRow => ({
    round: c.round,
    algorithm: config.algorithm,
    stepSize,
    J: m.J,
    gap: m.gap,
    gradNorm: m.gradNorm,
    envSteps: c.envSteps,
    messages: c.messages,
    syncs: c.syncs,
    agents: Array.from({ length: N }, (_, i) => ({ agent: i, J: m.agentJ[i], gap: m.agentGap ? m.agentGap[i] : NaN, drift: drift[i] ?? NaN, anchorNorm: anchorNorm[i] ?? NaN })),
  });

  if (history.length === 0) history.push(rowFor(evaluate(), NaN, [], []));

  function advance(record: boolean): RoundTrace {
    const t = c.round;
    const stepSize = scheduledStepSize(config.stepSize, t, N, config.localSteps);
    const sink = { envSteps: 0, messages: 0, syncs: 0 };
    const site: BoundarySite = { algorithm: algorithm.name, where: `round ${t + 1}` };
    // θ̄ᵗ as it was (the trace's thetaBefore), and its array, which the round must leave unchanged.
    const before = algorithm.thetaBar(state);
    const beforeCopy = Float64Array.from(before);
    const out = algorithm.round(contexts.forRound(t, stepSize, root.fold(`round:${t}`), sink, site), state) as RoundResult<S>;
    checkRoundResult(site, algorithm, out, N, d, config.detail === 'full');
    checkUnchanged(site, before, beforeCopy);
    checkAgentTheta(site, algorithm.agentTheta?.(out.state), N, d);
    state = out.state;
    c.round += 1;
    c.envSteps += sink.envSteps;
    c.messages += sink.messages;
    c.syncs += sink.syncs;
    const agents = out.agents ?? [];
    // Unrecorded rounds (runFor's `every`, sweeps) need only the global metrics: J_i(θ̄) costs N more solves.
    const row = rowFor(
      evaluate(record || config.detail !== 'summary'),
      stepSize,
      agents.map((a) => a.drift[a.drift.length - 1]),
      agents.map((a) => (a.anchor ? norm2(a.anchor) : NaN)),
    );
    if (record) history.push(row);
    const trace: RoundTrace = { ...row };
    if (out.assignment) trace.assignment = Array.from(out.assignment);
    if (config.detail !== 'summary') {
      trace.thetaBefore = beforeCopy;
      trace.thetaAfter = Float64Array.from(algorithm.thetaBar(state));
      if (agents.length > 0) {
        if (agents[0].anchor) trace.anchors = agents.map((a) => a.anchor as Float64Array);
        trace.thetaLocal = agents.map((a) => a.thetaLocal);
        trace.corrections = agents.map((a) => a.correction);
        trace.driftPerStep = agents.map((a) => a.drift);
        if (config.detail === 'full') trace.gradients = agents.map((a) => a.gradients ?? []);
      }
      if (out.anchorMean) trace.anchorMean = out.anchorMean;
    }
    return trace;
  }

  return {
    problem,
    config,
    algorithm: algorithm as Algorithm,
    policy: setup.policy,
    get round() {
      return c.round;
    },
    get thetaBar() {
      return Float64Array.from(algorithm.thetaBar(state));
    },
    get personal() {
      const own = algorithm.agentTheta?.(state) ?? null;
      return own ? own.map((v) => Float64Array.from(v)) : null;
    },
    optimum: metricsEvaluator ? metricsEvaluator.Jstar : NaN,
    history,
    drewRandomNumbers: () => drewFrom(root),
    get state(): RunState {
      return {
        format: RUN_STATE_FORMAT,
        config,
        problem: { name: problem.name, S: problem.S, A: problem.A, N, hash: problemHash(problem) },
        algorithmCode: algorithmCode(algorithm),
        ...c,
        algorithmState: algorithmStateToJSON(algorithm, state),
        history: history.map((r) => ({ ...r, agents: r.agents.map((a) => ({ ...a })) })),
      };
    },
    step: (options = {}) => {
      checkKnownKeys('', options as Record<string, unknown>, ['record'], 'step options');
      if (options.record !== undefined) checkField('record', options.record, { type: 'boolean', doc: 'add the round to the history' });
      return advance(options.record ?? true);
    },
    runFor(rounds, options = {}) {
      checkInteger('rounds', rounds, 0);
      checkKnownKeys('', options as Record<string, unknown>, ['every', 'onRound'], 'runFor options');
      const every = checkInteger('every', options.every ?? 1, 1);
      if (options.onRound !== undefined && typeof options.onRound !== 'function') fail('onRound', options.onRound, 'must be a function (trace) => void');
      const traces: RoundTrace[] = [];
      for (let r = 0; r < rounds; r++) {
        const record = (c.round + 1) % every === 0 || r === rounds - 1;
        const trace = advance(record);
        if (record) traces.push(trace);
        options.onRound?.(trace);
      }
      return lazyRunFrames(history, { traces });
    },
    metrics: () => evaluate(),
  };
}
