import { loadRows } from '../../src/index';
import { approachLabel } from '../../src/plot';
import { filterRows, finalRows, fitPerUnit, groupBy, type Row } from '../../src/analysis';
import { type Report, withInterval } from './context';
import { allColumns, byUnit, geometric, pairedRatio } from './paired';

const lambdaOf = (x: Row) => (typeof x.personalization === 'string' ? (JSON.parse(x.personalization).lambda as number) : null);
const isFast = (x: Row) => x.algorithm === 'fast-fedpg';

/** Own gap and global gap per approach and h, with each approach's own gap over Fast-FedPG's, paired by Garnet. */
function approachTable(r: Report, final: readonly Row[], extra: (rows: Row[]) => Row = () => ({})): Row[] {
  const table: Row[] = [];
  for (const { key, rows } of groupBy(final, ['heterogeneity'])) {
    const fast = byUnit(rows.filter(isFast), (x) => x.agentGapMean as number);
    for (const { rows: runs } of groupBy(rows, ['config'])) {
      const own = geometric(runs.map((x) => x.agentGapMean as number), r.level);
      const global = geometric(runs.map((x) => x.gap as number), r.level);
      const ratio = isFast(runs[0]) ? null : pairedRatio(byUnit(runs, (x) => x.agentGapMean as number), fast, r.level, 'own gap ÷ Fast-FedPG\'s');
      table.push({ h: key.heterogeneity, approach: approachLabel(runs[0]), Garnets: own.n, 'own gap': withInterval({ estimate: own.mean, lo: own.lo, hi: own.hi }), 'global gap at θ̄': withInterval({ estimate: global.mean, lo: global.lo, hi: global.hi }), 'own gap ÷ Fast-FedPG': ratio ? withInterval(ratio) : '', ...extra(runs) });
    }
  }
  return table;
}

/** personalization.json: global, clustered (IFCA, both initialisations) and personalised policies, exact gradients. */
export function personalizationSection(r: Report): void {
  r.section('Global, clustered and personalised policies (personalization)', 'personalization', () => {
    const final = finalRows(loadRows(r.dir('personalization')));
    const pct = Math.round(r.level * 100);
    r.say(`Exact gradients, after T = ${final[0].round} rounds. Own gap (1/N) Σ_i (J_i* − J_i(θ_i)) at the parameters each agent acts with, and the global gap J* − J(θ̄): geometric means over Garnets (each seed a new Garnet), ${pct}% log-space t-intervals; "÷ Fast-FedPG": the own gap's ratio per Garnet, geometric mean, ${pct}% log-space t-interval over Garnets.`);
    r.say();
    const table = approachTable(r, final);
    r.table(table, allColumns(table));
    const h1 = filterRows(final, { heterogeneity: 1 });
    const far = h1.filter((x) => x.algorithm === 'ifca' && x.clusterInit === 'farthest');
    if (far.length) r.claim('ifca-own-gap-exact', 'h = 1', pairedRatio(byUnit(far, (x) => x.agentGapMean as number), byUnit(h1.filter(isFast), (x) => x.agentGapMean as number), r.level, 'agentGapMean(IFCA, farthest-point)/agentGapMean(Fast-FedPG)'));
  });
}

/** ditto-tradeoff.json: each agent's own gap against the global gap at its personal model, over λ at one personal step. */
export function dittoTradeoffSection(r: Report): void {
  r.section("Ditto's λ trade-off at one personal step (ditto-tradeoff)", 'ditto-tradeoff', () => {
    const final = finalRows(loadRows(r.dir('ditto-tradeoff')));
    const pct = Math.round(r.level * 100);
    const ditto = final.filter((x) => x.algorithm === 'ditto');
    const steps = [...new Set(ditto.map((x) => JSON.parse(x.personalization as string).stepSize as number))];
    r.say(`Exact gradients, after T = ${final[0].round} rounds, personal step s = ${steps.join(', ')} for every λ (so s·λ ≤ ${Math.max(...ditto.map((x) => (lambdaOf(x) as number) * steps[0]))} < 2 and λ is the only thing that changes). Own gap and the global gap at the personal models (1/N) Σ_i (J* − J(v_i)) (agentGlobalGapMean): geometric means over Garnets, ${pct}% log-space t-intervals. Slopes: per-Garnet log–log OLS of each gap in λ over λ > 0, mean over Garnets, ${pct}% t-interval.`);
    r.say();
    const table: Row[] = [];
    for (const { key, rows } of groupBy(final, ['heterogeneity'])) {
      for (const { rows: runs } of groupBy(rows, ['config'])) {
        const own = geometric(runs.map((x) => x.agentGapMean as number), r.level);
        const glob = geometric(runs.map((x) => x.agentGlobalGapMean as number), r.level);
        table.push({ h: key.heterogeneity, approach: approachLabel(runs[0]), Garnets: own.n, 'own gap': withInterval({ estimate: own.mean, lo: own.lo, hi: own.hi }), 'global gap at θ_i': withInterval({ estimate: glob.mean, lo: glob.lo, hi: glob.hi }) });
      }
      const positive = rows.filter((x) => x.algorithm === 'ditto' && (lambdaOf(x) as number) > 0);
      if (new Set(positive.map(lambdaOf)).size < 3) continue;
      const ownSlope = fitPerUnit(positive, { x: (x) => lambdaOf(x) as number, y: 'agentGapMean', level: r.level });
      const globalSlope = fitPerUnit(positive, { x: (x) => lambdaOf(x) as number, y: 'agentGlobalGapMean', level: r.level });
      table.push({ h: key.heterogeneity, approach: 'slope in λ (Ditto, λ > 0)', Garnets: ownSlope.units, 'own gap': withInterval({ estimate: ownSlope.slope, lo: ownSlope.lo, hi: ownSlope.hi }), 'global gap at θ_i': withInterval({ estimate: globalSlope.slope, lo: globalSlope.lo, hi: globalSlope.hi }) });
      if (key.heterogeneity === 1) {
        r.claim('ditto-own-gap-grows-with-lambda', 'h = 1', { estimate: ownSlope.slope, lo: ownSlope.lo, hi: ownSlope.hi, level: r.level, se: ownSlope.se, df: ownSlope.df, statistic: `${ownSlope.statistic}, λ ∈ {${[...new Set(positive.map(lambdaOf))].join(', ')}}` });
        r.claim('ditto-global-gap-falls-with-lambda', 'h = 1', { estimate: globalSlope.slope, lo: globalSlope.lo, hi: globalSlope.hi, level: r.level, se: globalSlope.se, df: globalSlope.df, statistic: `${globalSlope.statistic}, λ ∈ {${[...new Set(positive.map(lambdaOf))].join(', ')}}` });
      }
    }
    r.table(table);
  });
}

/** matched-budget.json: the approaches with sampled gradients at equal environment steps. */
export function matchedBudgetSection(r: Report): void {
  r.section('Personalised and clustered policies at matched environment steps (matched-budget)', 'matched-budget', () => {
    const final = finalRows(loadRows(r.dir('matched-budget')));
    const pct = Math.round(r.level * 100);
    const steps = final.map((x) => x.envSteps as number);
    r.say(`Sampled gradients, after T = ${final[0].round} rounds; environment steps per run between ${Math.min(...steps)} and ${Math.max(...steps)} (ratio ${(Math.max(...steps) / Math.min(...steps)).toFixed(4)}: IFCA's one-off initial anchors). Own and global gaps: geometric means over Garnets, ${pct}% log-space t-intervals; "÷ Fast-FedPG" paired by Garnet.`);
    r.say();
    const table = approachTable(r, final, (runs) => ({ M: runs[0].batch, 'env steps': runs[0].envSteps }));
    r.table(table, allColumns(table));
    const h1 = filterRows(final, { heterogeneity: 1 });
    const ifca = h1.filter((x) => x.algorithm === 'ifca');
    if (ifca.length) r.claim('ifca-own-gap-matched-budget', 'h = 1', pairedRatio(byUnit(ifca, (x) => x.agentGapMean as number), byUnit(h1.filter(isFast), (x) => x.agentGapMean as number), r.level, 'agentGapMean(IFCA)/agentGapMean(Fast-FedPG) at equal environment steps'));
  });
}
