import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRng, normalQuantile } from '../src/index';
import { atBudget, chanceAgreement, commonBudget, roundCosts, type Row, timeToReach, tuneStepSizes, wilsonInterval } from '../src/analysis';
import { adjustedRandIndex, assignmentAccuracy } from '../src/internals';

test('Wilson interval: its ends solve |p̂ − p| = z√(p(1−p)/n); never of zero width, also at 0 of n and n of n', () => {
  for (const [k, n, level] of [[0, 20, 0.9], [20, 20, 0.9], [7, 20, 0.95], [1, 3, 0.9], [50, 60, 0.99]]) {
    const ci = wilsonInterval(k, n, level);
    const z = normalQuantile((1 + level) / 2);
    const p = k / n;
    for (const end of [ci.lo, ci.hi]) {
      // The score equation, unless the end was clipped to [0, 1] (it is 0 or 1 exactly only when p̂ is).
      if (end > 0 && end < 1) assert.ok(Math.abs(Math.abs(p - end) - z * Math.sqrt((end * (1 - end)) / n)) < 1e-12, `k = ${k}, n = ${n}, end ${end}`);
    }
    assert.ok(ci.hi - ci.lo > 0.01, `k = ${k}, n = ${n}: [${ci.lo}, ${ci.hi}]`);
    assert.ok(ci.lo <= p && p <= ci.hi);
  }
  // 20 of 20 at 90%: the lower end is n/(n + z²) = 20/(20 + 1.6449²) = 0.8808.
  assert.ok(Math.abs(wilsonInterval(20, 20, 0.9).lo - 20 / (20 + normalQuantile(0.95) ** 2)) < 1e-12);
  assert.throws(() => wilsonInterval(21, 20), /successes = 21 is more than n = 20/);
});

test('Wilson interval: exact coverage of a 90% interval for n = 20 (binomial sums) averages 0.90 ± 0.02 over p ∈ [0.05, 0.95] and never falls below 0.8', () => {
  const n = 20;
  const logChoose = (k: number) => { let s = 0; for (let j = 1; j <= k; j++) s += Math.log((n - k + j) / j); return s; };
  const intervals = Array.from({ length: n + 1 }, (_, k) => wilsonInterval(k, n, 0.9));
  const coverage: number[] = [];
  for (let q = 0; q <= 90; q++) {
    const p = 0.05 + q * 0.01;
    let c = 0;
    for (let k = 0; k <= n; k++) if (intervals[k].lo <= p && p <= intervals[k].hi) c += Math.exp(logChoose(k) + k * Math.log(p) + (n - k) * Math.log(1 - p));
    coverage.push(c);
  }
  const mean = coverage.reduce((a, b) => a + b, 0) / coverage.length;
  // Brown, Cai & DasGupta (2001): the Wilson interval's coverage oscillates around the nominal level, close to it on average.
  assert.ok(Math.abs(mean - 0.9) < 0.02, `mean coverage ${mean}`);
  assert.ok(Math.min(...coverage) > 0.8, `min coverage ${Math.min(...coverage)}`);
});

const run = (job: string, steps: number[], gaps: number[]) => steps.map((s, t) => ({ job, round: t, envSteps: s, messages: 10 * t, gap: gaps[t] }));

test('atBudget reads each run at its last recorded row within the budget; commonBudget is the largest budget every run reaches', () => {
  const rows = [...run('a', [0, 2400, 4800, 7200], [1, 0.5, 0.25, 0.1]), ...run('b', [0, 2000, 4000, 6000, 8000], [1, 0.6, 0.4, 0.3, 0.2])];
  assert.equal(commonBudget(rows, 'envSteps'), 7200);
  const at = atBudget(rows, 'envSteps', 7200);
  assert.deepEqual(at.map((r) => [r.job, r.round, r.gap, r.envStepsAtBudget]), [['a', 3, 0.1, 7200], ['b', 3, 0.3, 6000]]);
  assert.throws(() => atBudget(rows, 'envSteps', 1000), /run a has no recorded round with envSteps ≤ 1000/);
});

test('timeToReach: first round with gap ≤ fraction·gap₀, its environment steps and vectors; censored runs say so', () => {
  // a: target 0.1·2 = 0.2, first met at round 2 (0.15); b never gets below 0.1.
  const rows = [...run('a', [0, 10, 20, 30], [2, 0.5, 0.15, 0.1]), ...run('b', [0, 10, 20], [1, 0.9, 0.8])];
  const r = timeToReach(rows, { fraction: 0.1 });
  assert.deepEqual(r.map((x) => [x.job, x.reached, x.roundsToReach, x.envStepsToReach, x.messagesToReach, x.lastRound]), [['a', true, 2, 20, 20, 3], ['b', false, NaN, NaN, NaN, 2]]);
});

test('chanceAgreement: exact expectation over all K^N random picks, by hand for N = 2 and against Monte Carlo for 9 agents in 3 groups', () => {
  // truth [0, 1], K = 2: picks [0,0] and [1,1] have ARI 0 and accuracy 1/2; [0,1] and [1,0] have ARI 1, accuracy 1.
  const two = chanceAgreement([0, 1], 2);
  assert.deepEqual([two.ari, two.accuracy, two.exact, two.assignments], [0.5, 0.75, 0.5, 4]);
  const truth = [0, 1, 2, 0, 1, 2, 0, 1, 2];
  const c = chanceAgreement(truth, 3);
  assert.equal(c.assignments, 19683);
  const rng = createRng('chance');
  let ari = 0;
  let acc = 0;
  const draws = 20000;
  for (let d = 0; d < draws; d++) {
    const pick = truth.map(() => Math.floor(rng.double() * 3));
    ari += adjustedRandIndex(truth, pick);
    acc += assignmentAccuracy(truth, pick);
  }
  // Standard deviations of one draw are below 0.3 (ARI) and 0.15 (accuracy): 4 Monte Carlo standard errors.
  assert.ok(Math.abs(ari / draws - c.ari) < 4 * 0.3 / Math.sqrt(draws), `ARI ${ari / draws} vs ${c.ari}`);
  assert.ok(Math.abs(acc / draws - c.accuracy) < 4 * 0.15 / Math.sqrt(draws), `accuracy ${acc / draws} vs ${c.accuracy}`);
  assert.ok(c.accuracy > 1 / 3 && c.accuracy < 0.7 && Math.abs(c.ari) < 0.05, JSON.stringify(c));
});

test('tuneStepSizes: each η scored by the geometric-mean gap at the common budget; round-off ties go to the larger η; roundCosts reads per-round costs', () => {
  // Two algorithms × two η × two tuning problems; runs record (envSteps, gap) per round.
  const rows: Row[] = [];
  const add = (algorithm: string, eta: number, seed: number, perRound: number, gaps: number[]) =>
    gaps.forEach((gap, t) => rows.push({ job: `${algorithm}-${eta}-${seed}`, algorithm, stepSize: eta, seed, round: t, envSteps: t * perRound, messages: 3 * t, syncs: t, localSteps: 5, gap }));
  add('a', 0.1, 1, 10, [1, 0.5, 0.2, 0.1]);
  add('a', 0.1, 2, 10, [1, 0.5, 0.4, 0.4]);
  add('a', 1, 1, 10, [1, 0.1, 0.1, 0.1]);
  add('a', 1, 2, 10, [1, 0.9, 0.9, 0.9]);
  add('b', 0.1, 1, 15, [1, 1e-13, 1e-14]);
  add('b', 0.1, 2, 15, [1, 1e-15, 1e-16]);
  add('b', 1, 1, 15, [1, 1e-14, 0]);
  add('b', 1, 2, 15, [1, 1e-13, 1e-13]);
  const t = tuneStepSizes(rows, { column: 'envSteps', level: 0.9 });
  // The common budget is 30 steps: a is read at round 3, b at round 2.
  const a = t.find((x) => x.algorithm === 'a')!;
  assert.equal(a.budget, 30);
  assert.ok(Math.abs(a.scores[0].score - Math.sqrt(0.1 * 0.4)) < 1e-15 && Math.abs(a.scores[1].score - Math.sqrt(0.1 * 0.9)) < 1e-15);
  assert.equal(a.argmin, 0.1);
  assert.equal(a.atEdge, true);
  // b: every gap below 1e-12 counts as 1e-12: a tie, broken toward the larger η.
  assert.equal(t.find((x) => x.algorithm === 'b')!.argmin, 1);
  const c = roundCosts(rows);
  assert.deepEqual(c.map((x) => [x.algorithm, x.envStepsPerRound, x.vectorsPerRound, x.syncsPerRound, x.rounds]), [['a', 10, 3, 1, 3], ['b', 15, 3, 1, 2]]);
});
