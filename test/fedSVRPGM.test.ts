import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  agentMDP, createRun, decodeState, encodeState, exactGradient, garnet, importanceWeightedGradients, createRng, restoreRun, truncatedGradient, ValidationError,
} from '../src/index';
import { bonferroniZ, randomTheta, worstZ } from './helpers';

const problem = garnet({ states: 6, actions: 3, branching: 2, agents: 3, gamma: 0.9, heterogeneity: 1, seed: 5 });
const sampled = { kind: 'sampled', horizon: 10, batch: 4 } as const;
const exact = { kind: 'exact' } as const;

function traces(config: Record<string, unknown>, rounds: number) {
  const run = createRun(problem, { localSteps: 3, stepSize: 0.3, seed: 'svrpg', detail: 'full', ...config } as never);
  const out = [];
  for (let t = 0; t < rounds; t++) {
    const tr = run.step();
    out.push({ theta: Array.from(tr.thetaAfter as Float64Array), J: tr.J, envSteps: tr.envSteps, messages: tr.messages, syncs: tr.syncs, drift: tr.driftPerStep?.map((d) => Array.from(d)) });
  }
  return out;
}

test('β = 1 is FedAvg-PG to the bit (sampled oracle: same estimator, same streams)', () => {
  assert.deepStrictEqual(traces({ algorithm: 'fedsvrpg-m', beta: 1, oracle: sampled }, 6), traces({ algorithm: 'fedavg-pg', oracle: sampled }, 6));
  // β defaults to 1.
  assert.deepStrictEqual(traces({ algorithm: 'fedsvrpg-m', oracle: sampled }, 2), traces({ algorithm: 'fedavg-pg', oracle: sampled }, 2));
});

test('exact gradients (w = 1): d_k = ∇J_i(θ_k) for every β, so the run is FedAvg-PG to the bit', () => {
  for (const beta of [0.2, 0.7]) assert.deepStrictEqual(traces({ algorithm: 'fedsvrpg-m', beta, oracle: exact }, 5), traces({ algorithm: 'fedavg-pg', oracle: exact }, 5), `β = ${beta}`);
});

test('exact gradients from a perturbed momentum: e_k = d_k − ∇J_i(θ_k) = (1−β)^{k+1} δ (closed form of the recursion)', () => {
  const beta = 0.4;
  const eta = 0.3;
  const H = 4;
  const run = createRun(problem, { algorithm: 'fedsvrpg-m', beta, localSteps: H, stepSize: eta, oracle: exact, seed: 1 });
  run.step();
  const saved = JSON.parse(JSON.stringify(run.state));
  const st = decodeState(saved.algorithmState) as { thetaBar: Float64Array; momentum: Float64Array[]; previous: Float64Array[] };
  const deltas = st.momentum.map((_, i) => randomTheta(st.thetaBar.length, `delta${i}`, 0.5));
  st.momentum = st.momentum.map((d, i) => d.map((x, k) => x + deltas[i][k]));
  saved.algorithmState = encodeState(st);
  const resumed = restoreRun(problem, saved);
  resumed.step();
  // Independent: θ_{k+1} = θ_k + η (∇J_i(θ_k) + (1−β)^{k+1} δ_i), θ_0 = θ̄, then the plain average.
  const thetaBar = st.thetaBar;
  const next = Float64Array.from(thetaBar);
  problem.rewards.forEach((_, i) => {
    const mdp = agentMDP(problem, i);
    const theta = Float64Array.from(thetaBar);
    for (let k = 0; k < H; k++) {
      const g = exactGradient(mdp, theta);
      const f = (1 - beta) ** (k + 1);
      for (let j = 0; j < theta.length; j++) theta[j] += eta * (g[j] + f * deltas[i][j]);
    }
    for (let j = 0; j < theta.length; j++) next[j] += (theta[j] - thetaBar[j]) / problem.rewards.length;
  });
  let diff = 0;
  resumed.thetaBar.forEach((x, j) => (diff = Math.max(diff, Math.abs(x - next[j]))));
  assert.ok(diff < 1e-13, `max |θ̄ − closed form| = ${diff}`);
});

test('importance weights: w·ĝ(θ′) on trajectories sampled at θ is unbiased for ∇J_K(θ′) (per-coordinate z within a Bonferroni two-sided bound)', () => {
  const mdp = agentMDP(problem, 1);
  const K = 6;
  const M = 20000;
  const theta = randomTheta(problem.S * problem.A, 'is-theta', 1);
  const thetaPrev = theta.map((x, k) => x + 0.3 * Math.sin(k + 1));
  const w = importanceWeightedGradients(mdp, theta, thetaPrev, { horizon: K, batch: M, entropy: 0.05 }, createRng('is').fold('agent:1'));
  const truth = truncatedGradient(mdp, thetaPrev, { horizon: K, entropy: 0.05 }).grad;
  const z = worstZ(w.weightedPrevious, truth, w.varianceWeightedPrevious, M);
  assert.ok(z < bonferroniZ(truth.length), `worst |z| = ${z} ≥ ${bonferroniZ(truth.length)}`);
  // Not a vacuous bound: the standard errors are small next to the gradient.
  let se = 0;
  let scale = 0;
  for (let k = 0; k < truth.length; k++) {
    se = Math.max(se, Math.sqrt(w.varianceWeightedPrevious[k] / M));
    scale = Math.max(scale, Math.abs(truth[k]));
  }
  assert.ok(se < 0.1 * scale, `se ${se} vs max |∇J_K| ${scale}`);
  assert.equal(w.envSteps, M * K);
  // θ′ = θ: every weight is exactly 1 and the two estimates coincide.
  const same = importanceWeightedGradients(mdp, theta, theta, { horizon: K, batch: 50, entropy: 0.05 }, createRng('same'));
  assert.equal(same.meanWeight, 1);
  same.grad.forEach((g, k) => assert.ok(Math.abs(g - same.weightedPrevious[k]) < 1e-12));
});

test('β < 1 with sampled gradients runs, costs FedAvg-PG’s env steps and messages, and resumes bit-identically', () => {
  const base = { algorithm: 'fedsvrpg-m', beta: 0.5, oracle: sampled };
  const a = traces(base, 4);
  const b = traces({ algorithm: 'fedavg-pg', oracle: sampled }, 4);
  assert.deepEqual(a.map((r) => [r.envSteps, r.messages, r.syncs]), b.map((r) => [r.envSteps, r.messages, r.syncs]));
  assert.notDeepEqual(a[3].theta, b[3].theta);
  const part = createRun(problem, { localSteps: 3, stepSize: 0.3, seed: 'svrpg', ...base } as never);
  part.runFor(2);
  const resumed = restoreRun(problem, JSON.parse(JSON.stringify(part.state)));
  resumed.runFor(2);
  assert.deepEqual(Array.from(resumed.thetaBar), a[3].theta);
  assert.throws(() => createRun(problem, { ...base, beta: 0, localSteps: 1, stepSize: 0.1, seed: 1 } as never), (e: unknown) => e instanceof ValidationError && /^beta must be > 0, got 0/.test((e as Error).message));
});
