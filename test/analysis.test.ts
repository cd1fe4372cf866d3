import assert from 'node:assert/strict';
import { test } from 'node:test';
import { averageMDP, createRng, createRun, evaluatePolicy, exactGradient, fitRate, garnet, norm2, summarizeSeeds, valueIteration, withReward } from '../src/index';
import {
  finalRows, gradientDominationRatio, plateau, rateReport, type Row, smoothnessBound, smoothnessEstimate, speedup, toFrame, truncationBias, varianceVsBatch,
} from '../src/analysis';
import { finiteDifferenceGradient, finiteDifferenceHessian, randomTheta, symmetricEigenvalues, truncatedReturnMoments } from './helpers';

/** A standard normal draw by Box–Muller from a seeded stream. */
function gauss(rng: ReturnType<typeof createRng>): number {
  return Math.sqrt(-2 * Math.log(1 - rng.double())) * Math.cos(2 * Math.PI * rng.double());
}

/** Synthetic runs y = C·x^b·e^ε, ε ~ N(0, s²), at x = 10..1000, as rows of `seeds` seeds. */
function powerLawRows(b: number, s: number, seed: number, seeds = 1): Row[] {
  const rng = createRng(seed);
  const xs = [10, 20, 40, 80, 160, 320, 640, 1000];
  return Array.from({ length: seeds }, (_, k) => xs.map((x) => ({ job: `j${k}`, seed: k, round: x, gap: 3 * x ** b * Math.exp(s * gauss(rng)) }))).flat();
}

test('fitRate recovers a known power-law exponent within its CI, and the 95% CI covers it ≈ 95% of the time', () => {
  const one = fitRate(powerLawRows(-1, 0.2, 1), { x: 'round', y: 'gap', aggregate: 'none' });
  assert.ok(one.slopeCI[0] <= -1 && -1 <= one.slopeCI[1], `CI [${one.slopeCI}] misses −1`);
  assert.ok(Math.abs(one.slope + 1) < 0.2, `slope ${one.slope}`);
  // Coverage over 400 independent data sets: the count of hits is Binomial(400, 0.95) if the CI is right;
  // 0.95·400 ± 4.5·√(400·0.95·0.05) keeps a correct CI from failing (p < 1e-5) and catches a 90% or 99% one.
  let hits = 0;
  for (let s = 0; s < 400; s++) {
    const f = fitRate(powerLawRows(-0.5, 0.3, 1000 + s), { x: 'round', y: 'gap', aggregate: 'none' });
    if (f.slopeCI[0] <= -0.5 && -0.5 <= f.slopeCI[1]) hits++;
  }
  const half = 4.5 * Math.sqrt(400 * 0.95 * 0.05);
  assert.ok(Math.abs(hits - 380) <= half, `coverage ${hits}/400`);
});

test('fitRate: seed means, x ranges, semi-log rates, round-off floors and DataFrames', () => {
  const rows = powerLawRows(-1, 0.1, 7, 5);
  const mean = fitRate(rows, { x: 'round', y: 'gap' });
  assert.equal(mean.n, 8);
  const ranged = fitRate(rows, { x: 'round', y: 'gap', from: 40, to: 640 });
  assert.deepEqual(ranged.points.map((p) => p.x), [40, 80, 160, 320, 640]);
  // y = 2·0.8^x exactly: slope log 0.8, with a zero-width CI; values ≤ 1e-11 are left out.
  const linear = Array.from({ length: 200 }, (_, t) => ({ job: 'a', round: t, gap: t < 100 ? 2 * 0.8 ** t : 1e-15 }));
  const fit = fitRate(linear, { x: 'round', y: 'gap', scale: 'semi-log', above: 1e-11 });
  assert.ok(Math.abs(fit.slope - Math.log(0.8)) < 1e-12);
  assert.equal(fit.dropped, 200 - fit.n);
  assert.ok(fit.points.every((p) => p.y > 1e-11));
  const fromFrame = fitRate(toFrame(rows), { x: 'round', y: 'gap' });
  assert.equal(fromFrame.slope, mean.slope);
  assert.throws(() => fitRate(rows, { x: 'round', y: 'nope' }), /column "nope" is missing/);
  assert.throws(() => fitRate(rows.slice(0, 2), { x: 'round', y: 'gap' }), /needs at least 3 points/);
});

test('summarizeSeeds gives the mean and the Student-t interval per configuration and round', () => {
  const rows: Row[] = [1, 2, 3, 4].map((v, s) => ({ job: `j${s}`, seed: s, config: 0, round: 5, algorithm: 'fast-fedpg', gap: v }));
  const [r] = summarizeSeeds(rows, { values: ['gap'] });
  // mean 2.5, s² = 5/3, se = √(5/12), t_{0.975,3} = 3.182446305284263.
  assert.equal(r.gap_mean, 2.5);
  assert.ok(Math.abs((r.gap_se as number) - Math.sqrt(5 / 12)) < 1e-15);
  assert.ok(Math.abs((r.gap_hi as number) - (2.5 + 3.182446305284263 * Math.sqrt(5 / 12))) < 1e-9);
  assert.equal(r.algorithm, 'fast-fedpg');
  assert.equal(r.n, 4);
  assert.ok(!('seed' in r));
});

test('speedup: values at a fixed T relative to the smallest N, rounds to a target, and the N-exponent', () => {
  // gap = 1/(N·T) exactly: exponent −1, speedup N, rounds to reach 1/400 = 400/N.
  const rows: Row[] = [];
  for (const N of [1, 2, 4, 8]) for (const T of [50, 100, 200, 400]) for (const seed of [0, 1]) rows.push({ job: `${N}-${T}-${seed}`, seed, agents: N, round: T, gap: 1 / (N * T) });
  const sp = speedup(rows, { y: 'gap', target: 1 / 400 });
  assert.equal(sp.at, 400);
  assert.deepEqual(sp.rows.map((r) => r.speedup), [1, 2, 4, 8]);
  assert.deepEqual(sp.rows.map((r) => r.toTarget), [400, 200, 100, 50]);
  assert.ok(Math.abs((sp.exponent?.exponent as number) + 1) < 1e-12);
  assert.ok(Math.abs((sp.exponentToTarget?.exponent as number) + 1) < 1e-12);
});

test('plateau averages the last fraction of each run and reports a CI across seeds', () => {
  const rows: Row[] = [];
  for (const seed of [0, 1, 2]) for (let t = 0; t <= 100; t += 10) rows.push({ job: `j${seed}`, seed, config: 0, round: t, algorithm: 'fedavg-pg', gap: t >= 80 ? 0.1 * (seed + 1) : 1 });
  const [p] = plateau(rows, { lastFraction: 0.2 });
  assert.ok(Math.abs((p.plateau_mean as number) - 0.2) < 1e-15);
  assert.equal(p.n, 3);
  assert.equal(p.algorithm, 'fedavg-pg');
  assert.ok((p.plateau_lo as number) < 0.2 && 0.2 < (p.plateau_hi as number));
});

test('rateReport fits the slope in T per N and the exponent of N on final rows', () => {
  const rows: Row[] = [];
  for (const N of [1, 2, 4, 8]) {
    for (const T of [25, 50, 100, 200]) {
      for (const seed of [0, 1]) {
        // A trajectory per run: only its last row (round = T) enters; earlier rows are decoys.
        rows.push({ job: `${N}-${T}-${seed}`, seed, agents: N, rounds: T, round: 0, oracle: 'sampled', gap: 99 });
        rows.push({ job: `${N}-${T}-${seed}`, seed, agents: N, rounds: T, round: T, oracle: 'sampled', gap: 5 / (N * T) });
      }
    }
  }
  assert.equal(finalRows(rows).length, 32);
  const rep = rateReport(rows, { y: 'gap' });
  for (const s of rep.slopes) assert.ok(Math.abs((s.slope as number) + 1) < 1e-12);
  assert.ok(Math.abs((rep.speedups[0].exponent as number) + 1) < 1e-12);
  assert.ok(Math.abs((rep.speedups[0].exponentAll as number) + 1) < 1e-12);
  assert.equal(rep.speedups[0].units, 2);
});

test('smoothnessBound is the closed form (8·range(R) + τ(4 + 8 ln A))/(1−γ)³, unchanged by a reward shift', () => {
  const problem = garnet({ states: 4, actions: 3, branching: 2, agents: 1, gamma: 0.5, heterogeneity: 0, seed: 9 });
  // Rewards spanning [−0.5, 1.5] (range 2), γ = 0.5 so (1−γ)³ = 1/8, A = 3.
  const reward = Float64Array.from({ length: 12 }, (_, k) => (k === 0 ? -0.5 : k === 7 ? 1.5 : 0.25 + 0.01 * k));
  const mdp = withReward(problem, reward, 'hand');
  assert.equal(smoothnessBound(mdp), 128); // 8·2·8
  // τ = 0.25: 128 + 8·0.25·(4 + 8 ln 3) = 128 + 2·12.788898309344878 = 153.57779661868976.
  assert.ok(Math.abs(smoothnessBound(mdp, 0.25) - 153.57779661868976) < 1e-12);
  const shifted = withReward(problem, reward.map((r) => r + 10), 'shifted');
  assert.equal(smoothnessBound(shifted, 0.25), smoothnessBound(mdp, 0.25));
});

test('smoothnessEstimate finds the Hessian’s spectral radius (independent finite-difference Hessian), below the bound', () => {
  const problem = garnet({ states: 8, actions: 3, branching: 3, agents: 2, gamma: 0.8, heterogeneity: 0.5, seed: 4 });
  const mdp = averageMDP(problem);
  const thetas = [0, 1, 2].map((s) => randomTheta(24, s, 1));
  for (const entropy of [0, 0.5]) {
    const L = smoothnessEstimate(mdp, thetas, { iterations: 20, entropy }, createRng(1));
    // ρ(∇²J(θ)) from the full Hessian by central differences of exactGradient and Jacobi eigenvalues.
    const rho = thetas.map((t) => Math.max(...symmetricEigenvalues(finiteDifferenceHessian((x) => exactGradient(mdp, x, { entropy }), t)).map(Math.abs)));
    // Power iteration approaches ρ from below at the eigen-gap rate (measured ≥ 0.99·ρ after 20 steps), and its
    // forward differences (δ = 1e-3) overshoot by O(δ) (measured ≤ 1e-4 relative): two-sided [0.97, 1.002]·ρ.
    L.perTheta.forEach((p, j) => assert.ok(p >= 0.97 * rho[j] && p <= 1.002 * rho[j], `τ=${entropy} θ${j}: power iteration ${p} vs ρ(∇²J) ${rho[j]}`));
    // Along the path: the secant ratio ‖∇J(θ') − ∇J(θ)‖/‖θ' − θ‖, recomputed here.
    L.alongPath.slice(0, -1).forEach((r, j) => {
      const ga = exactGradient(mdp, thetas[j + 1], { entropy });
      const gb = exactGradient(mdp, thetas[j], { entropy });
      const want = norm2(ga.map((x, k) => x - gb[k])) / norm2(thetas[j + 1].map((x, k) => x - thetas[j][k]));
      assert.ok(Math.abs(r - want) < 1e-12 * want, `path ${j}: ${r} vs ${want}`);
    });
    assert.equal(L.estimate, Math.max(...L.perTheta, ...L.alongPath.slice(0, -1)));
    assert.ok(Math.max(...rho) <= L.bound, `ρ(∇²J) ${Math.max(...rho)} exceeds the theory's L = ${L.bound}`);
  }
});

test('assumption checks: variance ∝ 1/M, truncation bias ∝ γ^K', () => {
  const problem = garnet({ states: 8, actions: 3, branching: 3, agents: 2, gamma: 0.8, heterogeneity: 0.5, seed: 4 });
  const mdp = averageMDP(problem);
  const thetas = [0, 1, 2].map((s) => randomTheta(24, s, 1));

  // E‖ĝ_M − ∇J_K‖² = tr(Σ₁)/M: the log–log slope is −1 up to noise (50 repeats per M).
  const v = varianceVsBatch(mdp, thetas[0], { horizon: 20, batches: [2, 8, 32, 128], repeats: 60 }, createRng(2));
  assert.ok(v.slopeCI[0] <= -1 && -1 <= v.slopeCI[1], `slope ${v.slope} CI ${v.slopeCI}`);
  for (const r of v.rows) {
    // A mean of 60 squared norms: within 5 of its standard errors of the prediction, plus 10% because the
    // prediction's tr(Σ₁) is itself a sample estimate (60 batches of 128 trajectories).
    assert.ok(Math.abs(r.meanSqError - r.predicted) < 5 * r.se + 0.1 * r.predicted, `M=${r.batch}: ${r.meanSqError} vs ${r.predicted} ± ${r.se}`);
  }

  const tb = truncationBias(mdp, thetas[1], { horizons: [5, 10, 20, 30, 40] });
  // Each bias ‖∇J_K − ∇J‖ against central differences of J_K (its exact first moment, test/helpers.ts) and of J
  // (evaluatePolicy): FD error ≈ 1e-10 against biases 6e-2 … 2.5e-5, so 1e-4 relative (an off-by-one in K
  // changes the bias by a factor γ = 0.8).
  const h = 1e-5;
  const fd = (f: (t: Float64Array) => number, theta: Float64Array) =>
    theta.map((_, k) => {
      const plus = Float64Array.from(theta);
      const minus = Float64Array.from(theta);
      plus[k] += h;
      minus[k] -= h;
      return (f(plus) - f(minus)) / (2 * h);
    });
  const full = fd((t) => evaluatePolicy(mdp, t).J, thetas[1]);
  for (const r of tb.rows) {
    const truncated = fd((t) => truncatedReturnMoments(mdp, t, r.horizon, 0).mean, thetas[1]);
    const want = norm2(truncated.map((g, k) => g - full[k]));
    assert.ok(Math.abs(r.bias - want) < 1e-4 * want, `K=${r.horizon}: bias ${r.bias} vs ${want}`);
  }
  // The fitted rate is log γ: measured to 5e-6 here (the subdominant (γλ₂)^K terms are gone beyond K ≈ 10);
  // tolerance 1e-3, 200× that (it was 0.05, 10⁴× the error).
  assert.ok(Math.abs(tb.rate - tb.logGamma) < 1e-3, `rate ${tb.rate} vs log γ ${tb.logGamma}`);
});

test('gradientDominationRatio: hand-worked rows, and along a run against J*, J and ∇J computed independently', () => {
  // gap 0.5, ‖∇J‖ = 2: ratio = 0.5/4 = 0.125, μ̂ = 4/(2·0.5) = 4. A gap at round-off (≤ 1e-12) gives NaN.
  const rows = gradientDominationRatio([
    { round: 3, gap: 0.5, gradNorm: 2, algorithm: 'x' },
    { round: 4, gap: 1e-13, gradNorm: 1e-7, algorithm: 'x' },
  ]);
  assert.deepEqual([rows[0].ratio, rows[0].mu, rows[0].algorithm], [0.125, 4, 'x']);
  assert.ok(Number.isNaN(rows[1].ratio as number) && Number.isNaN(rows[1].mu as number));

  // Along an exact entropy-regularised run: J* by value iteration (not the policy iteration the run uses),
  // J(θ̄) by evaluatePolicy at the trace's θ̄, ‖∇J(θ̄)‖ by central differences of J (error O(h²) ≈ 1e-10).
  const problem = garnet({ states: 8, actions: 3, branching: 3, agents: 2, gamma: 0.8, heterogeneity: 0.5, seed: 4 });
  const mdp = averageMDP(problem);
  const entropy = 1;
  const run = createRun(problem, { algorithm: 'fast-fedpg', localSteps: 2, stepSize: 1, oracle: { kind: 'exact' }, entropy, seed: 0, detail: 'agents' });
  const { traces } = run.runFor(5);
  const Jstar = valueIteration(mdp, { entropy }).J;
  const pl = gradientDominationRatio(run.history.slice(1).map((h) => ({ round: h.round, gap: h.gap, gradNorm: h.gradNorm })));
  traces.forEach((trace, k) => {
    const theta = trace.thetaAfter as Float64Array;
    const gap = Jstar - evaluatePolicy(mdp, theta, { entropy }).J;
    const g2 = norm2(finiteDifferenceGradient(mdp, theta, entropy)) ** 2;
    const mu = g2 / (2 * gap);
    // Measured agreement ≈ 1e-9 relative (value iteration stops at 1e-12·max|R|/(1−γ), gaps here ≈ 1e-2..1e-4).
    assert.ok(Math.abs((pl[k].mu as number) - mu) < 1e-6 * mu, `round ${trace.round}: μ̂ ${pl[k].mu} vs independent ${mu}`);
    assert.ok(Math.abs((pl[k].ratio as number) - gap / g2) < 1e-6 * (gap / g2));
  });
  // With τ = 1 the ratio stays bounded along the run (gradient domination holds): μ̂ never collapses.
  const mus = pl.map((r) => r.mu as number);
  assert.ok(Math.min(...mus) > 0.1 * Math.max(...mus), `μ̂ along the run: ${mus}`);
});

test('summarizeSeeds and plateau in log space: geometric means with positive intervals', () => {
  const rows: Row[] = [1e-2, 1e-4].map((gap, seed) => ({ job: `j${seed}`, seed, config: 0, round: 1, gap }));
  const [r] = summarizeSeeds(rows, { values: ['gap'], log: true });
  assert.ok(Math.abs((r.gap_mean as number) - 1e-3) < 1e-18);
  // log10 values −2, −4: mean −3, se 1, t_{0.975,1} = 12.706…: the interval is 10^(−3 ± 12.7), positive.
  assert.ok((r.gap_lo as number) > 0 && (r.gap_lo as number) < 1e-15 && (r.gap_hi as number) > 1e9);
  const [p] = plateau(rows, { log: true });
  assert.ok(Math.abs((p.plateau_mean as number) - 1e-3) < 1e-18);
  const [floored] = summarizeSeeds([{ job: 'a', seed: 0, config: 0, round: 1, gap: -3e-15 }], { values: ['gap'], log: true });
  assert.equal(floored.gap_mean, 1e-16);
});
