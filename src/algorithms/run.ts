import { checkInteger, fail, formatValue } from '../core/check';
import { DivergenceError } from '../core/errors';
import { norm2 } from '../core/linalg';
import { createRng } from '../core/rng';
import type { FederatedProblem } from '../mdp/problem';
import { type AlgorithmName, type ResolvedConfig, resolveConfig, type RunConfig } from './config';
import { fastFedPGRound } from './fastFedPG';
import { fedAvgPGRound, minibatchPGRound } from './fedAvgPG';
import { lazyRunFrames, type RunFrames } from './frames';
import { localPGRound } from './localPG';
import { createMetrics, type MetricsEvaluator, type RoundMetrics } from './metrics';
import { createOracles } from './oracle';
import type { AlgorithmState, RoundContext, RoundFunction } from './round';
import { scaffoldRound } from './scaffold';
import { stepSizeAt } from './schedules';
import type { HistoryRow, RoundTrace } from './trace';

const ROUNDS: Record<AlgorithmName, RoundFunction> = {
  'fast-fedpg': fastFedPGRound,
  'fedavg-pg': fedAvgPGRound,
  'minibatch-pg': minibatchPGRound,
  'local-pg': localPGRound,
  scaffold: scaffoldRound,
};

/** Format tag of a saved run state. */
export const RUN_STATE_FORMAT = 'fedpg-lab/run-state@1';

/** Everything needed to continue a run bit-identically (plain JSON). */
export interface RunState {
  format: typeof RUN_STATE_FORMAT;
  config: ResolvedConfig;
  problem: { name: string; S: number; A: number; N: number };
  /** Rounds completed. The random streams are keyed by (seed, round, agent, step), so this and the seed are the whole RNG state. */
  round: number;
  envSteps: number;
  messages: number;
  syncs: number;
  thetaBar: number[];
  agentTheta: number[][] | null;
  controls: number[][] | null;
  serverControl: number[] | null;
  history: HistoryRow[];
}

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
  /** Rounds completed. */
  readonly round: number;
  /** A copy of θ̄. */
  readonly thetaBar: Float64Array;
  /** J* of the averaged MDP (NaN when metrics are off). */
  readonly optimum: number;
  /** Recorded rows, starting with round 0 (the initial θ̄). */
  readonly history: readonly HistoryRow[];
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
}

const NAN_METRICS = (N: number): RoundMetrics => ({ J: NaN, gap: NaN, gradNorm: NaN, agentJ: new Float64Array(N).fill(NaN), agentGap: null });

function summaryRow(trace: RoundTrace): HistoryRow {
  const { round, algorithm, stepSize, J, gap, gradNorm, envSteps, messages, syncs, agents } = trace;
  return { round, algorithm, stepSize, J, gap, gradNorm, envSteps, messages, syncs, agents };
}

interface Counters {
  round: number;
  envSteps: number;
  messages: number;
  syncs: number;
}

function buildRun(problem: FederatedProblem, config: ResolvedConfig, start: AlgorithmState, counters: Counters, history: HistoryRow[]): Run {
  const N = problem.rewards.length;
  const size = problem.S * problem.A;
  const roundFn = ROUNDS[config.algorithm];
  const oracleConfig = config.algorithm === 'minibatch-pg' && config.oracle.kind === 'sampled' ? { ...config.oracle, batch: config.oracle.batch * config.localSteps } : config.oracle;
  const oracles = createOracles(problem, { ...config, oracle: oracleConfig });
  const metricsEvaluator: MetricsEvaluator | null = config.metrics ? createMetrics(problem, config.entropy, config.algorithm === 'local-pg') : null;
  const root = createRng(config.seed).fold('run');
  let state = start;
  const c = { ...counters };

  const evaluate = (perAgent = true): RoundMetrics => {
    if (!metricsEvaluator) return NAN_METRICS(N);
    const m = metricsEvaluator.evaluate(state, perAgent);
    if (!Number.isFinite(m.J)) throw new DivergenceError(`diverged: J(θ̄) is ${m.J} after round ${c.round} (stepSize η = ${stepSizeAt(config.stepSize, Math.max(0, c.round - 1), N, config.localSteps)})`);
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
    const stepSize = stepSizeAt(config.stepSize, t, N, config.localSteps);
    const roundRng = root.fold(`round:${t}`);
    const ctx: RoundContext = {
      round: t,
      agents: N,
      size,
      localSteps: config.localSteps,
      stepSize,
      serverStep: config.serverStep,
      oracles,
      stream: config.oracle.kind === 'exact' ? () => roundRng : (i, label) => roundRng.fold(`agent:${i}`).fold(label),
      detail: config.detail,
      reuseAnchor: config.reuseAnchor,
    };
    const before = state.thetaBar;
    const out = roundFn(ctx, state);
    state = out.state;
    c.round += 1;
    c.envSteps += out.envSteps;
    c.messages += out.messages;
    c.syncs += out.syncs;
    // Unrecorded rounds (runFor's `every`, sweeps) need only the global metrics: J_i(θ̄) costs N more solves.
    const row = rowFor(
      evaluate(record || config.detail !== 'summary'),
      stepSize,
      out.agents.map((a) => a.drift[a.drift.length - 1]),
      out.agents.map((a) => (a.anchor ? norm2(a.anchor) : NaN)),
    );
    if (record) history.push(row);
    const trace: RoundTrace = { ...row };
    if (config.detail !== 'summary') {
      trace.thetaBefore = before;
      trace.thetaAfter = Float64Array.from(state.thetaBar);
      if (out.agents[0].anchor) trace.anchors = out.agents.map((a) => a.anchor as Float64Array);
      if (out.anchorMean) trace.anchorMean = out.anchorMean;
      trace.thetaLocal = out.agents.map((a) => a.thetaLocal);
      trace.corrections = out.agents.map((a) => a.correction);
      trace.driftPerStep = out.agents.map((a) => a.drift);
      if (config.detail === 'full') trace.gradients = out.agents.map((a) => a.gradients ?? []);
    }
    return trace;
  }

  const vec = (x: Float64Array | null) => (x ? Array.from(x) : null);
  return {
    problem,
    config,
    get round() {
      return c.round;
    },
    get thetaBar() {
      return Float64Array.from(state.thetaBar);
    },
    optimum: metricsEvaluator ? metricsEvaluator.Jstar : NaN,
    history,
    get state(): RunState {
      return {
        format: RUN_STATE_FORMAT,
        config,
        problem: { name: problem.name, S: problem.S, A: problem.A, N },
        ...c,
        thetaBar: Array.from(state.thetaBar),
        agentTheta: state.agentTheta ? state.agentTheta.map((x) => Array.from(x)) : null,
        controls: state.controls ? state.controls.map((x) => Array.from(x)) : null,
        serverControl: vec(state.serverControl),
        history: history.map((r) => ({ ...r, agents: r.agents.map((a) => ({ ...a })) })),
      };
    },
    step: (options = {}) => advance(options.record ?? true),
    runFor(rounds, options = {}) {
      checkInteger('rounds', rounds, 0);
      const every = checkInteger('every', options.every ?? 1, 1);
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

/**
 * Start a run of `config.algorithm` on `problem` (algorithms/config.ts lists every field and default).
 * Streams: seed/run/round:t/agent:i/{anchor | step:ℓ}, so results do not depend on execution order.
 */
export function createRun(problem: FederatedProblem, config: RunConfig): Run {
  const resolved = resolveConfig(problem, config);
  const theta0 = resolved.initialTheta ? Float64Array.from(resolved.initialTheta) : new Float64Array(problem.S * problem.A);
  const state: AlgorithmState = { thetaBar: theta0, agentTheta: null, controls: null, serverControl: null };
  return buildRun(problem, resolved, state, { round: 0, envSteps: 0, messages: 0, syncs: 0 }, []);
}

function matrix(field: string, x: unknown, n: number, size: number): Float64Array[] | null {
  if (x == null) return null;
  if (!Array.isArray(x) || x.length !== n) fail(field, x, `must be ${n} vectors, got ${formatValue(x)}`);
  return x.map((v, i) => {
    if (!Array.isArray(v) || v.length !== size) fail(`${field}[${i}]`, v, `must have length ${size}`);
    return Float64Array.from(v as number[]);
  });
}

/** Continue a run from `run.state` (possibly after JSON round-trip): bit-identical to never having stopped. */
export function restoreRun(problem: FederatedProblem, saved: RunState): Run {
  if (saved == null || saved.format !== RUN_STATE_FORMAT) fail('state.format', saved?.format, `must be "${RUN_STATE_FORMAT}"`);
  const N = problem.rewards.length;
  const size = problem.S * problem.A;
  if (saved.problem.S !== problem.S || saved.problem.A !== problem.A || saved.problem.N !== N) {
    fail('state.problem', saved.problem, `is S=${saved.problem.S}, A=${saved.problem.A}, N=${saved.problem.N} but the problem is S=${problem.S}, A=${problem.A}, N=${N}`);
  }
  const config = resolveConfig(problem, { ...saved.config, initialTheta: saved.config.initialTheta ?? undefined });
  if (!Array.isArray(saved.thetaBar) || saved.thetaBar.length !== size) fail('state.thetaBar', saved.thetaBar, `must have length ${size}`);
  const state: AlgorithmState = {
    thetaBar: Float64Array.from(saved.thetaBar),
    agentTheta: matrix('state.agentTheta', saved.agentTheta, N, size),
    controls: matrix('state.controls', saved.controls, N, size),
    serverControl: saved.serverControl ? Float64Array.from(saved.serverControl) : null,
  };
  const counters = {
    round: checkInteger('state.round', saved.round, 0),
    envSteps: checkInteger('state.envSteps', saved.envSteps, 0),
    messages: checkInteger('state.messages', saved.messages, 0),
    syncs: checkInteger('state.syncs', saved.syncs, 0),
  };
  return buildRun(problem, config, state, counters, (saved.history ?? []).map(historyRowFromJSON));
}

/** JSON writes NaN (a metric that was off or undefined) as null: read it back as NaN. */
function historyRowFromJSON(r: HistoryRow): HistoryRow {
  const num = (x: number | null) => (x === null ? NaN : x);
  return {
    ...r,
    stepSize: num(r.stepSize),
    J: num(r.J),
    gap: num(r.gap),
    gradNorm: num(r.gradNorm),
    agents: r.agents.map((a) => ({ agent: a.agent, J: num(a.J), gap: num(a.gap), drift: num(a.drift), anchorNorm: num(a.anchorNorm) })),
  };
}
