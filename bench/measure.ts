/**
 * One timing in a fresh process (bench/run.ts spawns it per measurement): V8 specialises a hot function on
 * the shapes it has seen, so timing several configurations in one process would let the first bias the
 * rest. Reads a JSON job from argv[2], prints a JSON result.
 */
import { averageMDP, createGradientEstimator, createRng, createRun, exactGradient, garnet, policyClass, type PolicySpec, tabularStateSpace } from '../dist/index';
import { krylovFactorLayout } from '../dist/estimators/krylovFactor';
import { lastKrylovIterations } from '../dist/mdp/krylovSolve';
import { referenceGpomdp } from './referenceLoop';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/**
 * Median CPU seconds (user + system of this process) per call of fn over `reps` timed batches of `inner`
 * calls, after `warm` batches. CPU time, not wall time: on a machine shared with other work a wall clock
 * also counts the time the process waited for a core (the C reference is timed the same way).
 */
function time(fn: () => void, reps: number, inner = 1, warm = 2): number {
  return median(timeAll(fn, reps, warm, inner));
}

/** CPU seconds per call of fn in each of `reps` timed batches of `inner` calls, after `warm` batches. */
function timeAll(fn: () => void, reps: number, warm: number, inner = 1): number[] {
  const batch = () => {
    const t = process.cpuUsage();
    for (let i = 0; i < inner; i++) fn();
    const used = process.cpuUsage(t);
    return (used.user + used.system) / 1e6 / inner;
  };
  for (let i = 0; i < warm; i++) batch();
  return Array.from({ length: reps }, batch);
}

/**
 * The with/without comparison of θ validation, in one process: the estimator's validating θ pass and one
 * that only compares and copies, swapped between alternating batches. The dist build calls the pass
 * through its module's exports object, so the swap reaches the estimator without a hook in shipped code.
 * Returns median CPU seconds per estimate, checked and unchecked, for a new θ on every call, and the median
 * wall seconds of the two θ passes alone (`passChecked`, `passUnchecked`).
 */
function validationCost(K: number, M: number, reps: number): { checked: number; unchecked: number; passChecked: number; passUnchecked: number } {
  type Accept = (field: string, value: ArrayLike<number>, cache: { theta: Float64Array; filled: boolean }) => boolean;
  const mod = require('../dist/estimators/thetaCache') as { acceptTheta: Accept };
  const checkedPass = mod.acceptTheta;
  const uncheckedPass: Accept = (_field, value, cache) => {
    const stored = cache.theta;
    let changed = !cache.filled;
    for (let i = 0; i < stored.length; i++) {
      const x = value[i];
      if (x !== stored[i]) {
        changed = true;
        stored[i] = x;
      }
    }
    cache.filled = true;
    return changed;
  };
  const est = createGradientEstimator(mdp, { horizon: K, batch: M, variance: false });
  const out = new Float64Array(theta.length);
  const other = Float64Array.from(theta);
  for (let k = 0; k < other.length; k++) other[k] += 1e-9;
  const rng = createRng('bench');
  let flip = 0;
  const inner = Math.max(1, Math.round(1e6 / (K * M)));
  const times: { checked: number[]; unchecked: number[] } = { checked: [], unchecked: [] };
  for (let r = -2; r < 2 * reps; r++) {
    const which = r % 2 === 0 ? 'checked' : 'unchecked';
    mod.acceptTheta = which === 'checked' ? checkedPass : uncheckedPass;
    const t = process.cpuUsage();
    for (let i = 0; i < inner; i++) est.estimate(flip++ % 2 ? other : theta, rng, out);
    const used = process.cpuUsage(t);
    if (r >= 0) times[which].push((used.user + used.system) / 1e6 / inner);
  }
  mod.acceptTheta = checkedPass;
  // The two passes alone, on the θ sequence the estimates saw (a new θ every call): the difference is the
  // check's own cost, measured where it occurs rather than as the difference of two noisy throughputs.
  const passes: { checked: number[]; unchecked: number[] } = { checked: [], unchecked: [] };
  const cacheChecked = { theta: new Float64Array(theta.length), filled: false };
  const cacheUnchecked = { theta: new Float64Array(theta.length), filled: false };
  const calls = Math.max(100, Math.round(2e7 / theta.length));
  for (let r = -2; r < 2 * reps; r++) {
    const which = r % 2 === 0 ? 'checked' : 'unchecked';
    const pass = which === 'checked' ? checkedPass : uncheckedPass;
    const cache = which === 'checked' ? cacheChecked : cacheUnchecked;
    const t = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) pass('theta', i % 2 ? other : theta, cache);
    if (r >= 0) passes[which].push(Number(process.hrtime.bigint() - t) / 1e9 / calls);
  }
  return { checked: median(times.checked), unchecked: median(times.unchecked), passChecked: median(passes.checked), passUnchecked: median(passes.unchecked) };
}

const job = JSON.parse(process.argv[2]) as { kind: string; theta?: 'new' | 'same'; S: number; A: number; b: number; K?: number; M?: number; H?: number; N?: number; reps: number; metrics?: boolean; detail?: 'full' | 'summary'; rounds?: number; gamma?: number; policy?: PolicySpec; backend?: 'wasm' | 'reference' };
const LARGE = { problemEntries: 1e9 };
if (job.kind === 'exactRound') {
  // One Fast-FedPG round with exact gradients (N agents sharing P, H local steps): CPU seconds per round.
  const problem = garnet({ states: job.S, actions: job.A, branching: job.b, agents: job.N as number, gamma: job.gamma ?? 0.9, heterogeneity: 1, seed: 1, limits: LARGE });
  const run = createRun(problem, { algorithm: 'fast-fedpg', localSteps: job.H as number, stepSize: 0.1, oracle: { kind: 'exact' }, seed: 1, metrics: job.metrics });
  console.log(JSON.stringify({ seconds: time(() => run.step(), job.reps, 1, 1) }));
  process.exit(0);
}
if (job.kind === 'exact') {
  // ∇J of one Garnet (or dense P with b = S) at γ: CPU seconds per call (median, and every timed call, after
  // three untimed ones: V8 compiles the WebAssembly kernels in two tiers); for S > 200 also the Krylov
  // kernel's bytes for this problem (its memory), the products with K of the two solves, and the peak RSS.
  const mdp = averageMDP(garnet({ states: job.S, actions: job.A, branching: job.b, agents: 1, gamma: job.gamma ?? 0.9, heterogeneity: 0, seed: 1, limits: LARGE }));
  const theta = Float64Array.from({ length: job.S * job.A }, (_, k) => Math.sin(1 + k));
  const all = timeAll(() => exactGradient(mdp, theta), job.reps, 3);
  const P = mdp.transitions;
  const bytes = job.S > 200 ? krylovFactorLayout(mdp).end : 8 * job.S * job.S;
  const problemBytes = P.rowStart.byteLength + P.next.byteLength + P.prob.byteLength + P.aliasCut.byteLength + P.aliasOther.byteLength + mdp.reward.length * 8 + mdp.rho.byteLength;
  console.log(JSON.stringify({ seconds: median(all), all, bytes, problemBytes, iterations: [lastKrylovIterations.value, lastKrylovIterations.occupancy], gmres: lastKrylovIterations.gmres, maxRssBytes: process.resourceUsage().maxRSS * 1024 }));
  process.exit(0);
}
if (job.kind === 'memory') {
  // Bytes held by `rounds` traces (JS heap + typed-array buffers), in a fresh process started with --expose-gc.
  const gc = (globalThis as { gc?: () => void }).gc as () => void;
  const used = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  const problem = garnet({ states: job.S, actions: job.A, branching: job.b, agents: job.N as number, gamma: 0.9, heterogeneity: 1, seed: 1 });
  const run = createRun(problem, { algorithm: 'fast-fedpg', localSteps: job.H as number, stepSize: 0.1, oracle: { kind: 'sampled', horizon: job.K as number, batch: job.M as number }, seed: 1, detail: job.detail, metrics: false });
  run.step();
  gc();
  gc();
  const before = used();
  const traces = Array.from({ length: job.rounds as number }, () => run.step());
  gc();
  gc();
  const bytes = used() - before;
  console.log(JSON.stringify({ bytes, rounds: traces.length }));
  process.exit(0);
}
const mdp = averageMDP(garnet({ states: job.S, actions: job.A, branching: job.b, agents: 1, gamma: 0.9, heterogeneity: 0, seed: 1 }));
const theta = Float64Array.from({ length: job.S * job.A }, (_, k) => Math.sin(1 + k));
if (job.kind === 'validation') {
  console.log(JSON.stringify(validationCost(job.K as number, job.M as number, job.reps)));
  process.exit(0);
}
let seconds: number;
if (job.kind === 'estimator' || job.kind === 'plain') {
  const K = job.K as number;
  const M = job.M as number;
  const rng = createRng('bench');
  const inner = Math.max(1, Math.round(1e6 / (K * M)));
  if (job.kind === 'estimator') {
    const est = createGradientEstimator(mdp, { horizon: K, batch: M, variance: false });
    const out = new Float64Array(job.S * job.A);
    // 'new': θ alternates between two values that differ in every entry, so every call validates every
    // entry and redoes the per-θ setup; 'same': setup once.
    const other = Float64Array.from(theta);
    for (let k = 0; k < other.length; k++) other[k] += 1e-9;
    let flip = 0;
    if (job.theta === 'new') seconds = time(() => est.estimate(flip++ % 2 ? other : theta, rng, out), job.reps, inner);
    else seconds = time(() => est.estimate(theta, rng, out), job.reps, inner);
  } else seconds = time(() => referenceGpomdp(mdp, theta, K, M, rng), job.reps, inner);
} else if (job.kind === 'policy-estimator') {
  // A policy class's sampled estimator, a new θ on every call (as in a run's local steps).
  const K = job.K as number;
  const M = job.M as number;
  // A 'table' given without its entries is filled here (sin(0.7 i)): argv cannot carry S·A·d numbers.
  const f = (job.policy as { features?: { kind?: string; dimension?: number; table?: number[] } } | undefined)?.features;
  if (f?.kind === 'table' && f.table === undefined) f.table = Array.from({ length: job.S * job.A * (f.dimension as number) }, (_, i) => Math.sin(0.7 * i));
  const d = policyClass(job.policy, tabularStateSpace(mdp)).dimension;
  const est = createGradientEstimator(mdp, { horizon: K, batch: M, variance: false, backend: job.backend, policy: job.policy });
  const th = Float64Array.from({ length: d }, (_, k) => Math.sin(1 + k));
  const other = th.map((x) => x + 1e-9);
  const out = new Float64Array(d);
  const rng = createRng('bench');
  let flip = 0;
  seconds = time(() => est.estimate(flip++ % 2 ? other : th, rng, out), job.reps, Math.max(1, Math.round(1e6 / (K * M))));
} else {
  const problem = garnet({ states: 50, actions: 4, branching: 5, agents: 10, gamma: 0.9, heterogeneity: 1, seed: 1 });
  const run = createRun(problem, { algorithm: 'fast-fedpg', localSteps: 10, stepSize: 0.1, oracle: { kind: 'sampled', horizon: 50, batch: 10 }, seed: 1, metrics: job.metrics });
  seconds = time(() => run.step(), job.reps, 1, 20);
}
console.log(JSON.stringify({ seconds }));
