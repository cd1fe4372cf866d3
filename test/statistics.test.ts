import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRng, fitRate } from '../src/index';
import { formatNumber, powerLaw } from '../src/plot';
import { bootstrapMeanCI, describeStatistic, detectPlateau, logMeanCI, pairedComparison, PlateauError, type Row } from '../src/analysis';

/** A standard normal draw by Box–Muller from a seeded stream. */
function gauss(rng: ReturnType<typeof createRng>): number {
  return Math.sqrt(-2 * Math.log(1 - rng.double())) * Math.cos(2 * Math.PI * rng.double());
}

test('logMeanCI is the t-interval of ln x mapped back (hand-derived), positive, and covers a log-normal median at its level', () => {
  // ln x = 0, 1, 2, 4: mean 1.75, s² = 8.75/3, se = √(8.75/12), t_{0.975,3} = 3.182446305284263.
  const ci = logMeanCI([1, Math.E, Math.E ** 2, Math.E ** 4]);
  const se = Math.sqrt(8.75 / 12);
  assert.ok(Math.abs(ci.mean - Math.exp(1.75)) < 1e-12);
  assert.ok(Math.abs(ci.lo - Math.exp(1.75 - 3.182446305284263 * se)) < 1e-9);
  assert.ok(Math.abs(ci.hi - Math.exp(1.75 + 3.182446305284263 * se)) < 1e-7);
  // A spread that makes the arithmetic t-interval negative keeps a positive log-space interval.
  const wide = logMeanCI([1e-4, 0.05, 0.2]);
  assert.ok(wide.lo > 0);
  assert.throws(() => logMeanCI([1, 0]), /x\[1\] must be > 0/);
  // Coverage of the median e^μ of a log-normal (μ = −3, σ = 1.5, n = 5) over 1000 seeded data sets:
  // hits ~ Binomial(1000, 0.95) when the interval is right; ±4.5 sd = ±31 tells 95% from 90% or 99%.
  const rng = createRng('lognormal');
  let hits = 0;
  for (let k = 0; k < 1000; k++) {
    const c = logMeanCI(Array.from({ length: 5 }, () => Math.exp(-3 + 1.5 * gauss(rng))));
    if (c.lo <= Math.exp(-3) && Math.exp(-3) <= c.hi) hits++;
  }
  assert.ok(Math.abs(hits - 950) <= 4.5 * Math.sqrt(1000 * 0.95 * 0.05), `coverage ${hits}/1000`);
});

test('bootstrapMeanCI: seeded and reproducible, inside the data range, and covering a known mean at ≈ its level', () => {
  const x = [0.2, 0.05, 0.9, 0.3, 0.01];
  const a = bootstrapMeanCI(x, { resamples: 2000 });
  assert.deepEqual(a, bootstrapMeanCI(x, { resamples: 2000 }));
  assert.ok(a.lo >= Math.min(...x) && a.hi <= Math.max(...x) && a.lo < a.mean && a.mean < a.hi);
  // Uniform(0, 1), n = 20, mean ½: 1000 data sets. The percentile interval's coverage is 95% up to its
  // O(1/n) narrowness (≈ 94% here); ±4 sd of Binomial(1000, 0.95) is ±28: a 90% or 99% interval fails.
  const rng = createRng('uniform');
  let hits = 0;
  for (let k = 0; k < 1000; k++) {
    const c = bootstrapMeanCI(Array.from({ length: 20 }, () => rng.double()), { resamples: 500, seed: k });
    if (c.lo <= 0.5 && 0.5 <= c.hi) hits++;
  }
  assert.ok(Math.abs(hits - 950) <= 4 * Math.sqrt(1000 * 0.95 * 0.05), `coverage ${hits}/1000`);
});

test('pairedComparison: difference t-interval and log-ratio interval by hand', () => {
  // d = a − b = 1, 2, 3: mean 2, s = 1, se = 1/√3, t_{0.975,2} = 4.302652729911275.
  const c = pairedComparison([2, 4, 6], [1, 2, 3]);
  assert.ok(Math.abs(c.difference.mean - 2) < 1e-15);
  assert.ok(Math.abs(c.difference.lo - (2 - 4.302652729911275 / Math.sqrt(3))) < 1e-9);
  // Ratios are all 2: geometric mean 2 with a zero-width interval.
  assert.ok(Math.abs(c.ratio.mean - 2) < 1e-14 && Math.abs(c.ratio.lo - 2) < 1e-12);
  assert.match(c.ratioStatistic, /^geometric mean over 3 paired seeds, 95% log-space t-interval$/);
});

test('detectPlateau and fitRate: a curve b + c·ρᵗ is a plateau (excluded with its window, or refused); a straight line is not', () => {
  // gap_t = 1e-3 + 0.5·0.8^t: the excess over the plateau exceeds the plateau (y > 2b) while 0.5·0.8^t > 1e-3,
  // i.e. t < ln(2e-3)/ln 0.8 = 27.85, so the transient ends at the last recorded t ≤ 27 (t = 0, 3, 6, …: 27).
  const rows: Row[] = Array.from({ length: 34 }, (_, k) => ({ job: 'a', round: 3 * k, gap: 1e-3 + 0.5 * 0.8 ** (3 * k) }));
  const d = detectPlateau(rows.map((r) => ({ x: r.round as number, y: r.gap as number })), { scale: 'semi-log' });
  assert.equal(d.detected, true, d.reason);
  assert.equal(d.transientEnd, 27);
  const fit = fitRate(rows, { x: 'round', y: 'gap', scale: 'semi-log' });
  assert.deepEqual(fit.window, { from: 0, to: 27 });
  assert.equal(fit.plateauExcluded, 34 - 10);
  assert.throws(() => fitRate(rows, { x: 'round', y: 'gap', scale: 'semi-log', plateau: 'refuse' }), (e: unknown) => e instanceof PlateauError && /stopped falling/.test((e as Error).message));
  // A pure linear rate keeps every point: tail and head slopes agree.
  const line: Row[] = Array.from({ length: 30 }, (_, t) => ({ job: 'a', round: t, gap: 0.9 ** t }));
  const lf = fitRate(line, { x: 'round', y: 'gap', scale: 'semi-log' });
  assert.equal(lf.plateau.detected, false);
  assert.equal(lf.n, 30);
  assert.ok(Math.abs(lf.slope - Math.log(0.9)) < 1e-12);
});

test('statistics and notation say what they are', () => {
  assert.equal(describeStatistic({ centre: 'geometric mean', interval: 'log-space t-interval', level: 0.95, n: 4 }), 'geometric mean over 4 seeds, 95% log-space t-interval');
  assert.equal(describeStatistic({ centre: 'arithmetic mean', interval: 'percentile bootstrap', level: 0.9, n: [3, 4], resamples: 1000 }), 'arithmetic mean over 3–4 seeds, 90% percentile bootstrap (1000 resamples)');
  assert.equal(formatNumber(-0.9), '\u22120.90');
  assert.equal(formatNumber(-3.2e-5, { significant: 2 }), '\u22123.2×10<sup>\u22125</sup>');
  assert.equal(powerLaw('N', -0.9, 0.04), 'N<sup>\u22120.90 ± 0.04</sup>');
  assert.equal(powerLaw('N', -0.9, 0.04, { target: 'text' }), 'N^(\u22120.90 ± 0.04)');
});
