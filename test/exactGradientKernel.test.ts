import assert from 'node:assert/strict';
import { test } from 'node:test';
import { agentMDP, averageMDP, createRng, evaluatePolicy, garnet } from '../src/index';
import { createMetrics, createPolicyFactor, createRunFactor, factorGradient, preparePolicyFactor, softmaxLogRows } from '../src/internals';

// The exact oracle's tables come from its WebAssembly kernels (estimators/exactGradient.wat, core/lu.wat);
// they must be the TypeScript path's numbers to the bit. test/exactOracle.test.ts checks the gradients
// against exactGradient; this file checks the intermediate tables and the metrics that share the factor.
function sameBits(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let k = 0; k < expected.length; k++) {
    if (!Object.is(actual[k], expected[k])) assert.fail(`${what}: entry ${k} is ${actual[k]}, expected ${expected[k]}`);
  }
}

test('the factor\'s π, log π, d_ρ and V equal softmaxLogRows and evaluatePolicy bit for bit, also for rows with ±700 spreads', () => {
  const problem = garnet({ states: 30, actions: 5, branching: 4, agents: 3, gamma: 0.95, heterogeneity: 1, seed: 8 });
  const { S, A } = problem;
  const rng = createRng('factor-tables');
  const factor = createPolicyFactor(agentMDP(problem, 0));
  assert.ok(factor.kind === 'dense' && factor.workspace && factor.kernel, 'the factor is dense (S ≤ DENSE_SOLVE_LIMIT) and runs in WebAssembly');
  for (const spread of [1, 10, 1400]) {
    const theta = Float64Array.from({ length: S * A }, () => (rng.double() - 0.5) * spread);
    preparePolicyFactor(factor, theta);
    const pi = new Float64Array(S * A);
    const logPi = new Float64Array(S * A);
    softmaxLogRows(theta, S, A, pi, logPi);
    sameBits(factor.pi, pi, `π, spread ${spread}`);
    sameBits(factor.logPi, logPi, `log π, spread ${spread}`);
    for (let i = 0; i < problem.rewards.length; i++) {
      const ev = evaluatePolicy(agentMDP(problem, i), theta, { entropy: 0.2 });
      sameBits(factor.occupancy, ev.occupancy, `d_ρ, spread ${spread}`);
      const grad = new Float64Array(S * A);
      assert.ok(Object.is(factorGradient(factor, agentMDP(problem, i), 0.2, grad), ev.J), `J of agent ${i}, spread ${spread}`);
      sameBits(factor.value, ev.V, `V of agent ${i}, spread ${spread}`);
    }
  }
});

test('metrics through the run\'s factor equal evaluatePolicy\'s J, ‖∇J‖ and J_i bit for bit (θ̄ and personal θ_i)', () => {
  const problem = garnet({ states: 12, actions: 3, branching: 3, agents: 4, gamma: 0.9, heterogeneity: 0.7, seed: 2 });
  const d = problem.S * problem.A;
  const rng = createRng('factor-metrics');
  for (const personal of [false, true]) {
    const withFactor = createMetrics(problem, 0.1, personal, createRunFactor(problem));
    const plain = createMetrics(problem, 0.1, personal, null);
    for (let t = 0; t < 3; t++) {
      const thetaBar = Float64Array.from({ length: d }, () => rng.double() * 4 - 2);
      const own = problem.rewards.map(() => Float64Array.from({ length: d }, () => rng.double() * 4 - 2));
      const a = withFactor.evaluate(thetaBar, own);
      const b = plain.evaluate(thetaBar, own);
      assert.ok(Object.is(a.J, b.J) && Object.is(a.gap, b.gap) && Object.is(a.gradNorm, b.gradNorm), `personal ${personal}, θ̄ #${t}`);
      sameBits(a.agentJ, b.agentJ, `J_i, personal ${personal}`);
      if (a.agentGap && b.agentGap) sameBits(a.agentGap, b.agentGap, `personal gaps`);
      // The plain evaluator is evaluatePolicy itself (the reference).
      assert.ok(Object.is(b.J, evaluatePolicy(averageMDP(problem), thetaBar, { entropy: 0.1 }).J));
      const summary = withFactor.evaluate(thetaBar, own, false);
      assert.ok(Object.is(summary.J, b.J) && summary.agentJ.every(Number.isNaN));
    }
  }
});
