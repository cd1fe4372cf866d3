import assert from 'node:assert/strict';
import { test } from 'node:test';
import { agentMDP, createGradientEstimator, createProblem, createRng, createRun, denseTransitions, exactGradient, garnet, restoreRun, ValidationError } from '../src/index';

const problem = garnet({ states: 6, actions: 3, branching: 2, agents: 3, gamma: 0.9, heterogeneity: 1, seed: 5 });
const sampled = { kind: 'sampled', horizon: 10, batch: 4 } as const;
const exact = { kind: 'exact' } as const;

const norm = (x: ArrayLike<number>) => Math.sqrt(Array.from(x).reduce((s, v) => s + v * v, 0));
const sub = (x: ArrayLike<number>, y: ArrayLike<number>) => Float64Array.from(x, (v, k) => v - y[k]);

test('θ̄ is Fast-FedPG\'s iterate to the bit (sampled oracle); env steps add N·H·M·K per round, messages unchanged', () => {
  const base = { localSteps: 3, stepSize: 0.3, seed: 'ditto', oracle: sampled };
  const d = createRun(problem, { ...base, algorithm: 'ditto', personalization: { lambda: 0.5, stepSize: 0.2 } } as never);
  const f = createRun(problem, { ...base, algorithm: 'fast-fedpg' } as never);
  for (let t = 1; t <= 4; t++) {
    const a = d.step();
    const b = f.step();
    assert.deepStrictEqual(Array.from(d.thetaBar), Array.from(f.thetaBar));
    assert.equal(a.J, b.J);
    assert.equal(a.gap, b.gap);
    assert.equal(a.messages, b.messages);
    assert.equal(a.syncs, b.syncs);
    assert.equal(a.envSteps, b.envSteps + t * 3 * 3 * 4 * 10);
  }
});

test('λ = 0 with s = η is local PG: exact oracle, the v_i and the per-agent columns are local-pg\'s to the bit', () => {
  const base = { localSteps: 4, stepSize: 0.4, seed: 1, oracle: exact };
  const d = createRun(problem, { ...base, algorithm: 'ditto', personalization: { lambda: 0 } } as never);
  const l = createRun(problem, { ...base, algorithm: 'local-pg' } as never);
  d.runFor(12);
  l.runFor(12);
  assert.deepStrictEqual(d.personal?.map((v) => Array.from(v)), l.personal?.map((v) => Array.from(v)));
  assert.deepStrictEqual(d.history.map((r) => r.agents.map((a) => [a.J, a.gap])), l.history.map((r) => r.agents.map((a) => [a.J, a.gap])));
});

test('λ = 0, sampled oracle: v_i equals a plain local-PG loop on the streams seed/run/round:t/agent:i/personal:ℓ', () => {
  const H = 3;
  const s = 0.25;
  const T = 4;
  const run = createRun(problem, { algorithm: 'ditto', personalization: { lambda: 0, stepSize: s }, localSteps: H, stepSize: 0.3, seed: 9, oracle: sampled } as never);
  run.runFor(T);
  const root = createRng(9).fold('run');
  problem.rewards.forEach((_, i) => {
    const est = createGradientEstimator(agentMDP(problem, i), { horizon: 10, batch: 4, variance: false });
    const v = new Float64Array(problem.S * problem.A);
    for (let t = 0; t < T; t++) {
      for (let l = 0; l < H; l++) {
        const g = est.estimate(v, root.fold(`round:${t}`).fold(`agent:${i}`).fold(`personal:${l}`)).grad;
        for (let k = 0; k < v.length; k++) v[k] += s * g[k];
      }
    }
    assert.deepStrictEqual(Array.from(run.personal?.[i] ?? []), Array.from(v), `agent ${i}`);
  });
});

test('large λ recovers the global iterate: with s = 1/λ, λ(v_i − θ̄ᵗ) → ∇J_i(θ̄ᵗ) with an error O(1/λ), so ‖v_i − θ̄ᵗ‖ = O(1/λ)', () => {
  // s = 1/λ makes each personal step v ← θ̄ + ∇J_i(v)/λ exactly, so after H ≥ 2 steps
  // λ(v_H − θ̄) − ∇J_i(θ̄) = ∇J_i(v_{H−1}) − ∇J_i(θ̄), of norm ≤ L‖v_{H−1} − θ̄‖ ≤ L G/λ (G = ‖∇J_i‖ max).
  const residual: number[] = [];
  const distance: number[] = [];
  for (const lambda of [10, 100, 1000]) {
    const run = createRun(problem, { algorithm: 'ditto', personalization: { lambda, stepSize: 1 / lambda }, localSteps: 3, stepSize: 0.5, seed: 2, oracle: exact, detail: 'agents' } as never);
    let trace = run.step();
    for (let t = 1; t < 20; t++) trace = run.step();
    const thetaT = trace.thetaBefore as Float64Array;
    let r = 0;
    let dist = 0;
    problem.rewards.forEach((_, i) => {
      const v = (run.personal as Float64Array[])[i];
      const g = exactGradient(agentMDP(problem, i), thetaT);
      const diff = sub(v, thetaT);
      dist = Math.max(dist, norm(diff));
      r = Math.max(r, norm(Float64Array.from(diff, (x, k) => lambda * x - g[k])) / norm(g));
    });
    residual.push(r);
    distance.push(dist);
  }
  // Each tenfold λ divides both by ≈ 10 (between 5 and 20: the O(1/λ) rate, not a looser one).
  for (let j = 1; j < 3; j++) {
    assert.ok(residual[j - 1] / residual[j] > 5 && residual[j - 1] / residual[j] < 20, `relative residuals ${residual}`);
    assert.ok(distance[j - 1] / distance[j] > 5 && distance[j - 1] / distance[j] < 20, `distances ${distance}`);
  }
  assert.ok(residual[2] < 1e-2, `relative residual at λ = 1000: ${residual[2]}`);
});

test('at convergence with exact gradients, ∇J_i(v_i) = λ(v_i − θ̄) to round-off', () => {
  const lambda = 2;
  // τ = 0.3 makes J_i strongly concave enough near its optimum that 300 rounds reach the floor (≈ 4e-15 here).
  const run = createRun(problem, { algorithm: 'ditto', personalization: { lambda, stepSize: 0.3 }, localSteps: 2, stepSize: 2, entropy: 0.3, seed: 3, oracle: exact, detail: 'agents' } as never);
  let trace = run.step();
  for (let t = 1; t < 300; t++) trace = run.step({ record: false });
  const thetaT = trace.thetaBefore as Float64Array;
  problem.rewards.forEach((_, i) => {
    const v = (run.personal as Float64Array[])[i];
    const g = exactGradient(agentMDP(problem, i), v, { entropy: 0.3 });
    const r = norm(Float64Array.from(g, (x, k) => x - lambda * (v[k] - thetaT[k])));
    assert.ok(norm(g) > 1e-2, `the personal optimum is not the global one (‖∇J_i(v_i)‖ = ${norm(g)})`);
    // Round-off of the 18 entries of O(1) vectors: a few hundred ε.
    assert.ok(r < 1e-13, `agent ${i}: ‖∇J_i(v_i) − λ(v_i − θ̄)‖ = ${r}`);
  });
});

/** The garnet's P and ρ with agent 0's reward set to zero: with τ = 0, J_0 ≡ 0 and ∇J_0 ≡ 0 exactly. */
function withRewardFreeAgent() {
  const P = denseTransitions(problem.transitions);
  return createProblem({ S: problem.S, A: problem.A, gamma: problem.gamma, rho: problem.rho, transitions: { dense: P }, rewards: [new Float64Array(problem.S * problem.A), ...problem.rewards.slice(1)] } as never);
}

test('stability edge of the personal step: with J_i constant, v − θ̄ᵗ is multiplied by (1 − sλ)^H per round, stable iff 0 < sλ < 2', () => {
  const p = withRewardFreeAgent();
  const H = 3;
  const lambda = 4;
  const growth: Record<string, number> = {};
  for (const sLambda of [1.95]) {
    const run = createRun(p, { algorithm: 'ditto', personalization: { lambda, stepSize: sLambda / lambda }, localSteps: H, stepSize: 0.5, seed: 4, oracle: exact, detail: 'agents' } as never);
    // Independent recursion on the θ̄ᵗ sequence: v^{t+1} = θ̄ᵗ + (1 − sλ)^H (v^t − θ̄ᵗ), v⁰ = θ̄⁰.
    const q = (1 - sLambda) ** H;
    let v = Float64Array.from(run.thetaBar);
    const errors: number[] = [];
    for (let t = 0; t < 60; t++) {
      const tr = run.step();
      const tb = tr.thetaBefore as Float64Array;
      v = Float64Array.from(v, (x, k) => tb[k] + q * (x - tb[k]));
      const own = (run.personal as Float64Array[])[0];
      const scale = Math.max(1, norm(own));
      assert.ok(norm(sub(own, v)) <= 1e-13 * scale * (t + 1) * H, `sλ = ${sLambda}, round ${t + 1}: ‖v − recursion‖ = ${norm(sub(own, v))}`);
      errors.push(norm(sub(own, tr.thetaAfter as Float64Array)));
    }
    growth[sLambda] = errors[59] / errors[29];
  }
  // Just inside the edge the lag behind θ̄ shrinks as θ̄ settles; just outside it would grow like
  // |1 − sλ|^{H·30} = 1.05^90 ≈ 81, so such a run is refused when it is created.
  assert.ok(growth[1.95] < 1, `sλ = 1.95: error ratio rounds 60/30 = ${growth[1.95]}`);
  assert.throws(() => createRun(p, { algorithm: 'ditto', personalization: { lambda, stepSize: 2.05 / lambda }, localSteps: H, stepSize: 0.5, seed: 4, oracle: exact } as never), /personalization\.stepSize .*s·λ = 2\.05/);
});

test('run state round-trips: restored ditto continues to the bit', () => {
  const cfg = { algorithm: 'ditto', personalization: { lambda: 0.7 }, localSteps: 2, stepSize: 0.3, seed: 5, oracle: sampled } as never;
  const a = createRun(problem, cfg);
  a.runFor(2);
  const b = restoreRun(problem, JSON.parse(JSON.stringify(a.state)));
  a.runFor(2);
  b.runFor(2);
  assert.deepStrictEqual(b.personal?.map((v) => Array.from(v)), a.personal?.map((v) => Array.from(v)));
  assert.deepStrictEqual(Array.from(b.thetaBar), Array.from(a.thetaBar));
});

test('bad personalization is refused naming the field', () => {
  assert.throws(() => createRun(problem, { algorithm: 'ditto', stepSize: 0.1, seed: 1, personalization: { lambda: -1 } } as never), (e: Error) => e instanceof ValidationError && /personalization\.lambda/.test(e.message));
  assert.throws(() => createRun(problem, { algorithm: 'ditto', stepSize: 0.1, seed: 1, personalization: { lamda: 1 } } as never), (e: Error) => e instanceof ValidationError && /lambda/.test(e.message));
});
