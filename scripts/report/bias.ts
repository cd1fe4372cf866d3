import { loadRows } from '../../src/index';
import { filterRows, finalRows, fitPerUnit, fixedPointLevels, groupBy, logMeanCI, type Row } from '../../src/analysis';
import { exactEvidence, num, type Report } from './context';

const g = (x: number) => (Number.isFinite(x) ? x.toExponential(2) : '—');

/** Exact gradients, τ = 1: contraction factor per round, fitted per Garnet (semi-log) with the interval over Garnets. */
export function exactLinearSection(r: Report): void {
  r.section('Linear convergence with exact gradients (exact-linear)', 'exact-linear', () => {
    const rows = loadRows(r.dir('exact-linear')).filter((x) => (x.round as number) > 0);
    const table: Row[] = [];
    for (const { key, rows: run } of groupBy(rows, ['algorithm', 'localSteps'])) {
      const f = fitPerUnit(run, { x: 'round', y: 'gap', scale: 'semi-log', above: 1e-11, level: r.level });
      const last = Math.max(...run.map((x) => x.round as number));
      const final = logMeanCI(filterRows(run, { round: last }).map((x) => x.gap as number), r.level, 1e-16);
      table.push({ algorithm: key.algorithm, H: key.localSteps, contraction: Math.exp(f.slope), lo: Math.exp(f.lo), hi: Math.exp(f.hi), Garnets: f.units, rounds: `${f.window.from}–${f.window.to}`, finalGap: final.mean });
      if (key.algorithm === 'fast-fedpg') {
        r.claim('linear-rate', `H = ${key.localSteps}`, { estimate: Math.exp(f.slope), lo: Math.exp(f.lo), hi: Math.exp(f.hi), level: r.level, se: Math.exp(f.slope) * f.se, df: f.df, statistic: `exp(${f.statistic}), rounds with gap > 1e-11` });
      }
    }
    r.say(`Contraction factor of the gap per round: exp(mean of per-Garnet OLS slopes of ln gap on t) over the rounds with gap > 1e-11, ${Math.round(r.level * 100)}% t-interval over Garnets (each seed a new Garnet). FedAvg-PG with H > 1 converges to its biased fixed point, so its "contraction" is towards that point's gap, not towards 0 (see heterogeneity-bias). finalGap: geometric mean over Garnets at the last round.`);
    r.say();
    r.table(table);
  });
}

/**
 * FedAvg-PG's fixed-point gap (from runs long enough to reach it, checked run by run) next to Fast-FedPG's gap
 * against T, which keeps falling: no ratio of the two (Fast-FedPG's gap depends on T without bound).
 */
export function heterogeneityBiasSection(r: Report): void {
  r.section('Heterogeneity bias (heterogeneity-bias)', 'heterogeneity-bias', () => {
    const rows = loadRows(r.dir('heterogeneity-bias'));
    const fedavg = fixedPointLevels(filterRows(rows, { algorithm: 'fedavg-pg' }), { y: 'gap', lastFraction: 0.2, tolerance: 1e-3 });
    const pct = Math.round(r.level * 100);
    r.say(`FedAvg-PG's fixed point: a run counts as converged when its gap moved by less than 0.1% over its last 20% of rounds; the fixed-point gap is the geometric mean over the converged runs (one Garnet each), ${pct}% log-space t-interval. gapAtEnd: the gap after the last round over all runs (geometric mean); with h = 0 there is no bias, and the runs are still converging to the optimum.`);
    r.say();
    const fp: Row[] = groupBy(fedavg, ['localSteps', 'heterogeneity']).map(({ key, rows: runs }) => {
      const conv = runs.filter((x) => x.gap_converged === true);
      const ci = conv.length > 0 ? logMeanCI(conv.map((x) => x.gap_fixedPoint as number), r.level, 1e-16) : null;
      const last = logMeanCI(runs.map((x) => x.gap_fixedPoint as number), r.level, 1e-16);
      return { H: key.localSteps, h: key.heterogeneity, rounds: runs[0].round, gapAtEnd: last.mean, converged: `${conv.length}/${runs.length}`, fixedPointGap: ci?.mean ?? NaN, lo: ci?.lo ?? NaN, hi: ci?.hi ?? NaN };
    });
    r.table(fp);
    const Hmax = Math.max(...rows.map((x) => x.localSteps as number));
    const hmax = Math.max(...rows.map((x) => x.heterogeneity as number));
    const target = fedavg.filter((x) => x.localSteps === Hmax && x.heterogeneity === hmax && x.gap_converged === true);
    if (target.length > 0) {
      const ci = logMeanCI(target.map((x) => x.gap_fixedPoint as number), r.level);
      r.claim('fedavg-bias', `H = ${Hmax}, h = ${hmax}`, { estimate: ci.mean, lo: ci.lo, hi: ci.hi, level: r.level, se: ci.logSE, df: ci.n - 1, logScale: true, statistic: `geometric mean over ${ci.n} Garnets (converged runs of ${fedavg.filter((x) => x.localSteps === Hmax && x.heterogeneity === hmax).length}), ${pct}% log-space t-interval` });
    }
    // Fast-FedPG against T: the gap keeps falling.
    const fast = filterRows(rows, { algorithm: 'fast-fedpg' });
    const Tfast = Math.max(...fast.map((x) => x.round as number));
    const checkpoints = [Tfast / 4, Tfast / 2, Tfast];
    r.say(`Fast-FedPG's gap after T rounds (geometric mean over Garnets, ${pct}% log-space t-interval), next to minibatch PG (one step of H·M per round):`);
    r.say();
    const curve: Row[] = [];
    for (const { key, rows: run } of groupBy(filterRows(rows, { heterogeneity: hmax }).filter((x) => x.algorithm !== 'fedavg-pg'), ['algorithm', 'localSteps'])) {
      const row: Row = { algorithm: key.algorithm, H: key.localSteps };
      for (const T of checkpoints) {
        const ci = logMeanCI(filterRows(run, { round: T }).map((x) => x.gap as number), r.level, 1e-16);
        row[`T=${T}`] = `${g(ci.mean)} [${g(ci.lo)}, ${g(ci.hi)}]`;
      }
      curve.push(row);
    }
    r.table(curve);
    const second = filterRows(fast, { localSteps: Hmax, heterogeneity: hmax }).filter((x) => (x.round as number) >= Tfast / 2);
    const f = fitPerUnit(second, { x: 'round', y: 'gap', scale: 'semi-log', above: 1e-14, level: r.level });
    r.claim('fast-fedpg-no-floor', `H = ${Hmax}, h = ${hmax}`, { estimate: f.slope, lo: f.lo, hi: f.hi, level: r.level, se: f.se, df: f.df, statistic: `${f.statistic}, rounds ${f.window.from}–${f.window.to}` });
    // H = 1 or h = 0: no drift correction to make, so the two algorithms coincide.
    let worst = 0;
    const fastBy = new Map(fast.map((x) => [`${x.seed}|${x.localSteps}|${x.heterogeneity}|${x.round}`, x.gap as number]));
    for (const x of filterRows(rows, { algorithm: 'fedavg-pg' })) {
      if (!(x.localSteps === 1 || x.heterogeneity === 0)) continue;
      const y = fastBy.get(`${x.seed}|${x.localSteps}|${x.heterogeneity}|${x.round}`);
      if (y !== undefined) worst = Math.max(worst, Math.abs((x.gap as number) - y));
    }
    r.claim('no-drift-no-bias', '', exactEvidence(worst, r.level, 'largest |gap(FedAvg-PG) − gap(Fast-FedPG)| over Garnets and the common recorded rounds, H = 1 or h = 0'));
    r.say(`With H = 1 or h = 0, FedAvg-PG and Fast-FedPG differ by at most ${worst.toExponential(1)} in the gap at every common round.`);
  });
}

/** FedAvg-PG's floor of ‖∇J‖² against κ: per-Garnet exponent of κ, and the paired ratio over Fast-FedPG at h = 0. */
export function transitionBiasSection(r: Report): void {
  r.section('Bias from transition heterogeneity (transition-bias)', 'transition-bias', () => {
    const final = finalRows(loadRows(r.dir('transition-bias')));
    const pct = Math.round(r.level * 100);
    const table: Row[] = groupBy(final, ['algorithm', 'heterogeneity', 'transitionHeterogeneity']).map(({ key, rows: x }) => {
      const ci = logMeanCI(x.map((y) => y.gradNormSq as number), r.level, 1e-30);
      return { algorithm: key.algorithm, h: key.heterogeneity, kappa: key.transitionHeterogeneity, Garnets: ci.n, gradNormSq: ci.mean, lo: ci.lo, hi: ci.hi };
    });
    r.say(`Final ‖∇J_τ(θ̄ᵀ)‖² with exact gradients (FedAvg-PG's floor; Fast-FedPG's control), geometric mean over Garnets, ${pct}% log-space t-interval, values below 1e-30 counted as 1e-30:`);
    r.say();
    r.table(table);
    const fits: Row[] = [];
    for (const h of [...new Set(final.map((x) => x.heterogeneity as number))]) {
      const f = fitPerUnit(filterRows(final, { algorithm: 'fedavg-pg', heterogeneity: h }).filter((x) => (x.transitionHeterogeneity as number) > 0), { x: 'transitionHeterogeneity', y: 'gradNormSq', level: r.level });
      fits.push({ h, exponentOfKappa: f.slope, lo: f.lo, hi: f.hi, Garnets: f.units, perGarnet: f.perUnit.map((p) => num(p.slope)).join(', ') });
      if (h === 0) r.claim('kappa-floor-grows', 'h = 0', { estimate: f.slope, lo: f.lo, hi: f.hi, level: r.level, se: f.se, df: f.df, statistic: f.statistic });
    }
    r.say(`FedAvg-PG: exponent of κ in its floor, fitted per Garnet (log–log OLS over κ > 0) with the ${pct}% t-interval over Garnets; the per-Garnet exponents show how much the Garnets differ:`);
    r.say();
    r.table(fits);
    const kmax = Math.max(...final.map((x) => x.transitionHeterogeneity as number));
    const bySeed = (algorithm: string) => new Map(filterRows(final, { algorithm, heterogeneity: 0, transitionHeterogeneity: kmax }).map((x) => [x.seed, x.gradNormSq as number]));
    const a = bySeed('fedavg-pg');
    const b = bySeed('fast-fedpg');
    const ratios = [...a.keys()].filter((s) => b.has(s)).map((s) => Math.max(a.get(s)!, 1e-30) / Math.max(b.get(s)!, 1e-30));
    const ci = logMeanCI(ratios, r.level);
    r.claim('kappa-bias', `κ = ${kmax}`, { estimate: ci.mean, lo: ci.lo, hi: ci.hi, level: r.level, se: ci.logSE, df: ci.n - 1, logScale: true, statistic: `geometric mean over ${ci.n} paired Garnets of the ratio (values below 1e-30 counted as 1e-30), ${pct}% log-space t-interval` });
  });
}
