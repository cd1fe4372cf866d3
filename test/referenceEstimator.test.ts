import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addTrajectoryTerm, agentMDP, averageMDP, createGradientEstimator, createRng, type EstimatorKind, garnet, importanceWeightedGradients, type Policy, referenceEstimate, softmaxPolicyAt, tabularEnvironment, type TabularMDP } from '../src/index';
import { sampleAlias, sampleSuccessor } from '../src/internals';
import { randomTheta } from './helpers';

// The sampled estimator has one specification, estimators/reference.ts (readable, generic over a policy and
// an environment), and a fast backend, the WebAssembly kernel (estimators/walkEstimator.ts, walk.wat). Same
// stream, same trajectories: the mean return, which every sampled reward of every trajectory enters in order,
// is equal bit for bit. The gradient sums the same terms in another order (per pair, then π once, against
// per visit), so it is equal to round-off, within the recursive-summation bound derived below.

const mdp = averageMDP(garnet({ states: 7, actions: 3, branching: 3, agents: 3, gamma: 0.85, heterogeneity: 0.8, seed: 5 }));
const theta = randomTheta(21, 'reference', 1.5);
const U = 2 ** -53;

/**
 * Per state s, Σ over the batch's visits to s of |G_k| and the number of visits: the reference walked again
 * on the same stream with a policy whose score records them instead (slots s·A and s·A + 1; A ≥ 2).
 */
function visitTotals(m: TabularMDP, th: Float64Array, K: number, M: number, reinforce: boolean, tau: number, seed: string): { abs: Float64Array; visits: Float64Array } {
  const policy = softmaxPolicyAt(th, m.S, m.A);
  const recorder: Policy<number> = { ...policy, addScore: (s, _a, w, out) => ((out[s * m.A] += Math.abs(w)), (out[s * m.A + 1] += 1)) };
  const out = new Float64Array(m.S * m.A);
  referenceEstimate(tabularEnvironment(m), recorder, m.gamma, { horizon: K, batch: M, reinforce, entropy: tau, variance: false }, createRng(seed), out);
  return { abs: Float64Array.from({ length: m.S }, (_, s) => out[s * m.A] * M), visits: Float64Array.from({ length: m.S }, (_, s) => out[s * m.A + 1] * M) };
}

/**
 * |kernel − reference| for coordinate (s, a). Each is a sum of at most n = 2·visits(s) + A + 2 rounded terms
 * whose magnitudes add up to at most 2 Σ_visits |G_k| (a visit contributes G_k(1[a_k = a] − π(a|s)), and
 * π ≤ 1); recursive summation errs by at most γ_n Σ|terms|, γ_n = nu/(1 − nu) (Higham, Accuracy and Stability,
 * §4.2), before the division by M. Two such errors bound the difference.
 */
function bound(abs: number, visits: number, A: number, M: number): number {
  const n = 2 * visits + A + 2;
  return (2 * ((n * U) / (1 - n * U)) * 2 * abs) / M;
}

const cases: { K: number; M: number; why: string }[] = [
  { K: 12, M: 1, why: 'one trajectory (three idle lanes)' },
  { K: 12, M: 2, why: 'two lanes' },
  { K: 12, M: 3, why: 'three lanes' },
  { K: 12, M: 64, why: 'one group of 4L' },
  { K: 50, M: 333, why: 'two groups, the second short (L = 81, 4L = 324)' },
];

for (const kind of ['gpomdp', 'reinforce'] as const satisfies readonly EstimatorKind[]) {
  for (const tau of [0, 0.3]) {
    test(`${kind}, τ = ${tau}: the kernel walks the reference's trajectories (mean return bit for bit) and equals its gradient and variance to round-off`, (t) => {
      let worst = 0;
      for (const { K, M, why } of cases) {
        const options = { horizon: K, batch: M, estimator: kind, entropy: tau };
        const seed = `ref-${kind}-${tau}-${M}`;
        const fast = createGradientEstimator(mdp, { ...options, backend: 'wasm' }).estimate(theta, createRng(seed));
        const ref = createGradientEstimator(mdp, { ...options, backend: 'reference' }).estimate(theta, createRng(seed));
        assert.equal(fast.stats.meanReturn, ref.stats.meanReturn, `${why}: mean return`);
        assert.equal(fast.stats.envSteps, ref.stats.envSteps);
        const { abs, visits } = visitTotals(mdp, theta, K, M, kind === 'reinforce', tau, seed);
        for (let k = 0; k < 21; k++) {
          const s = Math.floor(k / mdp.A);
          const b = bound(abs[s], visits[s], mdp.A, M);
          const diff = Math.abs(fast.grad[k] - ref.grad[k]);
          assert.ok(diff <= b, `${why}: grad[${k}] kernel ${fast.grad[k]} vs reference ${ref.grad[k]} (|Δ| ${diff.toExponential(2)} > bound ${b.toExponential(2)})`);
          if (b > 0) worst = Math.max(worst, diff / b);
          // The variance is (Σ g² − (Σ g)²/M)/(M − 1) of per-trajectory terms equal to round-off: relative 1e-9.
          const fv = (fast.stats.variance as Float64Array)[k];
          const rv = (ref.stats.variance as Float64Array)[k];
          if (M === 1) assert.ok(Number.isNaN(fv) && Number.isNaN(rv));
          else assert.ok(Math.abs(fv - rv) <= 1e-9 * Math.max(1e-12, rv), `${why}: variance[${k}] ${fv} vs ${rv}`);
        }
        // Not vacuous: the estimate is far from zero where the bound is tiny.
        assert.ok(Math.max(...Array.from(ref.grad, Math.abs)) > 1e3 * Math.max(...Array.from({ length: mdp.S }, (_, s) => bound(abs[s], visits[s], mdp.A, M))), `${why}: bound too loose to test`);
      }
      t.diagnostic(`largest |kernel − reference| / bound: ${worst.toExponential(2)}`);
    });
  }
}

test('a new θ and a repeated θ give the same estimates on both backends (the kernel skips its per-θ setup for a repeated θ)', () => {
  for (const backend of ['wasm', 'reference'] as const) {
    const est = createGradientEstimator(mdp, { horizon: 10, batch: 9, backend, variance: false });
    const other = randomTheta(21, 'other', 1);
    const first = Array.from(est.estimate(theta, createRng('r')).grad);
    est.estimate(other, createRng('o'));
    assert.deepEqual(Array.from(est.estimate(theta, createRng('r')).grad), first, backend);
    assert.deepEqual(Array.from(est.estimate(theta, createRng('r')).grad), first, `${backend}, θ repeated`);
  }
});

test('the importance-weighted path is the reference GPOMDP sum: on its own trajectories it equals the literal per-decision formula; θ′ = θ gives weights 1', () => {
  const m = agentMDP(garnet({ states: 6, actions: 3, branching: 2, agents: 2, gamma: 0.9, heterogeneity: 1, seed: 3 }), 1);
  const th = randomTheta(18, 'iw-theta', 1);
  const prev = th.map((x, k) => x + 0.4 * Math.cos(k));
  const K = 7;
  const M = 40;
  const tau = 0.1;
  const w = importanceWeightedGradients(m, th, prev, { horizon: K, batch: M, entropy: tau }, createRng('iw'));
  // Replay the stream contract of importanceWeighted.ts (s₀ by ρ's alias table, actions by a linear scan of
  // π_θ, successors by P's alias tables, one uniform each) and evaluate the formulas as written:
  //   ĝ(θ) = (1/M) Σ_m Σ_t γ^t r_t(θ) Σ_{k≤t} ∇log π_θ(a_k|s_k),
  //   w·ĝ(θ') = (1/M) Σ_m Σ_t w_{0:t} γ^t r_t(θ') Σ_{k≤t} ∇log π_θ'(a_k|s_k),  w_{0:t} = Π_{k≤t} π_θ'/π_θ.
  const now = softmaxPolicyAt(th, m.S, m.A);
  const old = softmaxPolicyAt(prev, m.S, m.A);
  const rng = createRng('iw');
  const literal = new Float64Array(18);
  const literalPrev = new Float64Array(18);
  for (let traj = 0; traj < M; traj++) {
    let s = sampleAlias(m.rhoCut, m.rhoOther, 0, m.S, rng.uniform());
    const steps: { s: number; a: number }[] = [];
    let ratio = 1;
    for (let t = 0; t < K; t++) {
      const u = rng.uniform();
      let a = 0;
      let c = now.pi[s * m.A];
      while (u >= c && a < m.A - 1) c += now.pi[s * m.A + ++a];
      steps.push({ s, a });
      ratio *= old.pi[s * m.A + a] / now.pi[s * m.A + a];
      const r = m.reward[s * m.A + a] - tau * now.logPi[s * m.A + a];
      const rPrev = m.reward[s * m.A + a] - tau * old.logPi[s * m.A + a];
      for (let k = 0; k <= t; k++) {
        now.addScore(steps[k].s, steps[k].a, (m.gamma ** t * r) / M, literal);
        old.addScore(steps[k].s, steps[k].a, (ratio * m.gamma ** t * rPrev) / M, literalPrev);
      }
      if (t + 1 < K) s = sampleSuccessor(m.transitions, s * m.A + a, rng.uniform());
    }
  }
  for (let k = 0; k < 18; k++) {
    assert.ok(Math.abs(w.grad[k] - literal[k]) <= 1e-12 * Math.max(1, Math.abs(literal[k])), `ĝ(θ)[${k}]: ${w.grad[k]} vs ${literal[k]}`);
    assert.ok(Math.abs(w.weightedPrevious[k] - literalPrev[k]) <= 1e-12 * Math.max(1, Math.abs(literalPrev[k])), `w·ĝ(θ')[${k}]: ${w.weightedPrevious[k]} vs ${literalPrev[k]}`);
  }
  // θ′ = θ: every weight is 1, the two estimates sum the same terms (one per trajectory first): equal to round-off.
  const same = importanceWeightedGradients(m, th, th, { horizon: K, batch: M, entropy: tau }, createRng('iw'));
  assert.equal(same.meanWeight, 1);
  same.grad.forEach((g, k) => assert.ok(Math.abs(g - same.weightedPrevious[k]) <= 1e-13 * Math.max(1, Math.abs(g)), `[${k}] ${g} vs ${same.weightedPrevious[k]}`));
  assert.deepEqual(Array.from(same.grad), Array.from(w.grad), 'ĝ(θ) does not depend on θ′');
});

test('addTrajectoryTerm: hand-worked GPOMDP and REINFORCE sums of a two-step trajectory', () => {
  // One state, two actions, π = (1/2, 1/2): ∇log π(a) = e_a − (1/2, 1/2). Trajectory a = 0 then 1,
  // discounted rewards d = (1, 2). GPOMDP: G = (3, 2) → 3·(½, −½) + 2·(−½, ½) = (½, −½).
  // REINFORCE: G = (3, 3) → 3·(½, −½) + 3·(−½, ½) = (0, 0). Both return G_0 = 3.
  const policy = softmaxPolicyAt([0, 0], 1, 2);
  const G = new Float64Array(2);
  const gpomdp = new Float64Array(2);
  assert.equal(addTrajectoryTerm(policy, [0, 0], [0, 1], [1, 2], false, G, gpomdp), 3);
  assert.deepEqual(Array.from(gpomdp), [0.5, -0.5]);
  const reinforce = new Float64Array(2);
  assert.equal(addTrajectoryTerm(policy, [0, 0], [0, 1], [1, 2], true, G, reinforce), 3);
  assert.deepEqual(Array.from(reinforce), [0, 0]);
});
