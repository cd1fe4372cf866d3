import { type AlgorithmRegistry, sessionRegistry } from '../runs/registry';
import { createRun, restoreRun, type Run, type RunState } from '../runs/run';
import { createRng } from '../core/rng';
import { maxAbs } from '../core/linalg';
import { exactGradient } from '../estimators/exact';
import { estimateGradient } from '../estimators/sampled';
import { truncatedGradient } from '../estimators/truncated';
import { adjustedRandIndex, assignmentAccuracy } from '../core/partitions';
import { evaluatePolicy } from '../policy/evaluatePolicy';
import { optimalValue } from '../mdp/optimal';
import { type FederatedProblem, hasSharedTransitions } from '../mdp/problem';
import { agentMDP, averageMDP } from '../mdp/views';
import { runConfigFromPoint } from './runConfigFromPoint';
import { EXPERIMENT_PARAMETERS } from '../core/parameters';
import type { ResolvedConfig } from '../algorithms/settings';
import type { Job, Point } from './spec';

/** One tidy result row: the job's identity, its parameters, and the recorded numbers. */
export type ResultRow = Record<string, number | string | boolean>;

/** Where a job can save and find its checkpoint (the store provides it; absent in pure use). */
export interface CheckpointIO {
  load(): JobCheckpoint | undefined;
  save(checkpoint: JobCheckpoint): void;
  /** Set aside a loaded checkpoint that cannot be restored (the job then starts from round 0). */
  discard(reason: string): void;
  /** Minimum milliseconds between checkpoints. */
  intervalMs: number;
}

/** What a run job needs to continue after a kill. */
export interface JobCheckpoint {
  run: RunState;
  gradNormSqSum: number;
}

/**
 * The labels of a 'runs' job's rows: the point's parameters as the file gave them, then, for those it left
 * out, the values the run used, read from its resolved config (never from the defaults again): H, α_g, the
 * oracle, τ, `reuseAnchor` (Fast-FedPG's option; false for algorithms without it), the recording interval
 * `every`, and the estimator when sampled. So a file that spells out a default labels its rows as one that
 * omits it.
 */
export function runRowLabels(point: Point, config: ResolvedConfig, every: number): Point {
  const used: Point = { localSteps: config.localSteps, serverStep: config.serverStep, oracle: config.oracle.kind, entropy: config.entropy, reuseAnchor: config.options.reuseAnchor === true, every };
  if (config.oracle.kind === 'sampled') used.estimator = config.oracle.estimator;
  const out: Point = { ...point };
  for (const [k, v] of Object.entries(used)) if (out[k] === undefined) out[k] = v;
  return out;
}

/** The recording interval of a 'runs' point: its `every`, or the parameter table's default. */
export function recordEvery(point: Point): number {
  return (point.every as number | undefined) ?? (EXPERIMENT_PARAMETERS.every.default as number);
}

/** Parameters of a point flattened for a row (schedule objects as JSON text). */
export function flattenPoint(point: Point): ResultRow {
  return Object.fromEntries(Object.entries(point).map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : v]));
}

export { runConfigFromPoint } from './runConfigFromPoint';

/** What a job reports besides its rows. */
export interface JobInfo {
  /** Whether the job drew any random number (true when unknown, e.g. after a resume). */
  drewRandomNumbers?: boolean;
}

/**
 * A 'runs' job: T rounds of one configuration and seed, a row every `every` rounds (and the first and
 * last). Columns: the point's parameters, `seed`, `round`, `J`, `gap`, `gradNorm`, `gradNormSq`,
 * `gradNormSqAvg` = (1/t) Σ_{s<t} ‖∇J(θ̄ˢ)‖² (Theorem 2's quantity, over every round, not only the recorded
 * ones), `stepSizeNow` (η_t), `envSteps`, `messages`, `syncs`, `agentGapMean` (own gaps), `agentGlobalGapMean`
 * (`agentGlobalGap`), `assignmentAccuracy` and `assignmentARI` (`clusterRecovery`).
 */
export function runJob(job: Job, problem: FederatedProblem, onProgress?: (fraction: number) => void, checkpoint?: CheckpointIO, info?: JobInfo, registry: AlgorithmRegistry = sessionRegistry()): ResultRow[] {
  const rounds = job.point.rounds as number;
  const every = recordEvery(job.point);
  let saved = checkpoint?.load();
  let run: Run | undefined;
  if (saved && checkpoint) {
    try {
      run = restoreRun(problem, saved.run, undefined, { algorithms: registry });
    } catch (e) {
      // A checkpoint that verified but does not fit this job must not fail the job on every resume.
      checkpoint.discard((e as Error).message);
      saved = undefined;
    }
  }
  run ??= createRun(problem, runConfigFromPoint(job.point, job.seed, job.limits), { algorithms: registry });
  let sum = saved ? saved.gradNormSqSum : run.history[0].gradNorm ** 2;
  const avgAt = new Map<number, RowExtras>(saved ? [] : [[0, { gradNormSqAvg: NaN, agentGlobalGapMean: agentGlobalGap(run) }]]);
  let lastSave = Date.now();
  while (run.round < rounds) {
    const record = (run.round + 1) % every === 0 || run.round + 1 === rounds;
    const trace = run.step({ record });
    avgAt.set(trace.round, {
      gradNormSqAvg: sum / trace.round,
      ...(record ? { agentGlobalGapMean: agentGlobalGap(run) } : {}),
      ...(record && trace.assignment ? { assignment: trace.assignment } : {}),
    });
    sum += trace.gradNorm ** 2;
    onProgress?.(run.round / rounds);
    if (checkpoint && Date.now() - lastSave >= checkpoint.intervalMs && run.round < rounds) {
      checkpoint.save({ run: withAverages(run.state, avgAt), gradNormSqSum: sum });
      lastSave = Date.now();
    }
  }
  // A resumed run's earlier rounds are not known to have drawn nothing.
  if (info) info.drewRandomNumbers = saved !== undefined || run.drewRandomNumbers();
  const base = { job: job.id, config: job.config, seed: job.seed, ...flattenPoint(runRowLabels(job.point, run.config, every)) };
  const state = withAverages(run.state, avgAt);
  const entropy = run.config.entropy;
  let agentJstar: number[] | null = null;
  const ownOptima = () => (agentJstar ??= problem.rewards.map((_, i) => optimalValue(agentMDP(problem, i), { entropy }).J));
  return state.history.map((r) => ({
    ...base,
    round: r.round,
    J: r.J,
    gap: r.gap,
    gradNorm: r.gradNorm,
    gradNormSq: r.gradNorm ** 2,
    gradNormSqAvg: (r as { gradNormSqAvg?: number }).gradNormSqAvg ?? NaN,
    stepSizeNow: r.stepSize,
    envSteps: r.envSteps,
    messages: r.messages,
    syncs: r.syncs,
    agentGapMean: agentGapMean(r.agents, ownOptima),
    agentGlobalGapMean: (r as { agentGlobalGapMean?: number | null }).agentGlobalGapMean ?? NaN,
    ...clusterRecovery(problem.clusterOf, (r as { assignment?: number[] | null }).assignment),
  }));
}

/** What a job adds to its recorded history rows (kept in the run state, so it survives checkpoints). */
interface RowExtras {
  gradNormSqAvg: number;
  agentGlobalGapMean?: number;
  assignment?: number[];
}

/**
 * The global gap at the parameters each agent acts with, (1/N) Σ_i (J* − J(θ_i)), J the averaged MDP's
 * objective (R̄) and θ_i = `run.personal[i]` (its cluster's model, its v_i); for a single-policy algorithm
 * θ_i = θ̄ and this is the global gap. NaN when the agents' transitions differ (no averaged MDP) or the
 * run's metrics are off.
 */
export function agentGlobalGap(run: Run): number {
  const personal = run.personal;
  if (!personal) return run.history.at(-1)?.gap ?? NaN;
  if (!hasSharedTransitions(run.problem) || !Number.isFinite(run.optimum)) return NaN;
  const avg = averageMDP(run.problem);
  let sum = 0;
  const policy = run.policy.features ? { policy: run.policy } : {};
  for (const theta of personal) sum += run.optimum - evaluatePolicy(avg, theta, { entropy: run.config.entropy, ...policy }).J;
  return sum / personal.length;
}

/**
 * Recovery of the true groups by a clustered algorithm's assignment of a recorded round: the assignment
 * accuracy after the best relabelling and the adjusted Rand index against `problem.clusterOf`
 * (core/partitions.ts). NaN for both when the problem has no ground truth or the round has no
 * assignment (single-policy algorithms, round 0).
 */
export function clusterRecovery(truth: readonly number[] | undefined, assignment: readonly number[] | null | undefined): { assignmentAccuracy: number; assignmentARI: number } {
  if (!truth || !assignment) return { assignmentAccuracy: NaN, assignmentARI: NaN };
  return { assignmentAccuracy: assignmentAccuracy(truth, assignment), assignmentARI: adjustedRandIndex(truth, assignment) };
}

/**
 * The mean over agents of each agent's own gap, (1/N) Σ_i (J_i* − J_i), J_i* the optimum of agent i's own
 * MDP (value iteration on R_i, same τ) and J_i the history's per-agent J: J_i(θ̄) for single-policy
 * algorithms, J_i(θ_i) for personalised ones (whose per-agent gap, when recorded, is used as it is). NaN
 * when some agent's J is not finite (metrics off). `optima` is called only when a gap is missing.
 */
export function agentGapMean(agents: readonly { J: number; gap: number }[], optima: () => readonly number[]): number {
  if (agents.length === 0) return NaN;
  let sum = 0;
  for (let i = 0; i < agents.length; i++) {
    const a = agents[i];
    if (Number.isFinite(a.gap)) sum += a.gap;
    else if (Number.isFinite(a.J)) sum += optima()[i] - a.J;
    else return NaN;
  }
  return sum / agents.length;
}

/** Store each recorded row's running mean of ‖∇J‖² (and the job's other extras) in the row itself, so they survive checkpoints. */
function withAverages(state: RunState, avgAt: Map<number, RowExtras>): RunState {
  for (const r of state.history) {
    const extras = avgAt.get(r.round);
    if (extras !== undefined) Object.assign(r, extras);
  }
  return state;
}

/**
 * An 'identity' job: on the Garnet of this seed, at a random θ (entries U[−2,2]), the exact identity error
 * max_k |(1/N) Σ_i ∇J_i(θ)_k − ∇J̄(θ)_k| and, with sampled GPOMDP (K = horizon, M = batch), per coordinate
 * z_k = (mean of the agents' estimates − ∇J̄_K(θ)_k)/sd_k against the averaged MDP's exact truncated gradient
 * (the estimators' exact mean under the identity), sd_k from the agents' sample variances: `maxZ`, `meanZ2`,
 * `within` (coordinates with |z| ≤ 1.96) and `coordinates` (those with sd > 0). Under the identity each z_k is
 * close to N(0, 1), up to the error of the estimated sd.
 */
export function identityJob(job: Job, problem: FederatedProblem): ResultRow[] {
  const p = job.point;
  const entropy = (p.entropy as number | undefined) ?? 0;
  const size = problem.S * problem.A;
  const N = problem.rewards.length;
  const rng = createRng(job.seed).fold('identity');
  const thetaRng = rng.fold('theta');
  const theta = Float64Array.from({ length: size }, () => 4 * thetaRng.double() - 2);
  const mean = new Float64Array(size);
  for (let i = 0; i < N; i++) exactGradient(agentMDP(problem, i), theta, { entropy }).forEach((g, k) => (mean[k] += g / N));
  const avg = exactGradient(averageMDP(problem), theta, { entropy });
  let exactError = 0;
  for (let k = 0; k < size; k++) exactError = Math.max(exactError, Math.abs(mean[k] - avg[k]));
  const row: ResultRow = { job: job.id, config: job.config, seed: job.seed, ...flattenPoint(p), exactError, gradScale: maxAbs(avg) };
  if (typeof p.horizon === 'number' && typeof p.batch === 'number') {
    const opts = { horizon: p.horizon, batch: p.batch, entropy };
    const M = p.batch;
    const sMean = new Float64Array(size);
    const sVar = new Float64Array(size);
    for (let i = 0; i < N; i++) {
      const e = estimateGradient(agentMDP(problem, i), theta, opts, rng.fold(`agent:${i}`));
      for (let k = 0; k < size; k++) {
        sMean[k] += e.grad[k] / N;
        sVar[k] += (e.stats.variance as Float64Array)[k] / (N * N * M);
      }
    }
    const target = truncatedGradient(averageMDP(problem), theta, { horizon: p.horizon, entropy }).grad;
    let maxZ = 0;
    let sumZ2 = 0;
    let within = 0;
    let counted = 0;
    for (let k = 0; k < size; k++) {
      const sd = Math.sqrt(sVar[k]);
      if (sd === 0) continue;
      const z = (sMean[k] - target[k]) / sd;
      maxZ = Math.max(maxZ, Math.abs(z));
      sumZ2 += z * z;
      if (Math.abs(z) <= 1.96) within++;
      counted++;
    }
    Object.assign(row, { maxZ, meanZ2: sumZ2 / counted, within, coordinates: counted });
  }
  return [row];
}
