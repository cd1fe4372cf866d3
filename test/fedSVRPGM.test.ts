import assert from 'node:assert/strict';
import { test } from 'node:test';
import { agentMDP, createProblem, createRng, createRun, garnet, importanceWeightedGradients, restoreRun, ValidationError } from '../src/index';

// A bandit as an MDP: S = 1, A = 2, the state loops on itself, γ = 1/2, so J_i(θ) = (1/(1−γ)) π·r_i = 2 π·r_i
// and ∇J_i(θ)_a = 2 π_a (r_i(a) − π·r_i) (policy-gradient theorem with d_ρ = 1). Agent 0 likes action 0
// (r_0 = (1, 0)), agent 1 likes action 1 twice as much (r_1 = (0, 2)). With π_0 = σ(θ_0 − θ_1), π_1 = 1 − π_0:
//   ∇J_0(θ) = 2 π_0 π_1 (1, −1),   ∇J_1(θ) = 4 π_0 π_1 (−1, 1).
const bandit = createProblem({ S: 1, A: 2, gamma: 0.5, rho: [1], transitions: { dense: [1, 1] }, rewards: [[1, 0], [0, 2]] });
const sigma = (x: number) => 1 / (1 + Math.exp(-x));
/** ∇J_i(θ) of the bandit, written from the formula above (independent of the package's estimators). */
function banditGradient(i: number, theta: readonly number[]): number[] {
  const p0 = sigma(theta[0] - theta[1]);
  const c = (i === 0 ? 2 : -4) * p0 * (1 - p0);
  return [c, -c];
}

/**
 * Wang et al. 2024, Algorithm 1, with exact gradients (w = 1), written out directly:
 *   u_{i,k} = β ∇J_i(θ_{i,k}) + (1−β)(ū_r + ∇J_i(θ_{i,k}) − ∇J_i(θ̄_{r−1})),  θ_{i,k+1} = θ_{i,k} + η u_{i,k},
 *   ū_{r+1} = (1/(ηNH)) Σ_i (θ_{i,H} − θ̄_r),  θ̄_{r+1} = θ̄_r + ηH ū_{r+1};  ū_0 = ∇J(θ̄⁰), θ̄_{−1} = θ̄⁰.
 */
function paperRounds(rounds: number, eta: number, H: number, beta: number): number[][] {
  let thetaBar = [0, 0];
  let previous = [0, 0];
  const g0 = [banditGradient(0, thetaBar), banditGradient(1, thetaBar)];
  let u = [(g0[0][0] + g0[1][0]) / 2, (g0[0][1] + g0[1][1]) / 2];
  const out: number[][] = [];
  for (let r = 0; r < rounds; r++) {
    const ends = [0, 1].map((i) => {
      const theta = [...thetaBar];
      const gPrev = banditGradient(i, previous);
      for (let k = 0; k < H; k++) {
        const g = banditGradient(i, theta);
        const step = [0, 1].map((a) => beta * g[a] + (1 - beta) * (u[a] + g[a] - gPrev[a]));
        theta[0] += eta * step[0];
        theta[1] += eta * step[1];
      }
      return theta;
    });
    const moved = [0, 1].map((a) => (ends[0][a] + ends[1][a]) / 2 - thetaBar[a]);
    u = moved.map((m) => m / (eta * H));
    previous = thetaBar;
    thetaBar = thetaBar.map((x, a) => x + eta * H * u[a]);
    out.push([...thetaBar]);
  }
  return out;
}

test('one round by hand (bandit, exact gradients, η = 1, H = 2, β = 1/2): the paper’s recursion, number by number', () => {
  // θ̄⁰ = 0: π = (1/2, 1/2), π_0 π_1 = 1/4, so ∇J_0(0) = (1/2, −1/2), ∇J_1(0) = (−1, 1), and the large-batch
  // momentum is ū_0 = ∇J(0) = (−1/4, 1/4). Round 1 has θ̄_{−1} = θ̄⁰, so at k = 0 the correction cancels:
  //   agent 0, k = 0: u = ½(½, −½) + ½ ū_0 = (1/8, −1/8);          θ_{0,1} = (1/8, −1/8), θ_0 − θ_1 = 1/4;
  //   agent 0, k = 1: u = ∇J_0(θ_{0,1}) + ½(ū_0 − ∇J_0(0)) = 2σ(¼)σ(−¼)(1, −1) + (−3/8, 3/8);
  //   agent 1, k = 0: u = ½(−1, 1) + ½ ū_0 = (−5/8, 5/8);          θ_{1,1} = (−5/8, 5/8), θ_0 − θ_1 = −5/4;
  //   agent 1, k = 1: u = ∇J_1(θ_{1,1}) + ½(ū_0 − ∇J_1(0)) = 4σ(−5/4)σ(5/4)(−1, 1) + (3/8, −3/8).
  // σ(¼)σ(−¼) = 0.24613408…, σ(5/4)σ(−5/4) = 0.17310479…, so
  //   θ_{0,2} = (1/8 + 0.49226817 − 3/8)(1, −1) = 0.24226817 (1, −1),
  //   θ_{1,2} = (−5/8 − 0.69241915 + 3/8)(1, −1) = −0.94241915 (1, −1),
  //   θ̄¹ = mean = −0.35007549 (1, −1),  ū_1 = θ̄¹ / (ηH) = −0.17503775 (1, −1).
  const a0 = 0.125 + 2 * sigma(0.25) * sigma(-0.25) - 0.375;
  const a1 = -0.625 - 4 * sigma(1.25) * sigma(-1.25) + 0.375;
  assert.ok(Math.abs(a0 - 0.24226817) < 1e-8 && Math.abs(a1 + 0.94241915) < 1e-8, `hand values ${a0}, ${a1}`);
  const run = createRun(bandit, { algorithm: 'fedsvrpg-m', beta: 0.5, localSteps: 2, stepSize: 1, oracle: { kind: 'exact' }, seed: 1, detail: 'agents' });
  const trace = run.step();
  const thetaLocal = trace.thetaLocal as Float64Array[];
  const close = (x: ArrayLike<number>, y: number[]) => Math.max(...y.map((v, k) => Math.abs(x[k] - v)));
  assert.ok(close(thetaLocal[0], [a0, -a0]) < 1e-14, `θ_{0,2} = ${thetaLocal[0]}`);
  assert.ok(close(thetaLocal[1], [a1, -a1]) < 1e-14, `θ_{1,2} = ${thetaLocal[1]}`);
  assert.ok(close(run.thetaBar, [(a0 + a1) / 2, -(a0 + a1) / 2]) < 1e-14, `θ̄¹ = ${run.thetaBar}`);
  const state = run.state.algorithmState as { momentum: { $f64: number[] }; thetaPrevious: { $f64: number[] } };
  assert.ok(close(state.momentum.$f64, [(a0 + a1) / 4, -(a0 + a1) / 4]) < 1e-14, `ū_1 = ${state.momentum.$f64}`);
  assert.deepEqual(state.thetaPrevious.$f64, [0, 0]);
  // Communication: ū_0 (N up) and one round (θ̄ and ū down, θ_{i,H} up): N + 3N vectors, 1 synchronisation.
  assert.equal(trace.messages, 2 + 6);
  assert.equal(trace.syncs, 1);
});

test('later rounds (θ̄_{r−1} ≠ θ̄_r, ū ≠ ∇J) follow the paper’s recursion written out independently, for several β and H', () => {
  for (const [beta, H, eta] of [
    [0.5, 2, 1],
    [0.1, 3, 0.7],
    [0.9, 4, 0.4],
  ]) {
    const expected = paperRounds(6, eta, H, beta);
    const run = createRun(bandit, { algorithm: 'fedsvrpg-m', beta, localSteps: H, stepSize: eta, oracle: { kind: 'exact' }, seed: 1 });
    expected.forEach((theta, r) => {
      run.step();
      const err = Math.max(...theta.map((x, a) => Math.abs(run.thetaBar[a] - x)));
      assert.ok(err < 1e-13, `β = ${beta}, H = ${H}, round ${r + 1}: |θ̄ − paper| = ${err}`);
    });
  }
});

test('sampled oracle: each local step uses w·ĝ(θ̄_{r−1}) on the trajectories sampled at θ_{i,k} (streams agent:i/step:k)', () => {
  const p = garnet({ states: 4, actions: 3, branching: 2, agents: 2, gamma: 0.8, heterogeneity: 1, seed: 3 });
  const [K, M, H, eta, beta, B] = [5, 3, 2, 0.4, 0.3, 7];
  const config = { algorithm: 'fedsvrpg-m', beta, initialBatch: B, localSteps: H, stepSize: eta, entropy: 0.05, oracle: { kind: 'sampled', horizon: K, batch: M }, seed: 'svrpgm' } as const;
  const run = createRun(p, config);
  run.runFor(2);
  const after1 = JSON.parse(JSON.stringify(run.state));
  const st = after1.algorithmState as { thetaBar: { $f64: number[] }; thetaPrevious: { $f64: number[] }; momentum: { $f64: number[] } };
  run.step();
  // Round 3 (t = 2) rebuilt from the estimator on the documented streams seed/run/round:2/agent:i/step:k.
  const thetaBar = Float64Array.from(st.thetaBar.$f64);
  const previous = Float64Array.from(st.thetaPrevious.$f64);
  const u = st.momentum.$f64;
  const round = createRng('svrpgm').fold('run').fold('round:2');
  const ends = [0, 1].map((i) => {
    const theta = Float64Array.from(thetaBar);
    for (let k = 0; k < H; k++) {
      const w = importanceWeightedGradients(agentMDP(p, i), theta, previous, { horizon: K, batch: M, entropy: 0.05 }, round.fold(`agent:${i}`).fold(`step:${k}`));
      for (let q = 0; q < theta.length; q++) theta[q] += eta * (beta * w.grad[q] + (1 - beta) * (u[q] + w.grad[q] - w.weightedPrevious[q]));
    }
    return theta;
  });
  const err = Math.max(...Array.from(run.thetaBar, (x, q) => Math.abs(x - (thetaBar[q] + ((ends[0][q] - thetaBar[q]) + (ends[1][q] - thetaBar[q])) / 2))));
  assert.ok(err < 1e-13, `|θ̄³ − rebuilt| = ${err}`);
  // Environment steps: N·B·K for ū_0 in round 1, then N·H·M·K per round.
  assert.deepEqual(run.history.map((r) => r.envSteps), [0, 2 * B * K + 2 * H * M * K, 2 * B * K + 4 * H * M * K, 2 * B * K + 6 * H * M * K]);
  // Resuming after round 2 continues bit-identically.
  const resumed = restoreRun(p, after1);
  resumed.step();
  assert.deepEqual(Array.from(resumed.thetaBar), Array.from(run.thetaBar));
});

test('β = 1 is FedAvg-PG to the bit (no momentum is drawn), with either oracle', () => {
  const p = garnet({ states: 5, actions: 3, branching: 2, agents: 3, gamma: 0.9, heterogeneity: 1, seed: 2 });
  for (const oracle of [{ kind: 'exact' }, { kind: 'sampled', horizon: 8, batch: 3 }] as const) {
    const base = { localSteps: 3, stepSize: 0.3, entropy: 0.1, oracle, seed: 4 };
    const a = createRun(p, { ...base, algorithm: 'fedsvrpg-m', beta: 1 });
    const b = createRun(p, { ...base, algorithm: 'fedavg-pg' });
    a.runFor(4);
    b.runFor(4);
    assert.deepEqual(Array.from(a.thetaBar), Array.from(b.thetaBar), oracle.kind);
    assert.deepEqual(a.history.map((r) => r.envSteps), b.history.map((r) => r.envSteps));
  }
  assert.throws(() => createRun(p, { algorithm: 'fedsvrpg-m', beta: 0, localSteps: 1, stepSize: 0.1, seed: 1 }), (e: unknown) => e instanceof ValidationError && /^beta must be > 0, got 0/.test((e as Error).message));
  assert.throws(() => createRun(p, { algorithm: 'fedsvrpg-m', initialBatch: 0, localSteps: 1, stepSize: 0.1, seed: 1 }), (e: unknown) => e instanceof ValidationError && /initialBatch/.test((e as Error).message));
});
