/**
 * `npm run bench`: fedpg-lab's speed, measured side by side with baselines in one run, written to
 * bench/RESULTS.md (medians of repetitions, ratios, the machine). Not part of the tests: tests never time.
 *   estimator   env steps/s, one thread: fedpg-lab vs a C -O3 reference of the same estimator (bench/c,
 *               compiled with gcc here), the plain Float64Array loop (bench/referenceLoop.ts) and NumPy
 *               vectorised across trajectories; each estimator's mean checked against the exact ∇J_K.
 *   policies    env steps/s of the sampled estimator per policy class (tabular, one-hot, random features, a
 *               feature table; kernel and reference paths) next to the tabular kernel, in one run.
 *   validation  the estimator's throughput with and without its θ check.
 *   exact       ms per ∇J: fedpg-lab vs NumPy's dense solve, S ∈ {100, 500, 1000, 2000}, sparse (b=5) and dense P;
 *               sparse P at S = 10⁴ and 10⁵ (γ = 0.9, 0.99) vs SciPy's best Krylov solver (Debian's python3-scipy).
 *   exactRound  ms per Fast-FedPG round with exact gradients at S = 10⁴ (N = 10, H = 10).
 *   round       ms per Fast-FedPG round in the notebook case, with and without exact metrics.
 *   sweep       the quick budget of every shipped experiment end to end, 1 vs 2 worker threads.
 *   memory      heap held by 100 rounds of full-detail traces; bytes per round of summary traces.
 * `-- --only estimator,exact` runs a subset; `-- --quick` uses fewer repetitions. Every fedpg-lab timing runs
 * in a fresh process (bench/measure.ts) so that one configuration's JIT state does not bias the next.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import {
  averageMDP, createGradientEstimator, createRng, exactGradient, garnet, maxAbsDiff, norm2, normalQuantile, type PolicySpec, readExperiment,
  sweep, truncatedGradient, type TabularMDP,
} from '../dist/index';
import { KRYLOV_RESTART } from '../dist/mdp/krylovSolve';
import { gccVersion, runCReference, worstZOfBatches } from './cReference';
import { fmt, mark, mdpFiles, measureRaw, numpy, PYTHON, SCIPY_METHODS, scipyVersion, sparseScale, sparseScaleLine } from './exactScale';
import { referenceGpomdp } from './referenceLoop';

const ROOT = join(__dirname, '..');
const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : null;
const quick = args.includes('--quick');
const want = (name: string) => !only || only.includes(name);
const lines: string[] = [];
const say = (s = '') => {
  lines.push(s);
  console.log(s);
};

function measure(job: Record<string, unknown>): number {
  return measureRaw(job).seconds;
}

function mdpJob(mdp: TabularMDP, theta: Float64Array): Record<string, unknown> {
  const { S, A } = mdp;
  const { rowStart, next, prob } = mdp.transitions;
  const b = rowStart[1] - rowStart[0];
  for (let r = 0; r < S * A; r++) if (rowStart[r + 1] - rowStart[r] !== b) throw new Error('bench MDPs have b successors in every row');
  return { S, A, gamma: mdp.gamma, R: Array.from(mdp.reward), theta: Array.from(theta), rho: Array.from(mdp.rho), next: Array.from(next), prob: Array.from(prob) };
}

/** Mean and sample variance (denominator B − 1) of B independent fedpg-lab estimates of M trajectories. */
function batchesOf(mdp: TabularMDP, theta: Float64Array, K: number, M: number, B: number): { mean: Float64Array; variance: Float64Array } {
  const est = createGradientEstimator(mdp, { horizon: K, batch: M, variance: false });
  const rng = createRng('check');
  const sum = new Float64Array(theta.length);
  const sumSq = new Float64Array(theta.length);
  for (let b = 0; b < B; b++) {
    const g = est.estimate(theta, rng.fold(b)).grad;
    for (let k = 0; k < g.length; k++) {
      sum[k] += g[k];
      sumSq[k] += g[k] * g[k];
    }
  }
  const mean = sum.map((x) => x / B);
  return { mean, variance: sumSq.map((x, k) => Math.max(0, (x - B * mean[k] * mean[k]) / (B - 1))) };
}


say('# fedpg-lab benchmarks');
say();
say(`Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}. Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; Node.js ${process.version}; git ${spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim()}. Medians of repeated runs; every ratio compares numbers measured in this one run.`);
say();

if (want('estimator')) {
  const gcc = gccVersion();
  say('## Estimator throughput (one thread, γ = 0.9, truncated GPOMDP)');
  say();
  say(`M env steps/s. fedpg-lab and the C reference (bench/c/estimator.c, ${gcc ?? 'gcc missing: not run'}, -O3 -march=native, four trajectories in lockstep) each with the per-θ setup on every estimate ("new θ") and with θ unchanged between estimates ("same θ": fedpg-lab skips the setup when θ is unchanged, the C program is not asked to redo it). Best of two alternating measurements, each the median of repeated batches.`);
  say();
  say('| config | fedpg-lab, new θ | fedpg-lab, same θ | C, new θ | C, same θ | plain loop | NumPy best (width) |');
  say('|---|---|---|---|---|---|---|');
  const ratioRows: string[] = [];
  const checkRows: string[] = [];
  for (const c of [
    { S: 50, A: 4, b: 5, K: 50, M: 100 },
    { S: 500, A: 10, b: 5, K: 100, M: 100 },
  ]) {
    const mdp = averageMDP(garnet({ states: c.S, actions: c.A, branching: c.b, agents: 1, gamma: 0.9, heterogeneity: 0, seed: 1 }));
    const theta = Float64Array.from({ length: c.S * c.A }, (_, k) => Math.sin(1 + k));
    const reps = quick ? 5 : 15;
    const steps = c.K * c.M;
    const best = { newTheta: 0, sameTheta: 0, cNew: 0, cSame: 0 };
    for (let round = 0; round < 2; round++) {
      best.newTheta = Math.max(best.newTheta, steps / measure({ kind: 'estimator', theta: 'new', ...c, reps }));
      best.sameTheta = Math.max(best.sameTheta, steps / measure({ kind: 'estimator', theta: 'same', ...c, reps }));
      if (gcc) {
        const cr = runCReference(mdp, theta, c.K, c.M, reps, 1);
        best.cNew = Math.max(best.cNew, steps / cr.seconds);
        best.cSame = Math.max(best.cSame, steps / cr.secondsPrepared);
      }
    }
    const plain = steps / measure({ kind: 'plain', ...c, reps });
    const np = numpy({ ...mdpJob(mdp, theta), kind: 'estimator', K: c.K, M: c.M, width_multipliers: [1, 10, 100, 1000], reps: quick ? 3 : 7, check_width: 20 * c.M });
    const widths = np.estimator as Record<string, { steps_per_second: number }>;
    const [bestWidth, npBest] = Object.entries(widths).sort((a, b) => b[1].steps_per_second - a[1].steps_per_second)[0];
    const M = (x: number) => (x > 0 ? fmt(x / 1e6) : '–');
    const label = `S=${c.S} A=${c.A} b=${c.b} K=${c.K} M=${c.M}`;
    say(`| ${label} | ${M(best.newTheta)} | ${M(best.sameTheta)} | ${M(best.cNew)} | ${M(best.cSame)} | ${M(plain)} | ${M(npBest.steps_per_second)} (${Number(bestWidth) * c.M} traj.) |`);
    const vsC = (x: number, y: number) => (y > 0 ? `${fmt(x / y)}× (${mark(x >= 0.8 * y)})` : '–');
    const vsNumpy = best.newTheta / npBest.steps_per_second;
    ratioRows.push(`| ${label} | ${vsC(best.newTheta, best.cNew)} | ${vsC(best.sameTheta, best.cSame)} | ${fmt(vsNumpy)}× (${mark(vsNumpy >= 4)}) | ${fmt(best.newTheta / plain)}× |`);
    // Unbiasedness: B independent estimates of M trajectories from fedpg-lab and from the C program, their
    // mean against the exact ∇J_K with the standard error from their own spread (Bonferroni over S·A).
    const B = quick ? 500 : 2000;
    const truth = truncatedGradient(mdp, theta, { horizon: c.K }).grad;
    const ours = batchesOf(mdp, theta, c.K, c.M, B);
    const zOurs = worstZOfBatches(ours.mean, ours.variance, B, truth);
    const zC = gcc ? worstZOfBatches(...((r) => [r.mean, r.variance] as const)(runCReference(mdp, theta, c.K, c.M, 1, B)), B, truth) : NaN;
    const bound = normalQuantile(1 - 1e-4 / (2 * c.S * c.A));
    const rel = (g: ArrayLike<number>) => { let d = 0; for (let k = 0; k < truth.length; k++) d += (g[k] - truth[k]) ** 2; return Math.sqrt(d) / norm2(truth); };
    const plainBig = referenceGpomdp(mdp, theta, c.K, 20 * c.M, createRng('check'));
    checkRows.push(`| ${label} | ${B} | ${fmt(zOurs, 2)} (${zOurs < bound ? 'ok' : '**fails**'}) | ${gcc ? `${fmt(zC, 2)} (${zC < bound ? 'ok' : '**fails**'})` : '–'} | ${fmt(bound, 2)} | ${fmt(rel(plainBig), 2)} / ${fmt(rel(np.grad as number[]), 2)} |`);
  }
  say();
  say('| config | fedpg-lab / C, new θ (target ≥ 0.8×) | fedpg-lab / C, same θ (target ≥ 0.8×) | fedpg-lab (new θ) / NumPy best (target ≥ 4×) | fedpg-lab (new θ) / plain loop |');
  say('|---|---|---|---|---|');
  for (const r of ratioRows) say(r);
  say();
  say('NumPy widths tried: M, 10·M, 100·M and 1000·M trajectories per vectorised pass (several estimates at once, as across agents); the best is shown.');
  say();
  say('Same estimand: B estimates of M trajectories each, from fedpg-lab and from the C program; the worst coordinate\'s |mean − ∇J_K| / (s/√B), s the spread of the B estimates, against the two-sided Bonferroni bound at family-wise level 10⁻⁴ over the S·A coordinates. The plain loop and NumPy are checked more loosely: one estimate from 20·M trajectories, relative error vs ∇J_K (≈ σ/√(20M)).');
  say();
  say('| config | B | worst z, fedpg-lab | worst z, C | bound | rel. error, plain / NumPy |');
  say('|---|---|---|---|---|---|');
  for (const r of checkRows) say(r);
  say();
}

if (want('policies')) {
  say('## Sampled gradients by policy class (one thread, γ = 0.9, GPOMDP, a new θ on every estimate)');
  say();
  say('M env steps/s, next to the tabular kernel measured in the same run. "wasm": the WebAssembly walk (for a log-linear class at the logits Φθ, its sums pulled back by Φᵀ); "reference": the readable estimator (estimators/reference.ts) walking with the policy at θ. Random features: m = 8 entries per (s, a); table: a dense S·A·d table.');
  say();
  say('| config | tabular, wasm | one-hot, wasm | one-hot, reference | random d=64, wasm | random d=64, reference | table d=16, wasm | table d=16, reference |');
  say('|---|---|---|---|---|---|---|---|');
  const ratios: string[] = [];
  for (const c of [
    { S: 50, A: 4, b: 5, K: 50, M: 100 },
    { S: 500, A: 10, b: 5, K: 100, M: 100 },
  ]) {
    const reps = quick ? 5 : 11;
    const steps = c.K * c.M;
    const cases: [string, PolicySpec | undefined, 'wasm' | 'reference'][] = [
      ['tabular', undefined, 'wasm'],
      ['one-hot', { kind: 'log-linear', features: { kind: 'one-hot' } }, 'wasm'],
      ['one-hot', { kind: 'log-linear', features: { kind: 'one-hot' } }, 'reference'],
      ['random', { kind: 'log-linear', features: { kind: 'random', dimension: 64, nonZeros: 8, seed: 1 } }, 'wasm'],
      ['random', { kind: 'log-linear', features: { kind: 'random', dimension: 64, nonZeros: 8, seed: 1 } }, 'reference'],
      ['table', { kind: 'log-linear', features: { kind: 'table', dimension: 16 } } as unknown as PolicySpec, 'wasm'],
      ['table', { kind: 'log-linear', features: { kind: 'table', dimension: 16 } } as unknown as PolicySpec, 'reference'],
    ];
    const rates = cases.map(([, policy, backend]) => steps / measure(policy ? { kind: 'policy-estimator', ...c, reps, policy, backend } : { kind: 'estimator', theta: 'new', ...c, reps }));
    const label = `S=${c.S} A=${c.A} b=${c.b} K=${c.K} M=${c.M}`;
    say(`| ${label} | ${rates.map((r) => fmt(r / 1e6)).join(' | ')} |`);
    ratios.push(`| ${label} | ${rates.slice(1).map((r) => `${fmt(r / rates[0], 2)}×`).join(' | ')} |`);
  }
  say();
  say('The same as ratios to the tabular kernel (1× = as fast):');
  say();
  say('| config | one-hot, wasm | one-hot, reference | random, wasm | random, reference | table, wasm | table, reference |');
  say('|---|---|---|---|---|---|---|');
  for (const r of ratios) say(r);
  say();
}

if (want('validation')) {
  say('## Cost of validating θ on every estimate (new θ on every call)');
  say();
  say('One process per row. The θ check\'s own cost: the estimator\'s θ pass (length, every entry finite, compared with the previous θ) and a pass that only compares and copies, timed alone on the same alternating θs (median per call), their difference as a share of one estimate (checked). For reference, the throughput of whole estimates with each pass swapped in, alternating batches (bench/measure.ts): two noisy numbers whose difference at this size is within their noise.');
  say();
  say('| config | θ pass, checked (µs) | θ pass, compare and copy (µs) | estimate (µs) | check\'s cost per estimate | target < 2% | throughput checked / unchecked (M steps/s) |');
  say('|---|---|---|---|---|---|---|');
  for (const c of [
    { S: 50, A: 4, b: 5, K: 50, M: 100 },
    { S: 500, A: 10, b: 5, K: 100, M: 100 },
  ]) {
    const r = measureRaw({ kind: 'validation', ...c, reps: quick ? 10 : 30 });
    const cost = (r.passChecked - r.passUnchecked) / r.checked;
    const steps = c.K * c.M;
    say(`| S=${c.S} A=${c.A} b=${c.b} K=${c.K} M=${c.M} | ${fmt(r.passChecked * 1e6)} | ${fmt(r.passUnchecked * 1e6)} | ${fmt(r.checked * 1e6)} | ${(100 * cost).toFixed(2)}% | ${mark(cost < 0.02)} | ${fmt(steps / r.checked / 1e6)} / ${fmt(steps / r.unchecked / 1e6)} |`);
  }
  say();
}

if (want('exact')) {
  say('## Exact gradient, dense solve (ms per ∇J, A = 4, γ = 0.9)');
  say();
  say(`fedpg-lab: \`exactGradient\` (LU for S ≤ 200, the Krylov kernel above: deflated Richardson, GMRES when it contracts slowly), CPU time, median of single calls in a fresh process. NumPy: \`np.linalg.solve\` twice (LAPACK gesv through Debian's OpenBLAS, which may use both cores) and the einsum and products around it (bench/numpy_baseline.py, ${PYTHON}), wall time. Same Garnet; max |Δ∇J| between the two.`);
  say();
  say('| S | P | fedpg-lab (ms) | products with P_π (V, d) | NumPy dense solve (ms) | NumPy / fedpg-lab | target | max |Δ∇J| |');
  say('|---|---|---|---|---|---|---|---|');
  for (const S of [100, 500, 1000, 2000]) {
    for (const dense of [false, true]) {
      const mdp = averageMDP(garnet({ states: S, actions: 4, branching: dense ? S : 5, agents: 1, gamma: 0.9, heterogeneity: 0, seed: 1, limits: { problemEntries: 1e9 } }));
      const theta = Float64Array.from({ length: S * 4 }, (_, k) => Math.sin(1 + k));
      const reps = quick ? 3 : S >= 1000 && dense ? 5 : 11;
      const r = measureRaw({ kind: 'exact', S, A: 4, b: dense ? S : 5, reps });
      const ours = r.seconds * 1000;
      const np = numpy({ ...mdpFiles(mdp, theta), kind: 'exact', reps });
      const theirs = (np.seconds as number) * 1000;
      const diff = maxAbsDiff(exactGradient(mdp, theta), np.grad as number[]);
      const target = S === 500 && dense ? `within 1.5× of NumPy: ${mark(ours <= 1.5 * theirs)}` : S === 2000 && dense ? `within 2× of NumPy: ${mark(ours <= 2 * theirs)}` : S === 1000 && !dense ? `faster than NumPy: ${mark(ours < theirs)}` : '';
      const its = S > 200 ? `${(r.iterations as unknown as number[]).join(', ')}` : 'LU';
      say(`| ${S} | ${dense ? 'dense' : 'sparse b=5'} | ${fmt(ours)} | ${its} | ${fmt(theirs)} | ${fmt(theirs / ours)} | ${target} | ${diff.toExponential(1)} |`);
    }
  }
  say();
  say('## Exact gradient at scale, sparse P (Garnet A = 4, b = 5): fedpg-lab vs SciPy\'s best');
  say();
  const reps = quick ? 2 : 3;
  const pairs = quick ? 7 : 15;
  say(`CPU time of the whole ∇J (π, P_π, both solves, Q, the gradient) on both sides, measured side by side (bench/sideBySide.ts): one long-lived fedpg-lab process and one SciPy process on the same Garnet, first every SciPy method ${reps} times, then ${pairs} pairs of one fedpg-lab call and one call of SciPy's best (which side goes first alternates), each call's CPU time taken in its own process; medians, and the median, lowest and highest of the pairs' ratios. SciPy ${scipyVersion()} from Debian (${PYTHON}, bench/scipy_baseline.py, one BLAS thread): P_π built directly as compressed rows, I − γP_π and its transpose as LinearOperators; its Krylov solvers are asked for the residuals that imply fedpg-lab's guarantee (‖res_V‖∞ ≤ 10⁻¹⁴ max|r_π|, ‖res_d‖₁ ≤ 10⁻¹⁴) and checked on their true residuals ("(no)": missed). gmres and lgmres are left out at S = 10⁵ (50–100× slower than BiCGSTAB at 10⁴; 12.9–62.8 s at 10⁵ in an earlier run); spsolve (SuperLU) at both sizes (87–123 s at S = 10⁴: the fill-in of a random graph). "Best" is the fastest method that met the guarantee (else the fastest). Memory: the bytes of fedpg-lab's Krylov tables (O(nnz(P)): P, P_π, π, θ, the gradient, ${KRYLOV_RESTART + 13} vectors of S, of which the ${KRYLOV_RESTART + 1} of GMRES's basis are touched only when a solve falls back to GMRES), beside the problem's own.`);
  say();
  say('| S | γ | fedpg-lab (ms) | products with P_π (V, d) | kernel MB / problem MB | SciPy bicgstab / tfqmr / qmr / gmres / lgmres (ms) | SciPy best (ms) | best / fedpg-lab, pairs (lowest–highest) | target ≥ 1× |');
  say('|---|---|---|---|---|---|---|---|---|');
  for (const S of [10000, 100000]) {
    for (const gamma of [0.9, 0.99]) {
      say(sparseScaleLine(sparseScale(S, gamma, { reps, pairs, methods: S >= 100000 ? ['bicgstab', 'tfqmr', 'qmr'] : SCIPY_METHODS })));
    }
  }
  say();
}

if (want('exactRound')) {
  say('## One Fast-FedPG round with exact gradients at scale (S = 10⁴, A = 4, b = 5, γ = 0.9, N = 10, H = 10, shared P)');
  say();
  say('CPU time per round (median of 3 after one), in a fresh process. A round asks for N anchor gradients at θ̄ and N·H local ones (the first local step of each agent is at θ̄ too), N·(H + 1) = 110 ∇J in all: the agents share one Krylov factor, so P_π and d_ρ are built and solved once per distinct θ (once for the N anchors and first steps at θ̄, and for the metrics at the next θ̄) and each agent solves its own V. "One ∇J" is `exactGradient` alone at this size (the table above).');
  say();
  say('| exact metrics | ms per round | ∇J per round | ms per ∇J in the round | one exactGradient (ms) |');
  say('|---|---|---|---|---|');
  const single = measureRaw({ kind: 'exact', S: 10000, A: 4, b: 5, gamma: 0.9, reps: 3 }).seconds * 1000;
  for (const metrics of [false, true]) {
    const ms = measure({ kind: 'exactRound', S: 10000, A: 4, b: 5, N: 10, H: 10, metrics, reps: quick ? 1 : 3 }) * 1000;
    say(`| ${metrics ? 'on' : 'off'} | ${fmt(ms)} | 110 | ${fmt(ms / 110)} | ${fmt(single)} |`);
  }
  say();
}

if (want('round')) {
  say('## One Fast-FedPG round, notebook case (N=10, H=10, S=50, A=4, K=50, M=10, sampled)');
  say();
  say('| exact metrics | ms per round (median) | env steps per round | target |');
  say('|---|---|---|---|');
  for (const metrics of [false, true]) {
    const ms = measure({ kind: 'round', S: 50, A: 4, b: 5, metrics, reps: quick ? 50 : 200 }) * 1000;
    say(`| ${metrics ? 'on' : 'off'} | ${fmt(ms)} | ${10 * 11 * 50 * 10} | ${metrics ? '' : `< 20 ms: ${mark(ms < 20)}`} |`);
  }
  say();
}

if (want('memory')) {
  say('## Memory of traces');
  say();
  const held = (N: number, detail: 'full' | 'summary', rounds: number, small: boolean) =>
    measureRaw(small ? { kind: 'memory', S: 10, A: 2, b: 2, N, H: 1, K: 5, M: 1, detail, rounds } : { kind: 'memory', S: 50, A: 4, b: 5, N, H: 10, K: 50, M: 10, detail, rounds }).bytes;
  const full = held(10, 'full', 100, false);
  // Summary traces on a small, fast problem over many rounds, for three N: the bytes per round grow with N.
  const perRound = [10, 20, 40].map((N) => held(N, 'summary', 20000, true) / 20000);
  say('| what | held | target |');
  say('|---|---|---|');
  say(`| 100 rounds, detail 'full', N=10, H=10, S=50, A=4 (every local gradient of every agent) | ${fmt(full / 2 ** 20)} MB | < 100 MB: ${mark(full < 100 * 2 ** 20)} |`);
  say(`| detail 'summary', per round, N = 10 / 20 / 40 (S=10, A=2; trace and history row kept) | ${perRound.map((b) => fmt(b)).join(' / ')} B | O(N) per round |`);
  say();
}

if (want('sweep')) {
  say('## Sweep: the quick budget of every shipped experiment, 1 vs 2 worker threads (best of 2 runs each)');
  say();
  say('| experiment | jobs | 1 worker (s) | 2 workers (s) | speedup |');
  say('|---|---|---|---|---|');
  const files = readdirSync(join(ROOT, 'data', 'experiments')).filter((f) => f.endsWith('.json')).sort();
  let t1 = 0;
  let t2 = 0;
  const run = async () => {
    for (const f of files) {
      const spec = readExperiment(join(ROOT, 'data', 'experiments', f));
      const secs: number[] = [];
      let jobs = 0;
      // Best of two runs per worker count, alternating, to damp the noise of a shared machine.
      const best = [Infinity, Infinity];
      for (const round of [0, 1]) {
        for (const [k, workers] of [1, 2].entries()) {
          const out = join(mkdtempSync(join(tmpdir(), 'fedpg-bench-')), `${spec.name}-${round}`);
          const t = performance.now();
          jobs = (await sweep(spec, { budget: 'quick', workers, out })).jobs;
          best[k] = Math.min(best[k], (performance.now() - t) / 1000);
        }
      }
      secs.push(...best);
      t1 += secs[0];
      t2 += secs[1];
      say(`| ${spec.name} | ${jobs} | ${fmt(secs[0])} | ${fmt(secs[1])} | ${fmt(secs[0] / secs[1])}× |`);
    }
    say(`| **all** | | ${fmt(t1)} | ${fmt(t2)} | ${fmt(t1 / t2)}× (target ≥ 1.8×: ${mark(t1 / t2 >= 1.8)}) |`);
    say();
  };
  void run().then(finish);
} else finish();

function finish(): void {
  if (!only) writeFileSync(join(__dirname, 'RESULTS.md'), `${lines.join('\n')}\n`);
  else console.log('\n(--only: bench/RESULTS.md not written)');
}
