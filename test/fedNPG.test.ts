import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createProblem, createRun, decodeState, denseTransitions, type FederatedProblem, garnet, restoreRun, ValidationError } from '../src/index';
import { decentralisedStepBound, mixingMatrix, mixingSecondEigenvalue } from '../src/baselines';
import { randomTheta } from './helpers';

// An independent implementation of centralised entropy-regularised NPG (Cen et al., Operations Research
// 2022) on the averaged MDP: dense P, R̄ = (1/N) Σ R_i, policy evaluation by Gaussian elimination, soft
// Bellman optimality by value iteration. It shares no code with the package beyond the problem's data.

const problem = garnet({ states: 8, actions: 3, branching: 3, agents: 4, gamma: 0.9, heterogeneity: 1, seed: 21 });
const { S, A, gamma } = problem;
const P = denseTransitions(problem.transitions);
const Rbar = Float64Array.from({ length: S * A }, (_, k) => problem.rewards.reduce((acc, R) => acc + R[k], 0) / problem.rewards.length);

function solve(M: number[][], b: number[]): number[] {
  const n = b.length;
  const a = M.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
    [a[c], a[p]] = [a[p], a[c]];
    for (let r = c + 1; r < n; r++) {
      const f = a[r][c] / a[c][c];
      for (let k = c; k <= n; k++) a[r][k] -= f * a[c][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = a[r][n];
    for (let k = r + 1; k < n; k++) s -= a[r][k] * x[k];
    x[r] = s / a[r][r];
  }
  return x;
}

function normalise(logits: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(logits);
  for (let s = 0; s < S; s++) {
    let m = -Infinity;
    for (let a = 0; a < A; a++) m = Math.max(m, out[s * A + a]);
    let z = 0;
    for (let a = 0; a < A; a++) z += Math.exp(out[s * A + a] - m);
    for (let a = 0; a < A; a++) out[s * A + a] -= m + Math.log(z);
  }
  return out;
}

/** Q_τ^π = R + γ P V_τ^π with V_τ = (I − γ P_π)⁻¹ Σ_a π (R − τ log π), for the reward R. */
function softQ(logPi: Float64Array, tau: number, R: Float64Array = Rbar): Float64Array {
  const M = Array.from({ length: S }, (_, s) => Array.from({ length: S }, (_, s2) => (s === s2 ? 1 : 0)));
  const r = new Array<number>(S).fill(0);
  for (let s = 0; s < S; s++) {
    for (let a = 0; a < A; a++) {
      const pi = Math.exp(logPi[s * A + a]);
      r[s] += pi * (R[s * A + a] - tau * logPi[s * A + a]);
      for (let s2 = 0; s2 < S; s2++) M[s][s2] -= gamma * pi * P[(s * A + a) * S + s2];
    }
  }
  const V = solve(M, r);
  return Float64Array.from({ length: S * A }, (_, k) => R[k] + gamma * V.reduce((acc, v, s2) => acc + P[k * S + s2] * v, 0));
}

/** Cen et al.'s update: log π' = (1 − ητ/(1−γ)) log π + η Q_τ/(1−γ), normalised. */
function cenStep(logPi: Float64Array, eta: number, tau: number): Float64Array {
  const Q = softQ(logPi, tau);
  return normalise(logPi.map((lp, k) => (1 - (eta * tau) / (1 - gamma)) * lp + (eta * Q[k]) / (1 - gamma)));
}

/** Soft-optimal Q*_τ by value iteration, V(s) = τ log Σ_a exp(Q(s,a)/τ), to convergence. */
function softOptimalQ(tau: number): Float64Array {
  let Q = new Float64Array(S * A);
  for (let it = 0; it < 2000; it++) {
    const V = Array.from({ length: S }, (_, s) => {
      const m = Math.max(...Array.from({ length: A }, (_, a) => Q[s * A + a]));
      let z = 0;
      for (let a = 0; a < A; a++) z += Math.exp((Q[s * A + a] - m) / tau);
      return m + tau * Math.log(z);
    });
    Q = Float64Array.from({ length: S * A }, (_, k) => Rbar[k] + gamma * V.reduce((acc, v, s2) => acc + P[k * S + s2] * v, 0));
  }
  return Q;
}

const maxDiff = (x: ArrayLike<number>, y: ArrayLike<number>) => {
  let m = 0;
  for (let k = 0; k < x.length; k++) m = Math.max(m, Math.abs(x[k] - y[k]));
  return m;
};

test('fednpg with W = 11ᵀ/N and exact Q is centralised entropy-regularised NPG on the averaged MDP (Cen et al. 2022), to round-off', () => {
  const tau = 0.1;
  const eta = 0.4; // ≤ (1−γ)/τ = 1
  const theta0 = randomTheta(S * A, 'npg0', 1);
  const run = createRun(problem, { algorithm: 'fednpg', localSteps: 1, stepSize: eta, oracle: { kind: 'exact' }, entropy: tau, seed: 1, initialTheta: theta0 });
  let ref = normalise(theta0);
  let worst = 0;
  for (let t = 0; t < 15; t++) {
    run.step();
    ref = cenStep(ref, eta, tau);
    worst = Math.max(worst, maxDiff(run.thetaBar, ref));
  }
  // Two solvers of a system with condition ≈ (1+γ)/(1−γ) = 19, entries of Q ≤ 1/(1−γ) + τ log A/(1−γ): ~1e-14 each.
  assert.ok(worst < 1e-11, `max |log π_fednpg − log π_Cen| = ${worst}`);
});

test('η = (1−γ)/τ is soft policy iteration: π_{t+1} ∝ exp(Q_τ^{π_t}/τ)', () => {
  const tau = 0.2;
  const eta = (1 - gamma) / tau;
  const run = createRun(problem, { algorithm: 'fednpg', localSteps: 1, stepSize: eta, oracle: { kind: 'exact' }, entropy: tau, seed: 1, initialTheta: randomTheta(S * A, 'spi', 2) });
  for (let t = 0; t < 5; t++) {
    const before = run.thetaBar;
    run.step();
    const Q = softQ(normalise(before), tau);
    const spi = normalise(Q.map((q) => q / tau));
    assert.ok(maxDiff(run.thetaBar, spi) < 1e-11, `round ${t + 1}: ${maxDiff(run.thetaBar, spi)}`);
  }
});

test('linear rate with exact Q: ‖Q*_τ − Q_τ^{(t+1)}‖∞ ≤ C₁ γ (1 − ητ)^t (Cen et al. 2022, Theorem 1)', () => {
  const tau = 0.1;
  const Qstar = softOptimalQ(tau);
  const logPiStar = normalise(Qstar.map((q) => q / tau));
  for (const eta of [0.3, 1]) {
    const theta0 = randomTheta(S * A, `rate${eta}`, 2);
    const logPi0 = normalise(theta0);
    const C1 = maxDiff(Qstar, softQ(logPi0, tau)) + 2 * tau * (1 - (eta * tau) / (1 - gamma)) * maxDiff(logPiStar, logPi0);
    const run = createRun(problem, { algorithm: 'fednpg', localSteps: 1, stepSize: eta, oracle: { kind: 'exact' }, entropy: tau, seed: 1, initialTheta: theta0 });
    let last = Infinity;
    for (let t = 0; t < 60; t++) {
      run.step();
      const err = maxDiff(Qstar, softQ(run.thetaBar, tau));
      const bound = C1 * gamma * (1 - eta * tau) ** t;
      assert.ok(err <= bound + 1e-12, `η=${eta}, t=${t}: ‖Q* − Q‖ = ${err} > bound ${bound}`);
      last = err;
    }
    // Not vacuous: after 60 rounds the error is tiny in absolute terms (ητ = 0.03 still gives 1 − 0.03)^60 ≈ 0.16 of C₁γ).
    assert.ok(last < 0.2 * C1, `η=${eta}: final error ${last} vs C₁ = ${C1}`);
  }
});

test('ring mixing: identical rewards give the server iterates; heterogeneous rewards reach the same soft optimum (consensus)', () => {
  const tau = 0.1;
  const same: FederatedProblem = createProblem({ ...problem, rewards: problem.rewards.map(() => problem.rewards[0]), agentNames: undefined });
  const base = { algorithm: 'fednpg', localSteps: 1, stepSize: 0.4, oracle: { kind: 'exact' }, entropy: tau, seed: 1, initialTheta: randomTheta(S * A, 'ring', 1) } as const;
  const server = createRun(same, base);
  const ring = createRun(same, { ...base, mixing: 'ring' });
  for (let t = 0; t < 10; t++) {
    server.step();
    ring.step();
  }
  assert.ok(maxDiff(server.thetaBar, ring.thetaBar) < 1e-12, `identical agents: ${maxDiff(server.thetaBar, ring.thetaBar)}`);

  // η = 1 is above the decentralised bound (1−σ)²(1−γ)/τ = 4/9 for this ring (N = 4, σ = 1/3): it converges anyway.
  const hetero = createRun(problem, { ...base, mixing: 'ring', stepSize: 1, beyondTheorem: true });
  hetero.runFor(250);
  const logPiStar = normalise(softOptimalQ(tau).map((q) => q / tau));
  const agents = (decodeState(hetero.state.algorithmState) as { logPi: Float64Array[] }).logPi;
  for (const [n, lp] of agents.entries()) assert.ok(maxDiff(lp, logPiStar) < 1e-8, `agent ${n}: ${maxDiff(lp, logPiStar)}`);
  // One ring iteration sends one vector per (agent, neighbour) in each of two exchanges: 2·N·2 for N = 4.
  assert.equal(hetero.history[hetero.history.length - 1].messages, 250 * 2 * 4 * 2);
  assert.equal(hetero.history[hetero.history.length - 1].envSteps, 0);
});

test('mixing matrices are symmetric and doubly stochastic', () => {
  for (const kind of ['server', 'ring'] as const) {
    for (const N of [1, 2, 3, 6]) {
      const W = mixingMatrix(kind, N);
      for (let i = 0; i < N; i++) {
        assert.ok(Math.abs(W[i].reduce((a, b) => a + b, 0) - 1) < 1e-15);
        for (let j = 0; j < N; j++) assert.equal(W[i][j], W[j][i]);
      }
    }
  }
});

test('fednpg save/restore is bit-identical; bad settings are refused naming the field', () => {
  const base = { algorithm: 'fednpg', localSteps: 1, stepSize: 0.4, oracle: { kind: 'exact' }, entropy: 0.1, seed: 1, mixing: 'ring' } as const;
  const whole = createRun(problem, base);
  whole.runFor(6);
  const part = createRun(problem, base);
  part.runFor(3);
  const resumed = restoreRun(problem, JSON.parse(JSON.stringify(part.state)));
  resumed.runFor(3);
  assert.deepEqual(Array.from(resumed.thetaBar), Array.from(whole.thetaBar));
  assert.equal(resumed.config.options.mixing, 'ring');
  const refused: [Record<string, unknown>, RegExp][] = [
    [{ oracle: { kind: 'sampled', horizon: 5, batch: 2 } }, /^oracle must be 'exact' for fednpg/],
    [{ localSteps: 3 }, /^localSteps must be 1 for fednpg/],
    [{ stepSize: 2 }, /^stepSize η = 2 must be ≤ \(1−γ\)\/τ = 1 for fednpg/],
    [{ mixing: 'rign' }, /^mixing must be one of 'server', 'ring', got "rign"; did you mean 'ring'\?/],
  ];
  for (const [patch, pattern] of refused) {
    assert.throws(() => createRun(problem, { ...base, ...patch } as never).step(), (e: unknown) => e instanceof ValidationError && pattern.test((e as Error).message), `${JSON.stringify(patch)}`);
  }
});

test('σ = ‖W − 11ᵀ/N‖₂ of the ring against power iteration on W − 11ᵀ/N; 0 for the server', () => {
  // N = 3: W = 11ᵀ/N exactly (every off-diagonal eigenvalue is 1/3 + (2/3)cos(2π/3) = 0).
  assert.ok(mixingSecondEigenvalue('ring', 3) < 1e-15);
  for (const N of [4, 5, 6, 9]) {
    const W = mixingMatrix('ring', N);
    // Power iteration on (W − J)², J = 11ᵀ/N: converges to σ² from a start with a component on its top eigenvector.
    let v = Array.from({ length: N }, (_, i) => Math.sin(i + 1) + 0.1 * i);
    let lambda = 0;
    for (let it = 0; it < 2000; it++) {
      const apply = (x: number[]) => {
        const mean = x.reduce((a, b) => a + b, 0) / N;
        return W.map((row) => row.reduce((acc, w, j) => acc + w * x[j], 0) - mean);
      };
      const w = apply(apply(v));
      const norm = Math.hypot(...w);
      lambda = norm / Math.hypot(...v);
      v = w.map((x) => x / norm);
    }
    assert.ok(Math.abs(Math.sqrt(lambda) - mixingSecondEigenvalue('ring', N)) < 1e-9, `N = ${N}: ${Math.sqrt(lambda)} vs ${mixingSecondEigenvalue('ring', N)}`);
    assert.equal(mixingSecondEigenvalue('server', N), 0);
  }
  // The 4-cycle: eigenvalues 1/3 + (2/3)·{1, 0, −1, 0}, so σ = 1/3.
  assert.ok(Math.abs(mixingSecondEigenvalue('ring', 4) - 1 / 3) < 1e-15);
});

test('a decentralised W above (1−σ)²(1−γ)/τ is refused by name, unless beyondTheorem; the server and τ = 0 are not concerned', () => {
  const p5 = garnet({ states: 5, actions: 3, branching: 2, agents: 5, gamma: 0.9, heterogeneity: 1, seed: 2 });
  const sigma = mixingSecondEigenvalue('ring', 5);
  const bound = decentralisedStepBound(sigma, 0.9, 0.1);
  assert.ok(Math.abs(bound - (1 - sigma) ** 2) < 1e-15 && bound > 0.21 && bound < 0.22, `bound ${bound}`);
  const base = { algorithm: 'fednpg', mixing: 'ring', localSteps: 1, oracle: { kind: 'exact' }, entropy: 0.1, seed: 1 } as const;
  assert.throws(() => createRun(p5, { ...base, stepSize: 0.25 }), (e: unknown) => e instanceof ValidationError && /^stepSize η = 0\.25 is above the decentralised step bound \(1−σ\)²\(1−γ\)\/τ = 0\.212\d* for fednpg with mixing 'ring' \(σ = ‖W − 11ᵀ\/N‖₂ = 0\.539/.test((e as Error).message) && /beyondTheorem/.test((e as Error).message));
  // A decaying schedule is checked at its largest step, η_0.
  assert.throws(() => createRun(p5, { ...base, stepSize: { kind: 'decaying', eta0: 0.5, t0: 10 } }), /decentralised step bound/);
  createRun(p5, { ...base, stepSize: 0.2 }).step();
  createRun(p5, { ...base, stepSize: 1, beyondTheorem: true }).step();
  createRun(p5, { ...base, mixing: 'server', stepSize: 1 }).step();
  createRun(p5, { ...base, entropy: 0, stepSize: 5 }).step();
});
