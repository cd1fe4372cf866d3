import { loadRows, meanCI } from '../../src/index';
import { type ClaimEvidence, filterRows, finalRows, fitPerUnit, predictedSlope, rateReport, type Row } from '../../src/analysis';
import { bootstrapEvidence, num, type Report } from './context';

const isFixed = (s: unknown) => typeof s === 'string' && s.includes('forAgents');
const schedule = (s: unknown) => (isFixed(s) ? 'fixed step (η of N = 1)' : 'planned');

/** Rows with readable series columns for the report's tables. */
function readable(rows: readonly Row[]): Row[] {
  return rows.map((x) => {
    const { stepSize, statistic, ...rest } = x;
    return { ...(stepSize !== undefined ? { schedule: schedule(stepSize) } : {}), ...rest, ...(statistic !== undefined ? { statistic } : {}) };
  });
}

function say3(r: Report, rep: ReturnType<typeof rateReport>, y: string, what: string): void {
  const pct = Math.round(r.level * 100);
  r.say(`Slope of ln ${y} in ln T, per series and N: OLS per seed (each seed a new Garnet), mean over seeds, ${pct}% t-interval over seeds. ${what}`);
  r.say();
  r.table(readable(rep.slopes));
  r.say(`Exponent of N in ${y} at the largest T: per-seed OLS over N ≥ 2 (exponentAll: over every N), ${pct}% t-interval over seeds.`);
  r.say();
  r.table(readable(rep.speedups));
  if (rep.excess.length > 0) {
    r.say(`What noise adds: excess = ${y}(sampled) − ${y}(exact gradients, same Garnet, N, T and step). excessShare: mean of excess/${y}; exponent: OLS of ln(mean excess over seeds) on ln N (N ≥ 2) with a ${pct}% percentile bootstrap over seeds; excess_N<n>: the mean excess.`);
    r.say();
    r.table(readable(rep.excess).map(({ statistic: _s, ...rest }) => rest));
  }
}

/** Theorem 1 with the planned step: slopes against −1 and against the schedule's ln(NHT)/(NHT); N-exponent; noise averaging at a fixed step. */
export function theorem1Section(r: Report): void {
  r.section('Theorem 1, planned step (rate-theorem1)', 'rate-theorem1', () => {
    const rows = loadRows(r.dir('rate-theorem1'));
    const rep = rateReport(rows, { y: 'gap', level: r.level });
    const H = rows[0].localSteps as number;
    const predicted = new Map<number, number>();
    for (const s of rep.slopes.filter((x) => x.oracle === 'sampled' && !isFixed(x.stepSize))) {
      const Ts = [...new Set(filterRows(finalRows(rows), { agents: s.agents, oracle: 'sampled' }).map((x) => x.round as number))].sort((a, b) => a - b);
      const N = s.agents as number;
      predicted.set(N, predictedSlope(Ts, (T) => Math.log(Math.max(Math.E, N * H * T)) / (N * H * T)));
    }
    say3(r, rep, 'gap', `The planned step's own prediction ln(NHT)/(NHT) has slope ${[...predicted].map(([N, p]) => `${num(p)} (N = ${N})`).join(', ')} over the same T.`);
    for (const s of rep.slopes.filter((x) => x.oracle === 'sampled' && !isFixed(x.stepSize))) {
      const ev = slopeEvidence(s, r.level);
      r.claim('t1-slope', `N = ${s.agents}`, ev);
      const p = predicted.get(s.agents as number) ?? NaN;
      r.claim('t1-slope-schedule', `N = ${s.agents}`, shifted(ev, p));
    }
    for (const s of rep.speedups.filter((x) => x.oracle === 'sampled' && !isFixed(x.stepSize))) r.claim('t1-exponent', `T = ${s.at}`, speedupEvidence(s, r.level));
    for (const e of rep.excess.filter((x) => isFixed(x.stepSize))) r.claim('t1-noise-averaging', `T = ${e.at}`, excessEvidence(e, r.level));
  });
}

/** Theorem 1 with η_t = (c/μ)/(t + t₀): slopes against the finite-T curve 1/(T + t₀) and against −1, N-exponent, noise averaging. */
export function theorem1LogFreeSection(r: Report): void {
  r.section('Theorem 1 without the logarithm (rate-theorem1-logfree)', 'rate-theorem1-logfree', () => {
    const rows = loadRows(r.dir('rate-theorem1-logfree'));
    const rep = rateReport(rows, { y: 'gap', level: r.level, points: 'trajectory' });
    const s0 = (typeof rows[0].stepSize === 'string' ? JSON.parse(rows[0].stepSize) : rows[0].stepSize) as { t0: number };
    const Ts = [...new Set(rows.map((x) => x.round as number).filter((t) => t > 0))].sort((a, b) => a - b);
    const p = predictedSlope(Ts, (T) => 1 / (T + s0.t0));
    say3(r, rep, 'gap', `One run per seed and N, read at every recorded round. The finite-T prediction C/(T + t₀), t₀ = ${s0.t0}, has slope ${num(p)} over T = ${Ts[0]}–${Ts[Ts.length - 1]}.`);
    for (const s of rep.slopes.filter((x) => x.oracle === 'sampled')) {
      const ev = slopeEvidence(s, r.level);
      r.claim('t1lf-slope', `N = ${s.agents}`, shifted(ev, p));
      r.claim('t1lf-slope-minus-one', `N = ${s.agents}`, ev);
    }
    for (const s of rep.speedups.filter((x) => x.oracle === 'sampled')) r.claim('t1lf-exponent', `T = ${s.at}`, speedupEvidence(s, r.level));
    for (const e of rep.excess) r.claim('t1lf-noise-averaging', `T = ${e.at}`, excessEvidence(e, r.level));
  });
}

/** Theorem 2: slopes, N-exponent against the exact control with the same schedule, and at a fixed step. */
export function theorem2Section(r: Report): void {
  r.section('Theorem 2 (rate-theorem2)', 'rate-theorem2', () => {
    const rows = loadRows(r.dir('rate-theorem2'));
    const rep = rateReport(rows, { y: 'gradNormSqAvg', level: r.level });
    say3(r, rep, 'gradNormSqAvg', 'The planned step grows as √N; the exact-gradient rows show what that step alone gives.');
    for (const s of rep.slopes.filter((x) => x.oracle === 'sampled' && !isFixed(x.stepSize))) {
      r.claim('t2-slope', `M = ${s.batch}, N = ${s.agents}`, slopeEvidence(s, r.level));
    }
    for (const s of rep.speedups.filter((x) => x.oracle === 'sampled')) {
      r.claim(isFixed(s.stepSize) ? 't2-fixed-step-speedup' : 't2-exponent', `M = ${s.batch}`, speedupEvidence(s, r.level));
    }
    beyondSchedule(r, rows, 'gradNormSqAvg', 't2-beyond-schedule', (m) => `M = ${m}`);
  });
}

/** Theorem 2 under transition heterogeneity κ: per κ, the N-exponent with the planned step and at a fixed step. */
export function transitionRatesSection(r: Report): void {
  r.section('Theorem 2 under transition heterogeneity (transition-rates)', 'transition-rates', () => {
    const rows = loadRows(r.dir('transition-rates'));
    const rep = rateReport(rows, { y: 'gradNormSqAvg', level: r.level });
    say3(r, rep, 'gradNormSqAvg', 'Per κ; at N = 1 there is no transition heterogeneity, so the exponent of N is fitted over N ≥ 2.');
    for (const s of rep.speedups.filter((x) => x.oracle === 'sampled')) {
      r.claim(isFixed(s.stepSize) ? 'kappa-fixed-step-speedup' : 'kappa-exponent', `κ = ${s.transitionHeterogeneity}`, speedupEvidence(s, r.level));
    }
  });
}

/**
 * Per seed: the exponent of N (N ≥ 2, largest T) of the sampled runs minus that of the exact-gradient runs with
 * the same planned step, per batch M; the interval over seeds.
 */
function beyondSchedule(r: Report, rows: readonly Row[], y: string, id: string, series: (batch: unknown) => string): void {
  const final = finalRows(rows).filter((x) => !isFixed(typeof x.stepSize === 'object' ? JSON.stringify(x.stepSize) : x.stepSize) && (x.agents as number) >= 2);
  const T = Math.max(...final.map((x) => x.round as number));
  const atT = final.filter((x) => x.round === T);
  const exact = fitPerUnit(filterRows(atT, { oracle: 'exact' }), { x: 'agents', y, level: r.level });
  const exactBySeed = new Map(exact.perUnit.map((p) => [p.unit, p.slope]));
  for (const m of [...new Set(atT.filter((x) => x.oracle === 'sampled').map((x) => x.batch))]) {
    const f = fitPerUnit(filterRows(atT, { oracle: 'sampled', batch: m }), { x: 'agents', y, level: r.level });
    const diffs = f.perUnit.filter((p) => exactBySeed.has(p.unit)).map((p) => p.slope - exactBySeed.get(p.unit)!);
    const ci = meanCI(diffs, r.level);
    r.claim(id, series(m), { estimate: ci.mean, lo: ci.lo, hi: ci.hi, level: r.level, se: ci.se, df: ci.n - 1, statistic: `mean over ${ci.n} seeds of the per-seed difference of log–log OLS exponents of N (sampled − exact, N ≥ 2, T = ${T}), ${Math.round(r.level * 100)}% t-interval (${ci.n - 1} df)` });
  }
}

/** Evidence from a slope row of `rateReport`. */
function slopeEvidence(s: Row, level: number): ClaimEvidence {
  return { estimate: s.slope as number, lo: s.lo as number, hi: s.hi as number, level, se: s.se as number, df: s.df as number, statistic: s.statistic as string };
}

/** The same evidence about (quantity − p): for a slope compared with a predicted slope p. */
function shifted(ev: ClaimEvidence, p: number): ClaimEvidence {
  return { ...ev, estimate: ev.estimate - p, lo: ev.lo - p, hi: ev.hi - p, statistic: `${ev.statistic}, minus the predicted ${num(p)}` };
}

/** Evidence from a speedup row of `rateReport` (the exponent of N over N ≥ agentsFrom at the largest T). */
function speedupEvidence(s: Row, level: number): ClaimEvidence {
  return { estimate: s.exponent as number, lo: s.lo as number, hi: s.hi as number, level, se: s.se as number, df: s.df as number, statistic: `${s.statistic} (N ≥ ${s.agentsFrom}, T = ${s.at})` };
}

/** Evidence from an excess row of `rateReport` (the exponent of N in the mean excess, bootstrap over seeds). */
function excessEvidence(e: Row, level: number): ClaimEvidence {
  return bootstrapEvidence({ estimate: e.exponent as number, lo: e.lo as number, hi: e.hi as number, level, n: e.units as number, resamples: 4000, undefinedFraction: e.undefinedFraction as number }, e.statistic as string);
}
