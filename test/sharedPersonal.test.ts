import assert from 'node:assert/strict';
import { test } from 'node:test';
import { agentMDP, createRun, exactGradient, garnet, ValidationError } from '../src/index';

const problem = garnet({ states: 6, actions: 3, branching: 2, agents: 3, gamma: 0.9, heterogeneity: 1, seed: 5 });
const sampled = { kind: 'sampled', horizon: 10, batch: 4 } as const;
const exact = { kind: 'exact' } as const;

const norm = (x: ArrayLike<number>) => Math.sqrt(Array.from(x).reduce((s, v) => s + v * v, 0));
const sub = (x: ArrayLike<number>, y: ArrayLike<number>) => Float64Array.from(x, (v, k) => v - y[k]);

test('u_i ≡ 0 initially, and with s = 0 the u_i stay 0: w̄ is FedAvg-PG\'s iterate to the bit (sampled oracle), same counts', () => {
  const base = { localSteps: 3, stepSize: 0.3, seed: 'sp', oracle: sampled };
  const d = createRun(problem, { ...base, algorithm: 'shared-personal', mu: 5, personalStepSize: 0 } as never);
  const f = createRun(problem, { ...base, algorithm: 'fedavg-pg' } as never);
  for (const v of d.personal ?? []) assert.deepStrictEqual(Array.from(v), Array.from(d.thetaBar));
  for (let t = 1; t <= 4; t++) {
    const a = d.step();
    const b = f.step();
    assert.deepStrictEqual(Array.from(d.thetaBar), Array.from(f.thetaBar));
    assert.equal(a.J, b.J);
    assert.equal(a.envSteps, b.envSteps);
    assert.equal(a.messages, b.messages);
    assert.equal(a.syncs, b.syncs);
    for (const v of d.personal ?? []) assert.deepStrictEqual(Array.from(v), Array.from(d.thetaBar));
  }
});

/** An independent plain loop of the algorithm with exact gradients: returns w̄ and the u_i after T rounds. */
function plainLoop(T: number, H: number, eta: number, s: number, mu: number, entropy = 0): { w: Float64Array; u: Float64Array[] } {
  const N = problem.rewards.length;
  const d = problem.S * problem.A;
  let w = new Float64Array(d);
  let u = Array.from({ length: N }, () => new Float64Array(d));
  for (let t = 0; t < T; t++) {
    const ws: Float64Array[] = [];
    const us: Float64Array[] = [];
    for (let i = 0; i < N; i++) {
      const wi = Float64Array.from(w);
      const ui = Float64Array.from(u[i]);
      for (let l = 0; l < H; l++) {
        const g = exactGradient(agentMDP(problem, i), Float64Array.from(wi, (x, k) => x + ui[k]), { entropy });
        for (let k = 0; k < d; k++) {
          wi[k] += eta * g[k];
          ui[k] = ui[k] + s * g[k] - s * mu * ui[k];
        }
      }
      ws.push(wi);
      us.push(ui);
    }
    w = Float64Array.from(w, (_, k) => ws.reduce((acc, x) => acc + x[k], 0) / N);
    u = us;
  }
  return { w, u };
}

test('exact oracle: w̄ and w̄ + u_i agree with an independent plain loop of the split to round-off', () => {
  const [T, H, eta, s, mu] = [6, 3, 0.4, 0.2, 2];
  const run = createRun(problem, { algorithm: 'shared-personal', mu, personalStepSize: s, localSteps: H, stepSize: eta, seed: 1, oracle: exact } as never);
  run.runFor(T);
  const ref = plainLoop(T, H, eta, s, mu);
  assert.ok(norm(sub(run.thetaBar, ref.w)) < 1e-12, `w̄: ${norm(sub(run.thetaBar, ref.w))}`);
  (run.personal as Float64Array[]).forEach((v, i) => {
    const expected = Float64Array.from(ref.w, (x, k) => x + ref.u[i][k]);
    assert.ok(norm(sub(v, expected)) < 1e-12, `agent ${i}: ${norm(sub(v, expected))}`);
    assert.ok(norm(ref.u[i]) > 1e-2, 'the offsets are not trivially zero');
  });
});

test('μ → ∞ with s = 1/μ: every step sets u_i = ĝ_i/μ, so ‖u_i‖ and ‖w̄ − w̄_FedAvg-PG‖ are O(1/μ)', () => {
  // s = 1/μ makes u ← u + (g − μu)/μ = g/μ, so after each step ‖u_i‖ ≤ G/μ (G = max ‖∇J_i‖) and every
  // gradient is taken at w + O(1/μ): the w iterates differ from FedAvg-PG's by O(L G T H η / μ).
  const base = { localSteps: 3, stepSize: 0.5, seed: 2, oracle: exact };
  const f = createRun(problem, { ...base, algorithm: 'fedavg-pg' } as never);
  f.runFor(10);
  const offset: number[] = [];
  const lag: number[] = [];
  for (const mu of [1e2, 1e3, 1e4]) {
    const run = createRun(problem, { ...base, algorithm: 'shared-personal', mu, personalStepSize: 1 / mu } as never);
    run.runFor(10);
    offset.push(Math.max(...(run.personal as Float64Array[]).map((v) => norm(sub(v, run.thetaBar)))));
    lag.push(norm(sub(run.thetaBar, f.thetaBar)));
  }
  // Each tenfold μ divides both by ≈ 10 (between 5 and 20: the O(1/μ) rate, not a looser one).
  for (let j = 1; j < 3; j++) {
    assert.ok(offset[j - 1] / offset[j] > 5 && offset[j - 1] / offset[j] < 20, `offsets ${offset}`);
    assert.ok(lag[j - 1] / lag[j] > 5 && lag[j - 1] / lag[j] < 20, `lags ${lag}`);
  }
  // ‖u_i‖ ≤ G/μ: with softmax scores, ‖∇J_i‖ ≤ 2 R_max/(1 − γ)² ≤ 200 here (R ∈ [0, 1], γ = 0.9).
  assert.ok(offset[2] < 200 / 1e4, `‖u_i‖ at μ = 1e4: ${offset[2]}`);
});

test('μ = 0: the stationary point is each agent\'s own optimum, ∇J_i(w̄ + u_i) = 0 to round-off', () => {
  // τ = 0.6 makes every J_i strongly concave enough near its optimum that 400 rounds reach the floor (≈ 7e-15 here).
  const tau = 0.6;
  const run = createRun(problem, { algorithm: 'shared-personal', mu: 0, localSteps: 2, stepSize: 1, entropy: tau, seed: 3, oracle: exact } as never);
  for (let t = 0; t < 400; t++) run.step({ record: false });
  const g0 = exactGradient(agentMDP(problem, 0), run.thetaBar, { entropy: tau });
  assert.ok(norm(g0) > 1e-2, `w̄ is not agent 0's optimum (‖∇J_0(w̄)‖ = ${norm(g0)})`);
  (run.personal as Float64Array[]).forEach((v, i) => {
    const g = exactGradient(agentMDP(problem, i), v, { entropy: tau });
    // Round-off of the 18 entries of O(1) vectors: a few hundred ε.
    assert.ok(norm(g) < 1e-13, `agent ${i}: ‖∇J_i(w̄ + u_i)‖ = ${norm(g)}`);
  });
});

test('μ > 0, H = 1: at the fixed point ∇J_i(w̄ + u_i) = μ u_i for every i and Σ_i u_i = 0 (the server\'s stationarity)', () => {
  const tau = 0.3;
  const mu = 0.5;
  const run = createRun(problem, { algorithm: 'shared-personal', mu, localSteps: 1, stepSize: 1, entropy: tau, seed: 3, oracle: exact } as never);
  for (let t = 0; t < 800; t++) run.step({ record: false });
  const sum = new Float64Array(problem.S * problem.A);
  let largest = 0;
  (run.personal as Float64Array[]).forEach((v, i) => {
    const u = sub(v, run.thetaBar);
    for (let k = 0; k < u.length; k++) sum[k] += u[k];
    largest = Math.max(largest, norm(u));
    const g = exactGradient(agentMDP(problem, i), v, { entropy: tau });
    const r = norm(Float64Array.from(g, (x, k) => x - mu * u[k]));
    // H = 1: u_i fixed ⇔ s(g_i − μu_i) = 0; w̄ fixed ⇔ Σ_i g_i = 0, hence μ Σ_i u_i = 0 (floor ≈ 8e-15 after 800 rounds).
    assert.ok(r < 1e-13, `agent ${i}: ‖∇J_i(θ_i) − μ u_i‖ = ${r}`);
  });
  assert.ok(largest > 1e-2, `the offsets are not trivially zero (max ‖u_i‖ = ${largest})`);
  assert.ok(norm(sum) < 1e-13, `‖Σ u_i‖ = ${norm(sum)}`);
});

test('options: mu and personalStepSize are validated by name', () => {
  assert.throws(() => createRun(problem, { algorithm: 'shared-personal', mu: -1, stepSize: 0.1, seed: 1, oracle: exact } as never), (e: unknown) => e instanceof ValidationError && /mu/.test((e as Error).message));
  assert.throws(() => createRun(problem, { algorithm: 'shared-personal', personalStepSize: -0.1, stepSize: 0.1, seed: 1, oracle: exact } as never), (e: unknown) => e instanceof ValidationError && /personalStepSize/.test((e as Error).message));
});
