import assert from 'node:assert/strict';
import { test } from 'node:test';
import { averageMDP, createGradientEstimator, createRng, estimateGradient, exactGradient, type EstimatorKind, garnet, maxAbs, maxAbsDiff, norm2, ols, type Rng, type TabularMDP, truncatedGradient } from '../src/index';
import { addScore, buildAlias, sampleAlias, sampleSuccessor, xoshiroNext, xoshiroSeed } from '../src/internals';
import { bonferroniZ, randomTheta, truncatedReturnMoments, worstZ } from './helpers';

const mdp = averageMDP(garnet({ states: 7, actions: 3, branching: 3, agents: 3, gamma: 0.85, heterogeneity: 0.8, seed: 5 }));
const theta = randomTheta(21, 'estimators', 1.5);

/**
 * Plain reference of the sampled estimator, kept here on purpose (CleanRL's habit): trajectories as
 * arrays of objects, π recomputed per row by the textbook formula, the same random-stream contract
 * (s₀, then action and successor per step, no successor after the last step) and the same factorised
 * accumulation. Returns the gradient and the trajectories for the literal-formula check.
 */
function referenceEstimate(m: TabularMDP, th: Float64Array, K: number, M: number, kind: EstimatorKind, tau: number, rng: Rng) {
  const { S, A, gamma } = m;
  const pi: number[] = [];
  const logPi: number[] = [];
  for (let s = 0; s < S; s++) {
    const row = Array.from(th.subarray(s * A, s * A + A));
    const mx = Math.max(...row);
    const e = row.map((x) => Math.exp(x - mx));
    const z = e.reduce((x, y) => x + y, 0);
    e.forEach((x) => pi.push(x / z));
    const lse = mx + Math.log(row.reduce((acc, x) => acc + Math.exp(x - mx), 0));
    row.forEach((x) => logPi.push(x - lse));
  }
  const piArr = Float64Array.from(pi);
  const cut = new Float64Array(S * A);
  const other = new Int32Array(S * A);
  for (let s = 0; s < S; s++) buildAlias(piArr, s * A, A, cut, other);
  // The stream contract: four draws of rng seed xoshiro128**, whose uniforms drive the walk.
  const state = xoshiroSeed(rng);
  const draw = () => xoshiroNext(state);
  const W = new Array<number>(S * A).fill(0);
  const trajectories: { s: number; a: number; discounted: number }[][] = [];
  for (let traj = 0; traj < M; traj++) {
    const steps: { s: number; a: number; discounted: number }[] = [];
    let s = sampleAlias(m.rhoCut, m.rhoOther, 0, S, draw());
    let disc = 1;
    for (let t = 0; t < K; t++) {
      const a = sampleAlias(cut, other, s * A, A, draw());
      const r = tau > 0 ? m.reward[s * A + a] - tau * logPi[s * A + a] : m.reward[s * A + a];
      steps.push({ s, a, discounted: disc * r });
      disc *= gamma;
      if (t + 1 < K) s = sampleSuccessor(m.transitions, s * A + a, draw());
    }
    let G = 0;
    if (kind === 'reinforce') for (const step of steps) G += step.discounted;
    for (let t = K - 1; t >= 0; t--) {
      if (kind === 'gpomdp') G += steps[t].discounted;
      W[steps[t].s * A + steps[t].a] += G;
    }
    trajectories.push(steps);
  }
  const grad = new Float64Array(S * A);
  for (let s = 0; s < S; s++) {
    let ws = 0;
    for (let a = 0; a < A; a++) ws += W[s * A + a];
    for (let a = 0; a < A; a++) grad[s * A + a] = (W[s * A + a] - pi[s * A + a] * ws) / M;
  }
  return { grad, trajectories, pi: piArr };
}

/** ĝ by the formula as written: (1/M) Σ_m Σ_t γ^t r_t Σ_{k≤t} ∇log π(a_k|s_k) (GPOMDP) or with k < K (REINFORCE). */
function literalFormula(trajectories: { s: number; a: number; discounted: number }[][], pi: Float64Array, A: number, kind: EstimatorKind): Float64Array {
  const out = new Float64Array(pi.length);
  for (const steps of trajectories) {
    for (let t = 0; t < steps.length; t++) {
      const last = kind === 'gpomdp' ? t : steps.length - 1;
      for (let k = 0; k <= last; k++) addScore(pi, A, steps[k].s, steps[k].a, steps[t].discounted / trajectories.length, out);
    }
  }
  return out;
}

for (const kind of ['gpomdp', 'reinforce'] as const) {
  for (const tau of [0, 0.3]) {
    test(`${kind} (τ=${tau}) equals the plain reference bit for bit, and the literal formula to 1e-12`, () => {
      const K = 12;
      const M = 64;
      const fast = estimateGradient(mdp, theta, { horizon: K, batch: M, estimator: kind, entropy: tau }, createRng('ref').fold(kind));
      const ref = referenceEstimate(mdp, theta, K, M, kind, tau, createRng('ref').fold(kind));
      assert.deepEqual(Array.from(fast.grad), Array.from(ref.grad));
      const literal = literalFormula(ref.trajectories, ref.pi, mdp.A, kind);
      assert.ok(maxAbsDiff(fast.grad, literal) < 1e-12 * Math.max(1, maxAbs(literal)), `differs from literal by ${maxAbsDiff(fast.grad, literal)}`);
      // The variance stat is the sample variance of the per-trajectory terms of the literal formula.
      const perTrajectory = ref.trajectories.map((steps) => literalFormula([steps], ref.pi, mdp.A, kind));
      for (let k = 0; k < 21; k++) {
        const xs = perTrajectory.map((g) => g[k]);
        const mean = xs.reduce((x, y) => x + y, 0) / M;
        const v = xs.reduce((acc, x) => acc + (x - mean) ** 2, 0) / (M - 1);
        const got = (fast.stats.variance as Float64Array)[k];
        assert.ok(Math.abs(got - v) <= 1e-9 * Math.max(1, v), `variance[${k}] = ${got}, want ${v}`);
      }
      assert.equal(fast.stats.envSteps, K * M);
    });

    test(`${kind} (τ=${tau}) is unbiased for the K-truncated gradient (Bonferroni z-bound from the sample variance)`, () => {
      const K = 20;
      const M = 40_000;
      const est = estimateGradient(mdp, theta, { horizon: K, batch: M, estimator: kind, entropy: tau }, createRng(`unbiased-${kind}-${tau}`));
      const truth = truncatedGradient(mdp, theta, { horizon: K, entropy: tau });
      const z = worstZ(est.grad, truth.grad, est.stats.variance as Float64Array, M);
      assert.ok(z < bonferroniZ(21), `worst z-score ${z.toFixed(2)} ≥ ${bonferroniZ(21).toFixed(2)}`);
      // The mean truncated return estimates J_K. Its standard error is sd(G_K)/√M, with the variance of the
      // truncated return G_K from its exact first two moments (independent of the estimator and of
      // truncatedGradient, whose J_K the first moment reproduces). 4.5 standard errors, two-sided: a correct
      // estimator fails with probability 7e-6; a bias of 5 standard errors (≈ 1e-2 here) is caught.
      const moments = truncatedReturnMoments(mdp, theta, K, tau);
      assert.ok(Math.abs(moments.mean - truth.J) < 1e-12 * Math.max(1, Math.abs(truth.J)), `E[G_K] ${moments.mean} vs J_K ${truth.J}`);
      const se = Math.sqrt(moments.variance / M);
      assert.ok(Math.abs(est.stats.meanReturn - truth.J) < 4.5 * se, `mean return ${est.stats.meanReturn} vs J_K ${truth.J} (se ${se.toExponential(2)})`);
    });
  }
}

test('GPOMDP and REINFORCE have the same mean, and GPOMDP has the smaller total variance here', () => {
  const K = 20;
  const M = 20_000;
  const g = estimateGradient(mdp, theta, { horizon: K, batch: M, estimator: 'gpomdp' }, createRng('same-mean').fold('g'));
  const r = estimateGradient(mdp, theta, { horizon: K, batch: M, estimator: 'reinforce' }, createRng('same-mean').fold('r'));
  const z = bonferroniZ(21);
  for (let k = 0; k < 21; k++) {
    const sd = Math.sqrt(((g.stats.variance as Float64Array)[k] + (r.stats.variance as Float64Array)[k]) / M);
    assert.ok(Math.abs(g.grad[k] - r.grad[k]) <= z * sd, `coordinate ${k}: ${g.grad[k]} vs ${r.grad[k]} (sd ${sd})`);
  }
  const total = (v: Float64Array) => v.reduce((x, y) => x + y, 0);
  assert.ok(total(g.stats.variance as Float64Array) < total(r.stats.variance as Float64Array));
});

test('truncated gradient: matches finite differences of J_K, converges to ∇J, with bias decaying at rate ≈ log γ', () => {
  for (const tau of [0, 0.2]) {
    const K = 15;
    const h = 1e-5;
    const base = truncatedGradient(mdp, theta, { horizon: K, entropy: tau });
    for (let k = 0; k < 21; k += 4) {
      const plus = Float64Array.from(theta);
      const minus = Float64Array.from(theta);
      plus[k] += h;
      minus[k] -= h;
      const fd = (truncatedGradient(mdp, plus, { horizon: K, entropy: tau }).J - truncatedGradient(mdp, minus, { horizon: K, entropy: tau }).J) / (2 * h);
      assert.ok(Math.abs(fd - base.grad[k]) < 1e-8, `∂J_K/∂θ[${k}]: FD ${fd} vs ${base.grad[k]}`);
    }
    const full = exactGradient(mdp, theta, { entropy: tau });
    const Ks = [40, 60, 80, 100, 120, 140];
    const logBias = Ks.map((k) => Math.log(norm2(truncatedGradient(mdp, theta, { horizon: k, entropy: tau }).grad.map((x, i) => x - full[i]))));
    // Bias = the tail t ≥ K of the gradient series, of order γ^K (the state-independent part of V − V_h,
    // which would add a factor K, cancels in the advantage), so log(bias) is linear in K with slope log γ.
    const fit = ols(Ks, logBias);
    const logGamma = Math.log(mdp.gamma);
    assert.ok(Math.abs(fit.slope - logGamma) < 0.05 * Math.abs(logGamma), `fitted decay ${fit.slope}, log γ = ${logGamma}`);
  }
});

test('determinism: same seed gives identical output, different seeds differ; a reused estimator is stateless', () => {
  const opts = { horizon: 10, batch: 50 };
  const a = estimateGradient(mdp, theta, opts, createRng(42));
  const b = estimateGradient(mdp, theta, opts, createRng(42));
  const c = estimateGradient(mdp, theta, opts, createRng(43));
  assert.deepEqual(Array.from(a.grad), Array.from(b.grad));
  assert.notDeepEqual(Array.from(a.grad), Array.from(c.grad));
  const est = createGradientEstimator(mdp, { ...opts, variance: false });
  const first = Array.from(est.estimate(theta, createRng(42)).grad);
  est.estimate(randomTheta(21, 'other'), createRng(7));
  const again = Array.from(est.estimate(theta, createRng(42)).grad);
  assert.deepEqual(first, again);
  assert.deepEqual(first, Array.from(a.grad), 'turning the variance off must not change the estimate');
});

test('four lanes and jump-ahead keep the sequential stream: bit-identical to the reference for any M, K and group split', () => {
  // K = 1500 makes a group hold 4·⌊16384/(4K)⌋ = 8 trajectories, so M = 19 walks two full groups and a
  // partial one; M = 1, 3, 5, 10 leave lanes empty or uneven within one group.
  for (const [K, M] of [[3, 1], [4, 3], [6, 5], [7, 10], [1500, 19]]) {
    for (const kind of ['gpomdp', 'reinforce'] as const) {
      const opts = { horizon: K, batch: M, estimator: kind, entropy: 0.1 };
      const fast = estimateGradient(mdp, theta, opts, createRng('lanes').fold(`${K}/${M}`));
      const ref = referenceEstimate(mdp, theta, K, M, kind, 0.1, createRng('lanes').fold(`${K}/${M}`));
      assert.deepEqual(Array.from(fast.grad), Array.from(ref.grad), `K=${K} M=${M} ${kind}`);
    }
  }
});

test('θ is validated on every call of a reusable estimator, and a θ changed in place is seen', () => {
  const est = createGradientEstimator(mdp, { horizon: 5, batch: 8, variance: false });
  const bad = Float64Array.from(theta);
  bad[17] = NaN;
  assert.throws(() => est.estimate(bad, createRng(1)), (e: Error) => e.name === 'ValidationError' && e.message === 'theta[17] is NaN');
  bad[17] = -Infinity;
  assert.throws(() => est.estimate(bad, createRng(1)), /theta\[17\] is -Infinity/);
  // The same bad θ again (a refused entry must not be remembered as accepted), and the first of two bad entries.
  assert.throws(() => est.estimate(bad, createRng(1)), /theta\[17\] is -Infinity/);
  bad[4] = Infinity;
  assert.throws(() => est.estimate(bad, createRng(1)), /theta\[4\] is Infinity/);
  assert.throws(() => est.estimate(bad, createRng(1)), /theta\[4\] is Infinity/);
  bad[4] = theta[4];
  assert.throws(() => est.estimate(theta.subarray(1), createRng(1)), /theta has length 20, expected 21/);
  assert.throws(() => est.estimate([...Array.from(theta).slice(0, 20), '1'] as unknown as number[], createRng(1)), /theta\[20\] must be a number, got "1"/);
  assert.throws(() => est.estimate(null as unknown as number[], createRng(1)), /theta must be an array of 21 numbers, got null/);
  assert.throws(() => estimateGradient(mdp, bad, { horizon: 5, batch: 8 }, createRng(1)), /theta\[17\] is -Infinity/);
  // A failed call in the middle of θ must not leave stale per-θ tables behind, nor must an in-place change.
  const fresh = (th: Float64Array) => Array.from(createGradientEstimator(mdp, { horizon: 5, batch: 8, variance: false }).estimate(th, createRng(2)).grad);
  const th = Float64Array.from(theta);
  assert.deepEqual(Array.from(est.estimate(th, createRng(2)).grad), fresh(th));
  th[3] += 0.5;
  assert.deepEqual(Array.from(est.estimate(th, createRng(2)).grad), fresh(th));
  bad.set(th);
  bad[20] = NaN;
  bad[0] -= 1;
  assert.throws(() => est.estimate(bad, createRng(2)));
  assert.deepEqual(Array.from(est.estimate(th, createRng(2)).grad), fresh(th));
});
