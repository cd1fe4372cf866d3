import assert from 'node:assert/strict';
import { test } from 'node:test';
import { averageMDP, evaluatePolicy, exactGradient, garnet, maxAbsDiff } from '../src/index';
import { createExactGradientOracle, createPolicyFactor } from '../src/estimators/exactOracle';
import { KRYLOV_RESTART, krylovPolicySolve, lastKrylovIterations, policySolveLayout } from '../src/mdp/krylovSolve';
import { agentMDP } from '../src/mdp/views';
import { randomTheta } from './helpers';

// The Krylov path of exact evaluation (S > DENSE_SOLVE_LIMIT, or solver 'krylov'): GMRES in core/krylov.wat.
// Its references: dense LU (an independent solver), the residual bounds it claims, finite differences of J
// at a size where LU cannot run, the bytes it allocates, and exactGradient bit for bit for the oracle's factor.

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
  // markers) and KRYLOV_RESTART + 5 vectors of S doubles.
  const nnz = P.next.length;
  assert.ok(end <= 28 * nnz + 8 * 2 * S + 12 * S + 8 * S * (KRYLOV_RESTART + 5) + 4096, `layout ${end} bytes`);
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
