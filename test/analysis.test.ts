import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  averageMDP,
  createRng,
  createRun,
  finalRows,
  fitRate,
  garnet,
  gradientDominationRatio,
  plateau,
  rateReport,
  type Row,
  smoothnessBound,
  smoothnessEstimate,
  speedup,
  summarizeSeeds,
  toFrame,
  truncationBias,
  varianceVsBatch,
} from '../src/index';
import { randomTheta } from './helpers';

/** A standard normal draw by Box–Muller from a seeded stream. */
function gauss(rng: ReturnType<typeof createRng>): number {
  return Math.sqrt(-2 * Math.log(1 - rng.double())) * Math.cos(2 * Math.PI * rng.double());
}

/** Synthetic runs y = C·x^b·e^ε, ε ~ N(0, s²), at x = 10..1000, as rows of `seeds` seeds. */
function powerLawRows(b: number, s: number, seed: number, seeds = 1): Row[] {
  const rng = createRng(seed);
  const xs = [10, 20, 40, 80, 160, 320, 640, 1000];
  return Array.from({ length: seeds }, (_, k) => xs.map((x) => ({ job: `j${k}`, seed: k, round: x, gap: 3 * x ** b * Math.exp(s * gauss(rng)) }))).flat();
}

test('fitRate recovers a known power-law exponent within its CI, and the 95% CI covers it ≈ 95% of the time', () => {
  const one = fitRate(powerLawRows(-1, 0.2, 1), { x: 'round', y: 'gap', aggregate: 'none' });
  assert.ok(one.slopeCI[0] <= -1 && -1 <= one.slopeCI[1], `CI [${one.slopeCI}] misses −1`);
  assert.ok(Math.abs(one.slope + 1) < 0.2, `slope ${one.slope}`);
  // Coverage over 400 independent data sets: the count of hits is Binomial(400, 0.95) if the CI is right;
  // 0.95·400 ± 4.5·√(400·0.95·0.05) keeps a correct CI from failing (p < 1e-5) and catches a 90% or 99% one.
  let hits = 0;
  for (let s = 0; s < 400; s++) {
    const f = fitRate(powerLawRows(-0.5, 0.3, 1000 + s), { x: 'round', y: 'gap', aggregate: 'none' });
    if (f.slopeCI[0] <= -0.5 && -0.5 <= f.slopeCI[1]) hits++;
  }
  const half = 4.5 * Math.sqrt(400 * 0.95 * 0.05);
  assert.ok(Math.abs(hits - 380) <= half, `coverage ${hits}/400`);
});

test('fitRate: seed means, x ranges, semi-log rates, round-off floors and DataFrames', () => {
  const rows = powerLawRows(-1, 0.1, 7, 5);
  const mean = fitRate(rows, { x: 'round', y: 'gap' });
  assert.equal(mean.n, 8);
  const ranged = fitRate(rows, { x: 'round', y: 'gap', from: 40, to: 640 });
  assert.deepEqual(ranged.points.map((p) => p.x), [40, 80, 160, 320, 640]);
  // y = 2·0.8^x exactly: slope log 0.8, with a zero-width CI; values ≤ 1e-11 are left out.
  const linear = Array.from({ length: 200 }, (_, t) => ({ job: 'a', round: t, gap: t < 100 ? 2 * 0.8 ** t : 1e-15 }));
  const fit = fitRate(linear, { x: 'round', y: 'gap', scale: 'semi-log', above: 1e-11 });
  assert.ok(Math.abs(fit.slope - Math.log(0.8)) < 1e-12);
  assert.equal(fit.dropped, 200 - fit.n);
  assert.ok(fit.points.every((p) => p.y > 1e-11));
  const fromFrame = fitRate(toFrame(rows), { x: 'round', y: 'gap' });
  assert.equal(fromFrame.slope, mean.slope);
  assert.throws(() => fitRate(rows, { x: 'round', y: 'nope' }), /column "nope" is missing/);
  assert.throws(() => fitRate(rows.slice(0, 2), { x: 'round', y: 'gap' }), /needs at least 3 points/);
});

test('summarizeSeeds gives the mean and the Student-t interval per configuration and round', () => {
  const rows: Row[] = [1, 2, 3, 4].map((v, s) => ({ job: `j${s}`, seed: s, config: 0, round: 5, algorithm: 'fast-fedpg', gap: v }));
  const [r] = summarizeSeeds(rows, { values: ['gap'] });
  // mean 2.5, s² = 5/3, se = √(5/12), t_{0.975,3} = 3.182446305284263.
  assert.equal(r.gap_mean, 2.5);
  assert.ok(Math.abs((r.gap_se as number) - Math.sqrt(5 / 12)) < 1e-15);
  assert.ok(Math.abs((r.gap_hi as number) - (2.5 + 3.182446305284263 * Math.sqrt(5 / 12))) < 1e-9);
  assert.equal(r.algorithm, 'fast-fedpg');
  assert.equal(r.n, 4);
  assert.ok(!('seed' in r));
});

test('speedup: values at a fixed T relative to the smallest N, rounds to a target, and the N-exponent', () => {
  // gap = 1/(N·T) exactly: exponent −1, speedup N, rounds to reach 1/400 = 400/N.
  const rows: Row[] = [];
  for (const N of [1, 2, 4, 8]) for (const T of [50, 100, 200, 400]) for (const seed of [0, 1]) rows.push({ job: `${N}-${T}-${seed}`, seed, agents: N, round: T, gap: 1 / (N * T) });
  const sp = speedup(rows, { y: 'gap', target: 1 / 400 });
  assert.equal(sp.at, 400);
  assert.deepEqual(sp.rows.map((r) => r.speedup), [1, 2, 4, 8]);
  assert.deepEqual(sp.rows.map((r) => r.toTarget), [400, 200, 100, 50]);
  assert.ok(Math.abs((sp.exponent?.exponent as number) + 1) < 1e-12);
  assert.ok(Math.abs((sp.exponentToTarget?.exponent as number) + 1) < 1e-12);
});

test('plateau averages the last fraction of each run and reports a CI across seeds', () => {
  const rows: Row[] = [];
  for (const seed of [0, 1, 2]) for (let t = 0; t <= 100; t += 10) rows.push({ job: `j${seed}`, seed, config: 0, round: t, algorithm: 'fedavg-pg', gap: t >= 80 ? 0.1 * (seed + 1) : 1 });
  const [p] = plateau(rows, { lastFraction: 0.2 });
  assert.ok(Math.abs((p.plateau_mean as number) - 0.2) < 1e-15);
  assert.equal(p.n, 3);
  assert.equal(p.algorithm, 'fedavg-pg');
  assert.ok((p.plateau_lo as number) < 0.2 && 0.2 < (p.plateau_hi as number));
});

test('rateReport fits the slope in T per N and the exponent of N on final rows', () => {
  const rows: Row[] = [];
  for (const N of [1, 2, 4, 8]) {
    for (const T of [25, 50, 100, 200]) {
      for (const seed of [0, 1]) {
        // A trajectory per run: only its last row (round = T) enters; earlier rows are decoys.
        rows.push({ job: `${N}-${T}-${seed}`, seed, agents: N, rounds: T, round: 0, oracle: 'sampled', gap: 99 });
        rows.push({ job: `${N}-${T}-${seed}`, seed, agents: N, rounds: T, round: T, oracle: 'sampled', gap: 5 / (N * T) });
      }
    }
  }
  assert.equal(finalRows(rows).length, 32);
  const rep = rateReport(rows, { y: 'gap' });
  for (const s of rep.slopes) assert.ok(Math.abs((s.slope as number) + 1) < 1e-12);
  assert.ok(Math.abs((rep.speedups[0].exponent as number) + 1) < 1e-12);
  assert.ok(Math.abs((rep.speedups[0].exponentFrom as number) + 1) < 1e-12);
});

test('assumption checks: smoothness below the bound, variance ∝ 1/M, truncation bias ∝ γ^K, PL ratio', () => {
  const problem = garnet({ states: 8, actions: 3, branching: 3, agents: 2, gamma: 0.8, heterogeneity: 0.5, seed: 4 });
  const mdp = averageMDP(problem);
  const thetas = [0, 1, 2].map((s) => randomTheta(24, s, 1));
  const L = smoothnessEstimate(mdp, thetas, { iterations: 10 }, createRng(1));
  assert.ok(L.estimate > 0 && L.estimate <= L.bound, `L̂ ${L.estimate} vs bound ${L.bound}`);
  assert.equal(L.bound, smoothnessBound(mdp));

  // E‖ĝ_M − ∇J_K‖² = tr(Σ₁)/M: the log–log slope is −1 up to noise (50 repeats per M).
  const v = varianceVsBatch(mdp, thetas[0], { horizon: 20, batches: [2, 8, 32, 128], repeats: 60 }, createRng(2));
  assert.ok(v.slopeCI[0] <= -1 && -1 <= v.slopeCI[1], `slope ${v.slope} CI ${v.slopeCI}`);
  for (const r of v.rows) {
    // A mean of 60 squared norms: within 5 of its standard errors of the prediction, plus 10% because the
    // prediction's tr(Σ₁) is itself a sample estimate (60 batches of 128 trajectories).
    assert.ok(Math.abs(r.meanSqError - r.predicted) < 5 * r.se + 0.1 * r.predicted, `M=${r.batch}: ${r.meanSqError} vs ${r.predicted} ± ${r.se}`);
  }

  const tb = truncationBias(mdp, thetas[1], { horizons: [5, 10, 20, 30, 40] });
  assert.ok(tb.rows.every((r, i) => i === 0 || r.bias < tb.rows[i - 1].bias));
  assert.ok(Math.abs(tb.rate - tb.logGamma) < 0.05, `rate ${tb.rate} vs log γ ${tb.logGamma}`);

  const run = createRun(problem, { algorithm: 'fast-fedpg', localSteps: 2, stepSize: 1, oracle: { kind: 'exact' }, entropy: 1, seed: 0 });
  run.runFor(5);
  const pl = gradientDominationRatio(run.history.map((h) => ({ round: h.round, gap: h.gap, gradNorm: h.gradNorm })));
  for (const r of pl) if (Number.isFinite(r.mu as number)) assert.ok(Math.abs((r.mu as number) * 2 * (r.ratio as number) - 1) < 1e-12);
  assert.ok(pl.every((r) => !Number.isFinite(r.mu as number) || (r.mu as number) > 0));
});

test('summarizeSeeds and plateau in log space: geometric means with positive intervals', () => {
  const rows: Row[] = [1e-2, 1e-4].map((gap, seed) => ({ job: `j${seed}`, seed, config: 0, round: 1, gap }));
  const [r] = summarizeSeeds(rows, { values: ['gap'], log: true });
  assert.ok(Math.abs((r.gap_mean as number) - 1e-3) < 1e-18);
  // log10 values −2, −4: mean −3, se 1, t_{0.975,1} = 12.706…: the interval is 10^(−3 ± 12.7), positive.
  assert.ok((r.gap_lo as number) > 0 && (r.gap_lo as number) < 1e-15 && (r.gap_hi as number) > 1e9);
  const [p] = plateau(rows, { log: true });
  assert.ok(Math.abs((p.plateau_mean as number) - 1e-3) < 1e-18);
  const [floored] = summarizeSeeds([{ job: 'a', seed: 0, config: 0, round: 1, gap: -3e-15 }], { values: ['gap'], log: true });
  assert.equal(floored.gap_mean, 1e-16);
});
