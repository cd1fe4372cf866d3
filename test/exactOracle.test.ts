import assert from 'node:assert/strict';
import { test } from 'node:test';
import { agentMDP, exactGradient, garnet, gridworld } from '../src/index';
import { createExactGradientOracle, createPolicyFactor } from '../src/estimators/exactOracle';
import { ValidationError } from '../src/core/errors';
import { randomTheta } from './helpers';

// The exact oracle the algorithms use (buffers allocated once, the θ-only work shared by agents with one P)
// must give exactGradient's numbers to the bit: the run results and the trace fixtures depend on it.
function sameBits(a: Float64Array, b: Float64Array, what: string): void {
  assert.equal(a.length, b.length);
  for (let k = 0; k < a.length; k++) if (!Object.is(a[k], b[k])) assert.fail(`${what}: entry ${k} is ${a[k]}, exactGradient gives ${b[k]}`);
}

const problems = [
  { name: 'garnet S=20 A=4, shared P', problem: garnet({ states: 20, actions: 4, branching: 3, agents: 4, gamma: 0.9, heterogeneity: 1, seed: 3 }) },
  { name: 'garnet S=7 A=3, per-agent P', problem: garnet({ states: 7, actions: 3, branching: 2, agents: 3, gamma: 0.8, heterogeneity: 0.5, transitionHeterogeneity: 0.6, seed: 4 }) },
  { name: 'gridworld', problem: gridworld({ width: 4, height: 3, goals: [[0, 3], [2, 0]], slip: 0.1, gamma: 0.95 }) },
];

for (const { name, problem } of problems) {
  for (const entropy of [0, 0.3]) {
    test(`exact oracle equals exactGradient bit for bit, interleaved agents and θ (${name}, τ=${entropy})`, () => {
      const N = problem.rewards.length;
      const d = problem.S * problem.A;
      const factor = createPolicyFactor(agentMDP(problem, 0));
      const oracles = problem.rewards.map((_, i) => createExactGradientOracle(agentMDP(problem, i), entropy, factor));
      // θ̄ for every agent (the anchors), then each agent's own θ, θ̄ again, and θ with rows of extreme
      // entries (π underflows to 0 there, so actions are skipped in P_π).
      const thetaBar = randomTheta(d, `bar-${name}`, 2);
      const extreme = randomTheta(d, `ext-${name}`, 2);
      for (let k = 0; k < d; k += 3) extreme[k] = 800;
      const calls: [number, Float64Array][] = [];
      for (let i = 0; i < N; i++) calls.push([i, thetaBar]);
      for (let i = 0; i < N; i++) calls.push([i, randomTheta(d, `own-${i}-${name}`, 3)], [i, thetaBar], [(i + 1) % N, extreme]);
      const out = new Float64Array(d);
      for (const [i, theta] of calls) {
        oracles[i](theta, out);
        sameBits(out, exactGradient(agentMDP(problem, i), theta, { entropy }), `agent ${i}`);
      }
      // Plain arrays are accepted as exactGradient accepts them.
      oracles[0](Array.from(thetaBar), out);
      sameBits(out, exactGradient(agentMDP(problem, 0), thetaBar, { entropy }), 'plain array θ');
    });
  }
}

test('exact oracle refuses a bad θ by field and index, and the next θ is evaluated afresh', () => {
  const problem = garnet({ states: 6, actions: 2, branching: 2, agents: 2, gamma: 0.9, seed: 5 });
  const oracle = createExactGradientOracle(agentMDP(problem, 0), 0, createPolicyFactor(agentMDP(problem, 0)));
  const out = new Float64Array(12);
  const theta = randomTheta(12, 'ok', 1);
  oracle(theta, out);
  const bad = Float64Array.from(theta);
  bad[5] = NaN;
  assert.throws(() => oracle(bad, out), (e: unknown) => e instanceof ValidationError && e.field === 'theta[5]' && /NaN/.test(e.message));
  assert.throws(() => oracle(new Float64Array(11), out), (e: unknown) => e instanceof ValidationError && e.field === 'theta' && /length 11, expected 12/.test(e.message));
  // After the refusal the factor no longer claims to hold θ: the same θ is recomputed correctly.
  oracle(theta, out);
  sameBits(out, exactGradient(agentMDP(problem, 0), theta), 'after a refused θ');
});
