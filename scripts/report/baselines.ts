import { loadRows } from '../../src/index';
import { filterRows, finalRows, fitPerUnit, fixedPointLevels, groupBy, type Row } from '../../src/analysis';
import { num, type Report, withInterval } from './context';
import { allColumns, byUnit, geometric, pairedRatio, stepLabel } from './paired';

const isFixed = (step: unknown) => typeof step === 'number';
const label = (x: Row) => `${x.algorithm}${x.beta !== undefined && x.beta !== null ? `, β = ${x.beta}` : ''}${x.mixing ? `, W = ${x.mixing}` : ''}${x.beyondTheorem ? ' (beyondTheorem)' : ''}`;

/** baselines.json: FedNPG (server, ring) and the momentum baselines next to Fast-FedPG and FedAvg-PG. */
export function baselinesSection(r: Report): void {
  r.section('Baselines written against the algorithm interface (baselines)', 'baselines', () => {
    const final = finalRows(loadRows(r.dir('baselines')));
    const pct = Math.round(r.level * 100);
    r.say(`Gap J* − J(θ̄) after the last round, geometric mean over Garnets (each seed a new Garnet), ${pct}% log-space t-interval (values below 1e-16 counted as 1e-16). Per round: environment steps, vectors sent and synchronisations, read from the runs' counters.`);
    r.say();
    const table: Row[] = [];
    for (const { rows } of groupBy(final, ['config'])) {
      const x = rows[0];
      const g = geometric(rows.map((y) => y.gap as number), r.level);
      const T = x.round as number;
      table.push({ oracle: x.oracle, algorithm: label(x), H: x.localSteps, [`η`]: x.stepSize, T, Garnets: g.n, gap: g.mean, lo: g.lo, hi: g.hi, 'env steps/round': (x.envSteps as number) / T, 'vectors/round': (x.messages as number) / T, 'syncs/round': (x.syncs as number) / T });
    }
    r.table(table);
    r.say('FedSVRPG-M adds N·B·K environment steps and N vectors once, in round 1 (ū₀); its per-round figures above include that share. local-momentum-pg is the per-agent momentum the package called fedsvrpg-m before (docs/momentum.md); with exact gradients it is FedAvg-PG.');
  });
}

/**
 * momentum-floor.json: FedSVRPG-M's exact-gradient fixed point against FedAvg-PG's, at a fixed step and as
 * the step shrinks with T; Fast-FedPG as the control without a floor.
 */
export function momentumFloorSection(r: Report): void {
  r.section("FedSVRPG-M and FedAvg-PG's heterogeneity floor (momentum-floor)", 'momentum-floor', () => {
    const rows = loadRows(r.dir('momentum-floor'));
    const pct = Math.round(r.level * 100);
    // Fixed-step runs at their longest T (a budget may run several T; the fixed point is read from the longest).
    const fixedAll = rows.filter((x) => isFixed(x.stepSize));
    const longest = Math.max(...fixedAll.map((x) => x.rounds as number));
    const fixed = fixedAll.filter((x) => x.rounds === longest);
    const levels = fixedPointLevels(fixed, { y: 'gap', lastFraction: 0.2, tolerance: 1e-3 });
    r.say(`**Fixed step.** Gap after T rounds with exact gradients (H = 5, h = 1), geometric mean over Garnets (each seed a new Garnet), ${pct}% log-space t-interval; "converged": runs whose gap moved by less than 0.1% over their last 20% of rounds (Fast-FedPG's keeps falling by design). Ratios are formed per Garnet and averaged geometrically, ${pct}% log-space t-interval over Garnets.`);
    r.say();
    const table: Row[] = [];
    for (const { key, rows: runs } of groupBy(levels, ['stepSize', 'algorithm', 'beta'])) {
      const g = geometric(runs.map((x) => x.gap as number), r.level);
      const fedavg = byUnit(levels.filter((x) => x.algorithm === 'fedavg-pg' && x.stepSize === key.stepSize), (x) => x.gap as number);
      const fast = byUnit(levels.filter((x) => x.algorithm === 'fast-fedpg' && x.stepSize === key.stepSize), (x) => x.gap as number);
      const mine = byUnit(runs, (x) => x.gap as number);
      const vsFedavg = key.algorithm === 'fedavg-pg' ? null : pairedRatio(mine, fedavg, r.level, 'ratio');
      const vsFast = key.algorithm === 'fast-fedpg' ? null : pairedRatio(mine, fast, r.level, 'ratio');
      table.push({ [`η`]: key.stepSize, algorithm: label(runs[0]), T: runs[0].round, Garnets: g.n, converged: `${runs.filter((x) => x.gap_converged === true).length}/${runs.length}`, gap: g.mean, lo: g.lo, hi: g.hi, '÷ FedAvg-PG': vsFedavg ? withInterval(vsFedavg) : '', '÷ Fast-FedPG': vsFast ? withInterval(vsFast) : '' });
      if (key.algorithm === 'fedsvrpg-m' && key.stepSize === 0.3 && vsFedavg) r.claim('svrpgm-floor-fixed-step', `β = ${key.beta}`, { ...vsFedavg, statistic: `gap(FedSVRPG-M)/gap(FedAvg-PG) after ${runs[0].round} rounds, η = 0.3: ${vsFedavg.statistic}` });
      if (key.algorithm === 'fedsvrpg-m' && key.stepSize === 0.3 && key.beta === 0.5 && vsFast) r.claim('svrpgm-has-floor', 'β = 0.5', { ...vsFast, statistic: `gap(FedSVRPG-M)/gap(Fast-FedPG) after ${runs[0].round} rounds, η = 0.3: ${vsFast.statistic}` });
    }
    r.table(table);
    const floors = levels.filter((x) => x.algorithm !== 'fast-fedpg');
    const byEta = [...new Set(floors.map((x) => x.stepSize as number))].map((eta) => {
      const at = floors.filter((x) => x.stepSize === eta);
      return `η = ${eta}: ${at.filter((x) => x.gap_converged === true).length} of ${at.length}`;
    });
    r.say(`FedAvg-PG and FedSVRPG-M runs at their fixed point after T = ${longest}: ${byEta.join('; ')}. Where runs are still moving, the ratios compare gaps after T = ${longest} rounds, not fixed points.`);
    r.say();

    const shrinking = finalRows(rows.filter((x) => !isFixed(x.stepSize)));
    if (shrinking.length === 0) return;
    r.say(`**Step shrinking with T** (${stepLabel(shrinking[0].stepSize)}, one run per T): gap after T rounds, geometric mean over Garnets, ${pct}% log-space t-interval; the last column is FedSVRPG-M ÷ FedAvg-PG per Garnet at that T.`);
    r.say();
    const Ts = [...new Set(shrinking.map((x) => x.round as number))].sort((a, b) => a - b);
    const curve: Row[] = [];
    for (const { key, rows: runs } of groupBy(shrinking, ['algorithm', 'beta'])) {
      const row: Row = { algorithm: label(runs[0]) };
      for (const T of Ts) {
        const g = geometric(runs.filter((x) => x.round === T).map((x) => x.gap as number), r.level);
        row[`T=${T}`] = `${g.mean.toExponential(2)} [${g.lo.toExponential(2)}, ${g.hi.toExponential(2)}]`;
      }
      if (key.algorithm === 'fedsvrpg-m') {
        const Tmax = Ts[Ts.length - 1];
        const ev = pairedRatio(byUnit(runs.filter((x) => x.round === Tmax), (x) => x.gap as number), byUnit(shrinking.filter((x) => x.algorithm === 'fedavg-pg' && x.round === Tmax), (x) => x.gap as number), r.level, 'ratio');
        row[`÷ FedAvg-PG at T=${Tmax}`] = withInterval(ev);
        r.claim('svrpgm-floor-shrinking-step', `β = ${key.beta}`, { ...ev, statistic: `gap(FedSVRPG-M)/gap(FedAvg-PG) after T = ${Tmax} rounds with η_T = 10/√T: ${ev.statistic}` });
      }
      const tail = runs.filter((x) => (x.round as number) >= 400);
      if (key.algorithm !== 'fast-fedpg' && new Set(tail.map((x) => x.round)).size >= 3) {
        const f = fitPerUnit(tail, { x: 'round', y: 'gap', level: r.level });
        row['slope in T (T ≥ 400)'] = withInterval({ estimate: f.slope, lo: f.lo, hi: f.hi });
        r.claim('floor-shrinks-with-step', label(runs[0]), { estimate: f.slope, lo: f.lo, hi: f.hi, level: r.level, se: f.se, df: f.df, statistic: `${f.statistic}, T ∈ {${[...new Set(tail.map((x) => x.round))].join(', ')}}` });
      }
      curve.push(row);
    }
    r.table(curve, allColumns(curve));
    r.say(`Prediction (docs/momentum.md): FedSVRPG-M's fixed point is FedAvg-PG's to first order in η for every β, so the ratios are 1 + O(η), and both floors fall like η² ∝ 1/T when η_T ∝ T^(−1/2); Fast-FedPG has none. ${num(0.25)} is the margin of the two ratio claims.`);
  });
}
