import assert from 'node:assert/strict';
import { test } from 'node:test';
import { averageMDP, evaluatePolicy, exactGradient, estimateGradient, createRng, garnet, meanCI, normalQuantile, ols, studentTQuantile } from '../src/index';
import { logSumExp, softmaxRows } from '../src/internals';

test('softmax and logsumexp are stable for θ entries of ±1e3', () => {
  const theta = [1000, -1000, 999, 0, -1000, -1000];
  const pi = softmaxRows(theta, 2, 3, new Float64Array(6));
  assert.ok(pi.every(Number.isFinite));
  assert.ok(Math.abs(pi[0] - 1 / (1 + Math.exp(-1))) < 1e-15);
  assert.equal(pi[1], 0);
  assert.ok(Math.abs(logSumExp([1000, 1000]) - (1000 + Math.LN2)) < 1e-12);
  assert.equal(logSumExp([-1000, -1000, -1000]), -1000 + Math.log(3));
  const mdp = averageMDP(garnet({ states: 2, actions: 3, branching: 2, agents: 2, gamma: 0.9, heterogeneity: 1, seed: 1 }));
  for (const entropy of [0, 0.5]) {
    const ev = evaluatePolicy(mdp, theta, { entropy });
    assert.ok(Number.isFinite(ev.J) && ev.V.every(Number.isFinite));
    assert.ok(exactGradient(mdp, theta, { entropy }).every(Number.isFinite));
    assert.ok(estimateGradient(mdp, theta, { horizon: 5, batch: 5, entropy }, createRng(1)).grad.every(Number.isFinite));
  }
});

test('Student-t and normal quantiles match tabulated values', () => {
  // Tables: t_{0.975,1} = 12.7062, t_{0.975,5} = 2.5706, t_{0.975,10} = 2.2281, t_{0.975,30} = 2.0423; z_{0.975} = 1.959964.
  for (const [nu, want] of [[1, 12.7062], [5, 2.5706], [10, 2.2281], [30, 2.0423]]) {
    assert.ok(Math.abs(studentTQuantile(0.975, nu) - want) < 1e-4, `t(${nu}) = ${studentTQuantile(0.975, nu)}`);
  }
  assert.ok(Math.abs(normalQuantile(0.975) - 1.959963984540054) < 1e-12);
  assert.ok(Math.abs(normalQuantile(1e-6) + 4.753424308822899) < 1e-9);
});

test('meanCI of a hand-computed sample', () => {
  // x = 1..5: mean 3, s² = 2.5, se = √0.5, half-width t_{0.975,4}·se = 2.7764·0.7071 = 1.9632.
  const ci = meanCI([1, 2, 3, 4, 5]);
  assert.equal(ci.mean, 3);
  assert.ok(Math.abs(ci.se - Math.sqrt(0.5)) < 1e-15);
  assert.ok(Math.abs(ci.hi - 3 - 2.776445105 * Math.sqrt(0.5)) < 1e-6);
});

test('OLS recovers a known slope within its 95% CI on noisy data, and exactly on exact data', () => {
  const exact = ols([0, 1, 2, 3], [1, 3, 5, 7]);
  assert.ok(Math.abs(exact.slope - 2) < 1e-14 && Math.abs(exact.intercept - 1) < 1e-14);
  const rng = createRng('ols');
  let covered = 0;
  const trials = 10_000;
  for (let trial = 0; trial < trials; trial++) {
    // 10 points (8 degrees of freedom, where Student's t and the normal quantile differ by 18%).
    const x = Array.from({ length: 10 }, (_, i) => i / 4);
    // Gaussian noise by Box–Muller, sd 0.5.
    const y = x.map((v) => -1.3 * v + 0.7 + 0.5 * Math.sqrt(-2 * Math.log(1 - rng.double())) * Math.cos(2 * Math.PI * rng.double()));
    const fit = ols(x, y);
    if (fit.slopeCI[0] <= -1.3 && -1.3 <= fit.slopeCI[1]) covered++;
  }
  // With an exact 95% interval, covered ~ Binomial(10⁴, 0.95): mean 9500, sd 21.8. Two-sided at 4.5 sd
  // (± 98): a normal quantile in place of t (coverage 91.4%, −360) or a 99% interval (+400) fails.
  const sd = Math.sqrt(trials * 0.95 * 0.05);
  assert.ok(Math.abs(covered - 0.95 * trials) <= 4.5 * sd, `coverage ${covered}/${trials}, expected ${0.95 * trials} ± ${(4.5 * sd).toFixed(0)}`);
});
