import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRows } from '../../src/index';
import { atBudget, commonBudget, filterRows, roundCosts, type Row, type StepTuning, timeToReach, tuneStepSizes } from '../../src/analysis';
import { type Report, ROOT, withInterval } from './context';
import { byUnit, geometric, pairedRatio } from './paired';

/** The order the comparison lists its algorithms in. */
export const COMPARED = ['fast-fedpg', 'fedavg-pg', 'minibatch-pg', 'scaffold', 'local-pg', 'fedsvrpg-m', 'fednpg'] as const;
const order = (a: string) => COMPARED.indexOf(a as (typeof COMPARED)[number]);

/** The budget each oracle's runs are compared at: environment steps with sampled gradients, rounds with exact ones. */
export const budgetColumn = (oracle: string) => (oracle === 'sampled' ? 'envSteps' : 'round');

/** The tuning of comparison-tuning.json, per oracle (sampled: at the common environment-step budget; exact: at the common round). */
export function tuningScores(rows: readonly Row[], level: number): (StepTuning & { oracle: string })[] {
  return ['exact', 'sampled'].flatMap((oracle) => {
    const rs = filterRows(rows, { oracle });
    if (rs.length === 0) return [];
    return tuneStepSizes(rs, { column: budgetColumn(oracle), level })
      .map((t) => ({ ...t, oracle }))
      .sort((a, b) => order(a.algorithm) - order(b.algorithm));
  });
}

/** The η comparison.json gives each (oracle, algorithm). */
function usedSteps(): Map<string, number> {
  const spec = JSON.parse(readFileSync(join(ROOT, 'data', 'experiments', 'comparison.json'), 'utf8')) as { grid: Record<string, unknown[]>[] };
  const used = new Map<string, number>();
  for (const g of spec.grid) for (const o of g.oracle as string[]) for (const a of g.algorithm as string[]) used.set(`${o}/${a}`, (g.stepSize as number[])[0]);
  return used;
}

/** How each algorithm's η was chosen, and whether the comparison uses the argmin at this budget. */
export function comparisonTuningSection(r: Report): void {
  r.section('Step sizes of the comparison, chosen on tuning Garnets (comparison-tuning)', 'comparison-tuning', () => {
    const rows = loadRows(r.dir('comparison-tuning'));
    const pct = Math.round(r.level * 100);
    const used = usedSteps();
    const tuned = tuningScores(rows, r.level);
    const seeds = [...new Set(rows.map((x) => x.seed))];
    r.say(`Score of each η: the gap J* − J(θ̄) at the budget (sampled: the environment steps every run reaches; exact: the round every run reaches), geometric mean over the ${seeds.length} tuning Garnet(s) (seeds ${seeds.join(', ')}), ${pct}% log-space t-interval; gaps below 1e-12 are round-off and tie, broken toward the larger η. The comparison reports other Garnets.`);
    r.say();
    const table: Row[] = [];
    for (const t of tuned) {
      const u = used.get(`${t.oracle}/${t.algorithm}`);
      table.push({ oracle: t.oracle, algorithm: t.algorithm, budget: `${t.budget} ${t.oracle === 'sampled' ? 'env steps' : 'rounds'}`, ...Object.fromEntries(t.scores.map((s) => [`η=${s.eta}`, s.score])), argmin: `${t.argmin}${t.atEdge ? ' (grid edge)' : ''}`, used: u === undefined ? '—' : u === t.argmin ? `${u} (argmin)` : `**${u}: not the argmin at this budget**` });
    }
    r.table(table);
  });
}

/**
 * comparison.json: every algorithm at its tuned η on held-out Garnets, compared at matched environment steps
 * (sampled), rounds and vectors, paired by Garnet; rounds and environment steps to reach 10% and 1% of the
 * initial gap.
 */
export function comparisonSection(r: Report): void {
  r.section('Fast-FedPG and the baselines at matched budgets (comparison)', 'comparison', () => {
    const rows = loadRows(r.dir('comparison'));
    const pct = Math.round(r.level * 100);
    const algs = (rs: readonly Row[]) => [...new Set(rs.map((x) => x.algorithm as string))].sort((a, b) => order(a) - order(b));
    r.say(`Each algorithm at the η chosen on the tuning Garnets (previous section), on held-out Garnets (each seed a new Garnet; the unit of every interval). Gaps: geometric mean over Garnets with ${pct}% log-space t-intervals; "÷ Fast-FedPG": the ratio formed per Garnet, geometric mean, ${pct}% log-space t-interval over Garnets. FedNPG needs Q-functions: it is run with exact policy evaluation only (no sampled FedNPG), and appears only in the exact-gradient panel.`);
    r.say();
    for (const oracle of ['sampled', 'exact']) {
      const rs = filterRows(rows, { oracle });
      if (rs.length === 0) continue;
      r.say(`### ${oracle === 'sampled' ? 'Sampled gradients (GPOMDP)' : 'Exact gradients (and exact Q for FedNPG)'}`);
      r.say();
      const cost: Row[] = roundCosts(rs).sort((a, b) => order(a.algorithm as string) - order(b.algorithm as string)).map((c) => ({ algorithm: c.algorithm, [`η`]: c.stepSize, H: c.localSteps, rounds: c.rounds, 'env steps/round': c.envStepsPerRound, 'vectors/round': c.vectorsPerRound, 'syncs/round': c.syncsPerRound }));
      r.say('What one round costs each algorithm (read from the runs\' counters; FedSVRPG-M also spends N·B·K environment steps and N vectors once, for ū₀):');
      r.say();
      r.table(cost);
      const budgets: [string, string, number][] = [];
      if (oracle === 'sampled') budgets.push(['envSteps', 'environment steps', commonBudget(rs, 'envSteps')]);
      budgets.push(['round', 'rounds', commonBudget(rs, 'round')]);
      const talkers = rs.filter((x) => x.algorithm !== 'local-pg');
      budgets.push(['messages', 'vectors sent (local PG, which sends none, left out)', commonBudget(talkers, 'messages')]);
      const table: Row[] = [];
      for (const [column, what, budget] of budgets) {
        const at = atBudget(column === 'messages' ? talkers : rs, column, budget);
        const fast = byUnit(filterRows(at, { algorithm: 'fast-fedpg' }), (x) => x.gap as number);
        for (const a of algs(at)) {
          const mine = byUnit(filterRows(at, { algorithm: a }), (x) => x.gap as number);
          const g = geometric([...mine.values()], r.level);
          const ratio = a === 'fast-fedpg' ? null : pairedRatio(fast, mine, r.level, `gap(Fast-FedPG)/gap(${a}) at ${budget} ${what}`);
          table.push({ budget: `${budget} ${what}`, algorithm: a, Garnets: g.n, gap: g.mean, lo: g.lo, hi: g.hi, 'Fast-FedPG ÷ this': ratio ? withInterval(ratio) : '' });
          if (!ratio) continue;
          if (oracle === 'sampled' && column === 'envSteps') {
            if (a === 'fedavg-pg') r.claim('cmp-sampled-fast-vs-fedavg', '', ratio);
            if (a === 'minibatch-pg') r.claim('cmp-sampled-fast-vs-minibatch', '', ratio);
          }
          if (oracle === 'exact' && column === 'round' && a === 'fedavg-pg') r.claim('cmp-exact-fast-vs-fedavg', '', ratio);
        }
        if (oracle === 'sampled' && column === 'envSteps') {
          const svrpg = byUnit(filterRows(at, { algorithm: 'fedsvrpg-m' }), (x) => x.gap as number);
          const fedavg = byUnit(filterRows(at, { algorithm: 'fedavg-pg' }), (x) => x.gap as number);
          if (svrpg.size && fedavg.size) r.claim('cmp-sampled-svrpgm-vs-fedavg', '', pairedRatio(svrpg, fedavg, r.level, `gap(FedSVRPG-M)/gap(FedAvg-PG) at ${budget} environment steps`));
        }
      }
      r.say(`Gap at matched budgets: each run read at its last recorded round within the budget (the largest budget every run reaches).`);
      r.say();
      r.table(table);
      const reach: Row[] = [];
      for (const fraction of [0.1, 0.01]) {
        const t = timeToReach(rs, { fraction });
        const fast = byUnit(filterRows(t, { algorithm: 'fast-fedpg' }).filter((x) => x.reached), (x) => x.roundsToReach as number);
        const fastSteps = byUnit(filterRows(t, { algorithm: 'fast-fedpg' }).filter((x) => x.reached), (x) => x.envStepsToReach as number);
        for (const a of algs(t)) {
          const mine = filterRows(t, { algorithm: a });
          const hit = mine.filter((x) => x.reached);
          const rounds = hit.length ? geometric(hit.map((x) => x.roundsToReach as number), r.level) : null;
          const mineRounds = byUnit(hit, (x) => x.roundsToReach as number);
          const ratio = a === 'fast-fedpg' || hit.length < 2 ? null : pairedRatio(mineRounds, fast, r.level, `rounds to ${fraction}·gap₀ of ${a} ÷ of Fast-FedPG`);
          const steps = oracle === 'sampled' && hit.length ? geometric(hit.map((x) => x.envStepsToReach as number), r.level) : null;
          const stepRatio = oracle === 'sampled' && a !== 'fast-fedpg' && hit.length >= 2 ? pairedRatio(byUnit(hit, (x) => x.envStepsToReach as number), fastSteps, r.level, 'ratio') : null;
          reach.push({ target: `${fraction}·gap₀`, algorithm: a, reached: `${hit.length}/${mine.length}`, rounds: rounds ? rounds.mean : NaN, roundsLo: rounds ? rounds.lo : NaN, roundsHi: rounds ? rounds.hi : NaN, '÷ Fast-FedPG (rounds)': ratio ? withInterval(ratio) : '', ...(oracle === 'sampled' ? { 'env steps': steps ? steps.mean : NaN, '÷ Fast-FedPG (env steps)': stepRatio ? withInterval(stepRatio) : '' } : {}) });
          if (oracle === 'exact' && fraction === 0.01 && a === 'fednpg' && ratio) r.claim('cmp-exact-fednpg-rounds', '', { ...ratio, statistic: `${ratio.statistic} (Garnets where both reached it)` });
        }
      }
      r.say(`Rounds (and environment steps) to reach 10% and 1% of the initial gap, first recorded round at or below it: geometric mean over the Garnets that reached it, ${pct}% log-space t-interval; "÷ Fast-FedPG" over the Garnets where both did. A run that did not reach it within its rounds is censored and counted in "reached" only.`);
      r.say();
      r.table(reach);
    }
  });
}
