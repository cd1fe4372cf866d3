import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRng, fitRate, normalQuantile, stepSizeAt } from '../src/index';
import { bootstrapUnits, claimPower, detectPlateau, excessOverControl, fitPerUnit, fixedPointLevels, judgeClaim, predictedSlope, type Row } from '../src/analysis';

/** A standard normal draw by Box–Muller from a seeded stream. */
function gauss(rng: ReturnType<typeof createRng>): number {
  return Math.sqrt(-2 * Math.log(1 - rng.double())) * Math.cos(2 * Math.PI * rng.double());
}

const Ts = [25, 50, 100, 200, 400, 800];

/**
 * Rows of a rate experiment: unit u has its own exponent b_u = b + σ_b·z_u (seed-to-seed variance of the
 * slope) and its own level a_u = σ_a·z'_u, and ln y_{u,T} = a_u + b_u ln T + σ_e·e_{u,T}.
 */
function rateRows(rng: ReturnType<typeof createRng>, b: number, units: number, sigmaB: number, sigmaA: number, sigmaE: number): Row[] {
  const rows: Row[] = [];
  for (let u = 0; u < units; u++) {
    const bu = b + sigmaB * gauss(rng);
    const au = sigmaA * gauss(rng);
    for (const T of Ts) rows.push({ job: `${u}-${T}`, seed: u, round: T, gap: Math.exp(au + bu * Math.log(T) + sigmaE * gauss(rng)) });
  }
  return rows;
}

test('fitPerUnit: the interval over units covers a known exponent at its level when slopes vary by seed; OLS on seed means does not', () => {
  // 1000 data sets of 6 units, true exponent −1, slope spread σ_b = 0.08 between units, small within-unit
  // noise. The per-unit interval's hits ~ Binomial(1000, 0.95) when it is right (±4.5 sd = ±31); the OLS
  // interval on the 6 seed means has residual df 4 and ignores the units' own slopes: it must miss far more.
  const rng = createRng('unit-coverage');
  let perUnitHits = 0;
  let pooledHits = 0;
  for (let k = 0; k < 1000; k++) {
    const rows = rateRows(rng, -1, 6, 0.08, 0.5, 0.02);
    const f = fitPerUnit(rows, { x: 'round', y: 'gap' });
    if (f.lo <= -1 && -1 <= f.hi) perUnitHits++;
    const pooled = fitRate(rows, { x: 'round', y: 'gap', mean: 'geometric', plateau: 'keep' });
    if (pooled.slopeCI[0] <= -1 && -1 <= pooled.slopeCI[1]) pooledHits++;
  }
  assert.ok(Math.abs(perUnitHits - 950) <= 4.5 * Math.sqrt(1000 * 0.95 * 0.05), `per-unit coverage ${perUnitHits}/1000`);
  assert.ok(pooledHits < 800, `OLS on seed means covered ${pooledHits}/1000: the test no longer shows the wrong unit`);
});

test('fitPerUnit: per-unit slopes by hand, the statistic names unit, count and method, units with too few points are listed', () => {
  // Unit 0: y = T^−1 exactly; unit 1: y = 2·T^−0.5; unit 2 has only two positive points.
  const rows: Row[] = [
    ...Ts.map((T) => ({ seed: 0, round: T, gap: 1 / T })),
    ...Ts.map((T) => ({ seed: 1, round: T, gap: 2 / Math.sqrt(T) })),
    ...Ts.map((T, i) => ({ seed: 2, round: T, gap: i < 2 ? 1 / T : 0 })),
  ];
  const f = fitPerUnit(rows, { x: 'round', y: 'gap' });
  assert.deepEqual(f.perUnit.map((p) => p.unit), [0, 1]);
  assert.ok(Math.abs(f.perUnit[0].slope + 1) < 1e-12 && Math.abs(f.perUnit[1].slope + 0.5) < 1e-12);
  assert.ok(Math.abs(f.slope + 0.75) < 1e-12);
  // se = |−1 − (−0.5)|/2 = 0.25 (sd of two values /√2), t_{0.975,1} = 12.706204736174707.
  assert.ok(Math.abs(f.se - 0.25) < 1e-12);
  assert.ok(Math.abs(f.hi - (-0.75 + 12.706204736174707 * 0.25)) < 1e-9);
  assert.equal(f.units, 2);
  assert.deepEqual(f.excluded.map((e) => e.unit), [2]);
  assert.equal(f.statistic, 'mean of per-seed log–log OLS slopes over 2 seeds, 95% t-interval (1 df)');
  // Two-stage: seeds 0 and 1 on problem 7, a third seed on problem 8 → the interval is over 2 problems.
  const g = fitPerUnit([...rows.filter((r) => r.seed !== 2).map((r) => ({ ...r, problemSeed: 7 })), ...Ts.map((T) => ({ seed: 3, problemSeed: 8, round: T, gap: 1 / (T * T) }))], { x: 'round', y: 'gap', group: 'problemSeed' });
  assert.equal(g.units, 2);
  assert.ok(Math.abs(g.slope - (-0.75 - 2) / 2) < 1e-12);
  assert.match(g.statistic, /averaged within each problemSeed over 2 problemSeeds/);
});

test('judgeClaim: supported only when the interval lies inside the region, contradicted when outside, otherwise unresolved', () => {
  const ev = (estimate: number, lo: number, hi: number) => ({ estimate, lo, hi, level: 0.9, se: (hi - lo) / 3.29, df: Infinity, statistic: 's' });
  const slope = { kind: 'equivalence', value: -1, margin: 0.1 } as const;
  assert.equal(judgeClaim(slope, ev(-0.98, -1.05, -0.91)).verdict, 'supported');
  assert.equal(judgeClaim(slope, ev(-0.85, -0.88, -0.82)).verdict, 'contradicted');
  assert.equal(judgeClaim(slope, ev(-0.93, -0.97, -0.87)).verdict, 'unresolved');
  // A wider interval around the same estimate (fewer units) never passes: it is at best unresolved.
  assert.equal(judgeClaim(slope, ev(-0.98, -1.4, -0.6)).verdict, 'unresolved');
  assert.equal(judgeClaim(slope, ev(-0.98, NaN, NaN)).verdict, 'unresolved');
  const effect = { kind: 'above', value: 1e-3 } as const;
  assert.equal(judgeClaim(effect, ev(0.05, 0.02, 0.08)).verdict, 'supported');
  assert.equal(judgeClaim(effect, ev(1e-4, 5e-5, 2e-4)).verdict, 'contradicted');
  assert.equal(judgeClaim(effect, ev(0.05, -0.02, 0.12)).verdict, 'unresolved');
  // An exact check (no interval width): "error below 1e-12".
  const exact = (x: number) => ({ estimate: x, lo: x, hi: x, level: 0.9, se: 0, df: Infinity, statistic: 'max over problems' });
  assert.equal(judgeClaim({ kind: 'below', value: 1e-12 }, exact(3e-15)).verdict, 'supported');
  assert.equal(judgeClaim({ kind: 'below', value: 1e-12 }, exact(3e-9)).verdict, 'contradicted');
  assert.throws(() => judgeClaim({ kind: 'equivalence', value: -1, margin: 0 }, ev(-1, -1.1, -0.9)), /test\.margin/);
});

test('judgeClaim end to end: data with slope −0.8 contradict "slope −1 ± 0.1", data with slope −1 support it, 3 units leave it unresolved', () => {
  const rng = createRng('claim-e2e');
  const verdict = (b: number, units: number) => {
    const f = fitPerUnit(rateRows(rng, b, units, 0.03, 0.5, 0.02), { x: 'round', y: 'gap', level: 0.9 });
    return judgeClaim({ kind: 'equivalence', value: -1, margin: 0.1 }, { estimate: f.slope, lo: f.lo, hi: f.hi, level: 0.9, se: f.se, df: f.df, statistic: f.statistic }).verdict;
  };
  assert.equal(verdict(-0.8, 12), 'contradicted');
  assert.equal(verdict(-1, 12), 'supported');
  const wide = fitPerUnit(rateRows(createRng('few'), -1, 3, 0.2, 0.5, 0.02), { x: 'round', y: 'gap', level: 0.9 });
  assert.equal(judgeClaim({ kind: 'equivalence', value: -1, margin: 0.1 }, { estimate: wide.slope, lo: wide.lo, hi: wide.hi, level: 0.9, se: wide.se, df: wide.df, statistic: '' }).verdict, 'unresolved');
});

test('claimPower: the closed form with a known normal error, and the frequency of "supported" in simulation', () => {
  // df = ∞: power = Φ(m/se − z) − Φ(−m/se + z) = 2Φ(m/se − z) − 1 with z = Φ⁻¹(0.95).
  const z = normalQuantile(0.95);
  const Phi = (x: number) => 0.5 * (1 + erf(x / Math.SQRT2));
  for (const ratio of [2, 3, 4]) {
    const p = claimPower({ kind: 'equivalence', value: 0, margin: ratio }, { se: 1, df: Infinity, level: 0.9 }, 0);
    assert.ok(Math.abs(p - Math.max(0, 2 * Phi(ratio - z) - 1)) < 1e-6, `m/se = ${ratio}: ${p}`);
  }
  // Simulated: estimates ~ N(0, 1), interval est ± z: supported when it lies inside [−3, 3].
  const rng = createRng('power-sim');
  let supported = 0;
  for (let k = 0; k < 4000; k++) {
    const e = gauss(rng);
    if (judgeClaim({ kind: 'equivalence', value: 0, margin: 3 }, { estimate: e, lo: e - z, hi: e + z, level: 0.9, se: 1, df: Infinity, statistic: '' }).verdict === 'supported') supported++;
  }
  const p = claimPower({ kind: 'equivalence', value: 0, margin: 3 }, { se: 1, df: Infinity, level: 0.9 }, 0);
  assert.ok(Math.abs(supported / 4000 - p) < 4.5 * Math.sqrt((p * (1 - p)) / 4000), `simulated ${supported / 4000} vs ${p}`);
});

/** erf by its Abramowitz–Stegun 7.1.26 form is too coarse here; use the series, which converges for |x| ≤ 4. */
function erf(x: number): number {
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

test('detectPlateau: linear convergence, even with a fast then a slow mode, is not a plateau; b + c·ρᵗ is; a power law is not', () => {
  const ts = Array.from({ length: 40 }, (_, i) => 5 * (i + 1));
  const geometric = ts.map((t) => ({ x: t, y: 0.3 * 0.95 ** t }));
  const twoModes = ts.map((t) => ({ x: t, y: 0.5 * 0.6 ** t + 1e-3 * 0.99 ** t }));
  const plateau = ts.map((t) => ({ x: t, y: 2e-2 + 0.5 * 0.8 ** t }));
  const power = ts.map((t) => ({ x: t, y: 3 / t }));
  for (const scale of ['semi-log', 'log-log'] as const) {
    assert.equal(detectPlateau(geometric, { scale }).detected, false, `geometric, ${scale}`);
    assert.equal(detectPlateau(twoModes, { scale }).detected, false, `two modes, ${scale}: ${detectPlateau(twoModes, { scale }).reason}`);
    assert.equal(detectPlateau(plateau, { scale }).detected, true, `plateau, ${scale}`);
    assert.equal(detectPlateau(power, { scale }).detected, false, `power law, ${scale}`);
  }
  // The two-mode curve's tail/head slope ratio is far below 0.25 (what the old rule alone flagged).
  assert.ok(detectPlateau(twoModes, { scale: "semi-log" }).ratio < 0.25);
});

test('bootstrapUnits: reproducible, covers a known mean at about its level, and an undefined statistic widens the interval', () => {
  const x = [0.3, 0.1, 0.5, 0.2];
  const mean = (u: number[]) => u.reduce((s, v) => s + v, 0) / u.length;
  assert.deepEqual(bootstrapUnits(x, mean, { resamples: 500 }), bootstrapUnits(x, mean, { resamples: 500 }));
  const rng = createRng('unit-boot');
  let hits = 0;
  for (let k = 0; k < 400; k++) {
    const b = bootstrapUnits(Array.from({ length: 30 }, () => gauss(rng)), mean, { resamples: 400, seed: k });
    if (b.lo <= 0 && 0 <= b.hi) hits++;
  }
  // n = 30: the percentile interval covers ≈ 94%; ±4.5 sd of Binomial(400, 0.95) is ±20.
  assert.ok(Math.abs(hits - 380) <= 4.5 * Math.sqrt(400 * 0.95 * 0.05), `coverage ${hits}/400`);
  // ln of the mean of values that are often ≤ 0: undefined resamples count as −∞, so the lower end is −∞.
  const logMean = bootstrapUnits([-1, -0.5, 0.2, 0.4, 1.5], (u) => Math.log(mean(u)), { resamples: 1000 });
  assert.equal(logMean.lo, -Infinity);
  assert.ok(logMean.undefinedFraction > 0.025 && Number.isFinite(logMean.hi));
});

test('excessOverControl pairs each run with its control by seed, N and T; a missing control is named', () => {
  const rows: Row[] = [
    { seed: 0, agents: 2, round: 100, oracle: 'sampled', gap: 0.05 },
    { seed: 0, agents: 2, round: 100, oracle: 'exact', gap: 0.01 },
    { seed: 1, agents: 2, round: 100, oracle: 'sampled', gap: 0.04 },
    { seed: 1, agents: 2, round: 100, oracle: 'exact', gap: 0.03 },
  ];
  const ex = excessOverControl(rows, { y: 'gap', match: ['seed', 'agents', 'round'] });
  assert.deepEqual(ex.map((r) => [r.seed, r.gap_control, Number((r.gap_excess as number).toFixed(12))]), [[0, 0.01, 0.04], [1, 0.03, 0.01]]);
  assert.throws(() => excessOverControl(rows.slice(0, 3), { y: 'gap', match: ['seed', 'agents', 'round'] }), /no control row .* = \[1,2,100\]/);
});

test('fixedPointLevels: a run that has reached its level is converged, one still moving is not', () => {
  const run = (job: string, f: (t: number) => number): Row[] => Array.from({ length: 41 }, (_, i) => ({ job, round: 5 * i, gap: f(5 * i) }));
  const [settled, moving] = fixedPointLevels([...run('a', (t) => 0.05 + 0.3 * 0.8 ** t), ...run('b', (t) => 0.05 + 0.3 * 0.99 ** t)]);
  assert.equal(settled.gap_converged, true);
  assert.ok(Math.abs((settled.gap_fixedPoint as number) - 0.05) < 1e-12);
  assert.equal(moving.gap_converged, false);
  assert.ok((moving.gap_change as number) > 0.1);
});

test('predictedSlope: exactly b for x^b; for C/(T + t₀) between −1 and 0, approaching −1 as t₀/T shrinks', () => {
  assert.ok(Math.abs(predictedSlope(Ts, (T) => 3 * T ** -0.5) + 0.5) < 1e-12);
  const s20 = predictedSlope(Ts, (T) => 1 / (T + 20));
  const s5 = predictedSlope(Ts, (T) => 1 / (T + 5));
  assert.ok(-1 < s5 && s5 < s20 && s20 < -0.8, `${s5} ${s20}`);
});

test('planned schedules with forAgents give every N the same η, equal to the N-dependent one at N = forAgents', () => {
  const sqrt = { kind: 'planned-sqrt', rounds: 200, scale: 10, etaMax: 20 } as const;
  const log = { kind: 'planned', rounds: 200, mu: 0.03, etaMax: 5 } as const;
  for (const s of [sqrt, log]) {
    const fixed = { ...s, forAgents: 2 };
    const etas = [1, 2, 4, 16].map((N) => stepSizeAt(fixed, 3, N, 5));
    assert.ok(etas.every((e) => e === etas[0]));
    assert.equal(etas[0], stepSizeAt(s, 3, 2, 5));
    assert.notEqual(stepSizeAt(s, 3, 16, 5), etas[0]);
  }
});
