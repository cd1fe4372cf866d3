import assert from 'node:assert/strict';
import { test } from 'node:test';
import { averageMDP, evaluatePolicy, exactGradient, garnet, maxAbsDiff } from '../src/index';
import { createExactGradientOracle, createPolicyFactor } from '../src/estimators/exactOracle';
import { createKrylovKernel } from '../src/core/krylovKernel';
import { softmaxLogRows } from '../src/core/softmax';
import { KRYLOV_RESTART, krylovPolicySolve, lastKrylovIterations, policyOperator, policySolveLayout, solveInKernel } from '../src/mdp/krylovSolve';
import { gridworld } from '../src/mdp/generators/gridworld';
import type { TabularMDP } from '../src/mdp/problem';
import { agentMDP } from '../src/mdp/views';
import { randomTheta } from './helpers';

// The Krylov path of exact evaluation (S > DENSE_SOLVE_LIMIT, or solver 'krylov'): deflated Richardson, and
// GMRES where it contracts slowly, in core/krylov.wat. Its references: dense LU (an independent solver), the
// residual bounds it claims, finite differences of J at a size where LU cannot run, the bytes it allocates,
// the theory of the deflation (which solver runs where), and exactGradient bit for bit for the oracle's factor.

test('Krylov solves agree with dense LU within their guarantee: sparse and dense P, γ = 0.9 and 0.99, τ = 0 and > 0', () => {
  for (const [S, b] of [[260, 5], [230, 230]]) {
    for (const gamma of [0.9, 0.99]) {
      const mdp = averageMDP(garnet({ states: S, actions: 4, branching: b, agents: 2, gamma, heterogeneity: 0.5, seed: 4 }));
      const theta = randomTheta(S * 4, `krylov-${S}-${gamma}`, 2);
      for (const entropy of [0, 0.1]) {
        const lu = evaluatePolicy(mdp, theta, { entropy, solver: 'dense' });
        const kr = evaluatePolicy(mdp, theta, { entropy, solver: 'auto' });
        // ‖V − V*‖∞ ≤ 1e-14 · max|r_π|/(1−γ) and ‖d − d*‖₁ ≤ 1e-14, plus LU's own rounding (≈ ε·|V|·√S).
        let rMax = 0;
        for (let s = 0; s < S; s++) {
          let r = 0;
          for (let a = 0; a < 4; a++) r += lu.pi[s * 4 + a] * (mdp.reward[s * 4 + a] - entropy * lu.logPi[s * 4 + a]);
          rMax = Math.max(rMax, Math.abs(r));
        }
        const vBound = (1e-14 * rMax) / (1 - gamma);
        assert.ok(maxAbsDiff(lu.V, kr.V) <= 2 * vBound, `S=${S} b=${b} γ=${gamma} τ=${entropy}: V differs by ${maxAbsDiff(lu.V, kr.V)}, bound ${vBound}`);
        let dl1 = 0;
        for (let s = 0; s < S; s++) dl1 += Math.abs(lu.occupancy[s] - kr.occupancy[s]);
        assert.ok(dl1 <= 2e-14, `S=${S} b=${b} γ=${gamma}: ‖Δd‖₁ = ${dl1}`);
        assert.ok(lastKrylovIterations.value > 0 && lastKrylovIterations.value < 200, `iterations ${JSON.stringify(lastKrylovIterations)}`);
      }
    }
  }
});

test('the solution meets its residual bounds when checked independently in TypeScript', () => {
  const S = 400;
  const gamma = 0.95;
  const mdp = averageMDP(garnet({ states: S, actions: 3, branching: 4, agents: 1, gamma, heterogeneity: 0, seed: 6 }));
  const pi = new Float64Array(S * 3).fill(1 / 3);
  const r = Float64Array.from({ length: S }, (_, s) => Math.cos(s));
  const out = krylovPolicySolve({ kind: 'transitions', P: mdp.transitions, pi, dense: false }, r, mdp.rho, gamma);
  assert.ok(out);
  const { rowStart, next, prob } = mdp.transitions;
  // res_V = r − (I − γP_π)V and res_x = ρ − (I − γP_π)ᵀ x with x = d/(1−γ), by plain loops over P.
  const resV = Float64Array.from(r);
  const resX = Float64Array.from(mdp.rho);
  for (let s = 0; s < S; s++) {
    resV[s] -= out.V[s];
    resX[s] -= out.occupancy[s] / (1 - gamma);
    for (let a = 0; a < 3; a++) {
      for (let j = rowStart[s * 3 + a]; j < rowStart[s * 3 + a + 1]; j++) {
        resV[s] += gamma * pi[s * 3 + a] * prob[j] * out.V[next[j]];
        resX[next[j]] += (gamma * pi[s * 3 + a] * prob[j] * out.occupancy[s]) / (1 - gamma);
      }
    }
  }
  // The kernel checks the deviation system's residual; the plain recomputation of V's adds rounding of
  // ε·|V| ≈ 1e-16/(1−γ) per term, well under the 1e-14 bound.
  assert.ok(Math.max(...Array.from(resV, Math.abs)) <= 2e-14, `‖res_V‖∞ = ${Math.max(...Array.from(resV, Math.abs))}`);
  assert.ok(resX.reduce((t, x) => t + Math.abs(x), 0) <= 2e-14, `‖res_x‖₁ = ${resX.reduce((t, x) => t + Math.abs(x), 0)}`);
});

test('a large sparse gradient (S = 20000, A = 3) matches central finite differences along random directions', () => {
  const S = 20000;
  const mdp = averageMDP(garnet({ states: S, actions: 3, branching: 4, agents: 1, gamma: 0.9, heterogeneity: 0, seed: 12 }));
  const theta = randomTheta(S * 3, 'large-fd', 1);
  const grad = exactGradient(mdp, theta);
  for (const seed of ['u1', 'u2']) {
    const u = randomTheta(S * 3, seed, 1);
    const h = 1e-3;
    const plus = evaluatePolicy(mdp, theta.map((t, k) => t + h * u[k])).J;
    const minus = evaluatePolicy(mdp, theta.map((t, k) => t - h * u[k])).J;
    const fd = (plus - minus) / (2 * h);
    let dir = 0;
    for (let k = 0; k < grad.length; k++) dir += grad[k] * u[k];
    // Truncation h²/6·|∂³J/∂u³| (J's third derivative along u is O(|u|³/((1−γ)³S)) ≈ 1e-1 here: ≲ 2e-8) and
    // cancellation 2·1e-14·J/(2h) from the solves' guarantee (≈ 5e-11): relative to |∇J·u| ≈ 1e-2, 1e-5.
    assert.ok(Math.abs(fd - dir) <= 1e-5 * Math.abs(dir) + 1e-9, `∇J·u = ${dir}, FD = ${fd}`);
  }
});

test('the sparse path allocates O(nnz): S = 10⁵ solves where one S×S matrix of doubles (80 GB) could not exist', () => {
  const S = 100000;
  const mdp = averageMDP(garnet({ states: S, actions: 2, branching: 3, agents: 1, gamma: 0.9, heterogeneity: 0, seed: 2, limits: { problemEntries: 1e7 } }));
  const P = mdp.transitions;
  const pi = new Float64Array(S * 2).fill(0.5);
  const { end } = policySolveLayout({ kind: 'transitions', P, pi, dense: false }, KRYLOV_RESTART);
  // P (4 + 4 + 8 bytes per entry, 4 per row start), π, K (≤ nnz entries of 12 bytes, S+1 row starts, S
  // markers), c, r, ρ, two buffers per iterate, GMRES's three vectors and its basis of KRYLOV_RESTART + 1.
  const nnz = P.next.length;
  assert.ok(end <= 28 * nnz + 8 * 2 * S + 12 * S + 8 * S * (KRYLOV_RESTART + 11) + 4096, `layout ${end} bytes`);
  const r = Float64Array.from({ length: S }, (_, s) => (s % 7) / 7);
  const out = krylovPolicySolve({ kind: 'transitions', P, pi, dense: false }, r, mdp.rho, 0.9);
  assert.ok(out);
  const sum = out.occupancy.reduce((t, x) => t + x, 0);
  assert.ok(Math.abs(sum - 1) < 1e-12, `Σ d = ${sum}`);
});

test('the Krylov factor (S > 200) gives exactGradient\'s numbers bit for bit, shared by agents and interleaved, τ = 0 and > 0', () => {
  for (const b of [5, 210]) {
    const problem = garnet({ states: 210, actions: 3, branching: b, agents: 3, gamma: 0.95, heterogeneity: 1, seed: 5 });
    const factor = createPolicyFactor(agentMDP(problem, 0));
    assert.equal(factor.kind, 'krylov');
    for (const entropy of [0, 0.1]) {
      const oracles = [0, 1, 2].map((i) => createExactGradientOracle(agentMDP(problem, i), entropy, factor));
      for (const [i, t] of [[0, 'a'], [1, 'a'], [2, 'b'], [0, 'b'], [1, 'c']] as const) {
        const theta = randomTheta(210 * 3, `factor-${t}`, 2);
        const out = new Float64Array(210 * 3);
        oracles[i](theta, out);
        const ref = exactGradient(agentMDP(problem, i), theta, { entropy });
        for (let k = 0; k < out.length; k++) assert.ok(Object.is(out[k], ref[k]), `b=${b} τ=${entropy} agent ${i} θ ${t}: entry ${k} ${out[k]} vs ${ref[k]}`);
      }
    }
  }
});

/** V and d_ρ of `mdp` at θ by solveInKernel, asked for `value` and/or `occupancy` (copies of the results). */
function kernelSolve(mdp: TabularMDP, theta: Float64Array, dense: boolean, value: boolean, occupancy: boolean) {
  const { S, A, gamma, transitions: P } = mdp;
  const pi = new Float64Array(S * A);
  softmaxLogRows(theta, S, A, pi, new Float64Array(S * A));
  const source = { kind: 'transitions' as const, P, pi, dense };
  const { at, end } = policySolveLayout(source, KRYLOV_RESTART);
  const kernel = createKrylovKernel();
  assert.ok(kernel.reserve(end));
  kernel.i32(at.rowStart, S * A + 1).set(P.rowStart);
  kernel.i32(at.next, P.next.length).set(P.next);
  kernel.f64(at.prob, P.next.length).set(P.prob);
  kernel.f64(at.pi, S * A).set(pi);
  const op = policyOperator(kernel, source, at, gamma);
  const r = kernel.f64(at.r, S);
  for (let s = 0; s < S; s++) for (let a = 0; a < A; a++) r[s] += pi[s * A + a] * mdp.reward[s * A + a];
  kernel.f64(at.rho, S).set(mdp.rho);
  const out = solveInKernel(kernel, op, at, value, occupancy);
  assert.ok(out, 'the solve met its guarantee');
  return {
    V: value ? Float64Array.from(kernel.f64(out.value, S)) : null,
    d: occupancy ? Float64Array.from(kernel.f64(out.occupancy, S)) : null,
    products: { ...lastKrylovIterations, gmres: { ...lastKrylovIterations.gmres } },
  };
}

test('each solve gives the same bits whether it runs alone or beside the other in one pass over P_π (sparse and dense K, Richardson and GMRES)', () => {
  const garnetMdp = averageMDP(garnet({ states: 300, actions: 4, branching: 5, agents: 1, gamma: 0.95, heterogeneity: 0, seed: 8 }));
  const denseMdp = averageMDP(garnet({ states: 220, actions: 2, branching: 220, agents: 1, gamma: 0.9, heterogeneity: 0, seed: 9 }));
  // A 20×15 gridworld mixes slowly: Richardson hands both solves over to GMRES.
  const grid = averageMDP(gridworld({ width: 20, height: 15, goals: [[3, 4]], gamma: 0.99 }));
  for (const [name, mdp, dense] of [['garnet', garnetMdp, false], ['dense', denseMdp, true], ['gridworld', grid, false]] as const) {
    const theta = randomTheta(mdp.S * mdp.A, `lockstep-${name}`, 2);
    const both = kernelSolve(mdp, theta, dense, true, true);
    const value = kernelSolve(mdp, theta, dense, true, false);
    const occupancy = kernelSolve(mdp, theta, dense, false, true);
    for (let s = 0; s < mdp.S; s++) {
      assert.ok(Object.is(both.V?.[s], value.V?.[s]), `${name}: V[${s}] ${both.V?.[s]} alone ${value.V?.[s]}`);
      assert.ok(Object.is(both.d?.[s], occupancy.d?.[s]), `${name}: d[${s}] ${both.d?.[s]} alone ${occupancy.d?.[s]}`);
    }
    if (name === 'gridworld') assert.ok(both.products.gmres.value > 0 && both.products.gmres.occupancy > 0, `gridworld: ${JSON.stringify(both.products)}`);
    else assert.deepEqual(both.products.gmres, { value: 0, occupancy: 0 }, `${name}: ${JSON.stringify(both.products)}`);
  }
});

test('the deflation removes the slow mode: Richardson alone solves a Garnet at γ = 0.99 in the steps its second eigenvalue predicts', () => {
  // Without the correction of the constant mode the error would shrink by γ = 0.99 a step (≈ 3300 steps for
  // 10⁻¹⁴, far past the switch to GMRES); with it, by ≈ γ|λ₂(P_π)|, about 1/√(entries per row) ≈ 0.25 for a
  // random sparse P_π with ≈ 15 effective successors (≈ 25 steps for 10⁻¹⁶ of the residual's start).
  const mdp = averageMDP(garnet({ states: 2000, actions: 4, branching: 5, agents: 1, gamma: 0.99, heterogeneity: 0, seed: 3 }));
  const theta = randomTheta(2000 * 4, 'deflation', 1);
  const out = kernelSolve(mdp, theta, false, true, true);
  assert.equal(out.products.gmres.value, 0, JSON.stringify(out.products));
  assert.ok(out.products.value <= 40, JSON.stringify(out.products));
  // The occupancy's bound (‖res‖₁ ≤ 10⁻¹⁴ for x of ℓ₁ norm 1/(1−γ) = 100) sits at the rounding of its residual;
  // GMRES may finish the last digits.
  assert.ok(out.products.occupancy <= 50, JSON.stringify(out.products));
  // And the solutions meet the guarantees, recomputed here with plain loops over P (LU's own rounding at
  // S = 2000, γ = 0.99, ≈ ε·κ·|V| ≈ 2e-12, would hide them): V's residual in the deviation form
  // r − m(1 − γσ) − (W − γP_πW) with W = V − m, m = mean(V), σ the row sums of P_π (the kernel's form, other
  // sums), x = d/(1−γ)'s in ℓ₁ (its rounding ≈ ε·‖x‖₁ = 1e-14: the bound is doubled).
  const { rowStart, next, prob } = mdp.transitions;
  const pi = new Float64Array(2000 * 4);
  softmaxLogRows(theta, 2000, 4, pi, new Float64Array(2000 * 4));
  const V = out.V as Float64Array;
  const d = out.d as Float64Array;
  const m = V.reduce((t, v) => t + v, 0) / 2000;
  let rMax = 0;
  let resV = 0;
  const resX = Float64Array.from(mdp.rho);
  for (let s = 0; s < 2000; s++) {
    let r = 0;
    let sigma = 0;
    let kw = 0;
    for (let a = 0; a < 4; a++) {
      const k = s * 4 + a;
      r += pi[k] * mdp.reward[k];
      for (let j = rowStart[k]; j < rowStart[k + 1]; j++) {
        sigma += pi[k] * prob[j];
        kw += pi[k] * prob[j] * (V[next[j]] - m);
        resX[next[j]] += (0.99 * pi[k] * prob[j] * d[s]) / 0.01;
      }
    }
    rMax = Math.max(rMax, Math.abs(r));
    resV = Math.max(resV, Math.abs(r - m * (0.01 - 0.99 * (sigma - 1)) - (V[s] - m - 0.99 * kw)));
    resX[s] -= d[s] / 0.01;
  }
  assert.ok(resV <= 2e-14 * rMax, `‖res_V‖∞ = ${resV}, max|r| = ${rMax}`);
  const l1 = resX.reduce((t, x) => t + Math.abs(x), 0);
  assert.ok(l1 <= 2e-14, `‖res_x‖₁ = ${l1}`);
});

test('exactGradient above S = 200 refuses a bad θ with evaluatePolicy\'s messages', () => {
  const mdp = averageMDP(garnet({ states: 210, actions: 2, branching: 3, agents: 1, gamma: 0.9, heterogeneity: 0, seed: 1 }));
  const bad = new Float64Array(420);
  bad[7] = Number.NaN;
  const message = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return (e as Error).message;
    }
    return 'no error';
  };
  for (const theta of [bad, [1, 2], 'θ', Array.from(bad, (x, k) => (k === 9 ? Infinity : 0))] as unknown[]) {
    const expected = message(() => evaluatePolicy(mdp, theta as number[]));
    assert.notEqual(expected, 'no error');
    assert.equal(message(() => exactGradient(mdp, theta as number[])), expected);
  }
});
