import { loadRows, meanCI, normalQuantile } from '../../src/index';
import { chanceAgreement, type ClaimEvidence, finalRows, groupBy, recoverySummary, type Row, wilsonInterval } from '../../src/analysis';
import { num, type Report, withInterval } from './context';
import { byUnit, pairedDifference } from './paired';

/** Each Garnet's restarts: the mean ARI over them, the first restart's ARI, and the ARI of the restart with the lowest own gap at the end (the best of R, chosen with the exact gap). */
export function perGarnet(rows: readonly Row[]): Row[] {
  return groupBy(rows, ['clusterInit', 'heterogeneity', 'oracle', 'batch', 'problemSeed']).map(({ key, rows: restarts }) => {
    const best = restarts.reduce((a, b) => ((b.agentGapMean as number) < (a.agentGapMean as number) ? b : a));
    const first = restarts.reduce((a, b) => ((b.seed as number) < (a.seed as number) ? b : a));
    return { ...key, ari: restarts.reduce((s, x) => s + (x.assignmentARI as number), 0) / restarts.length, firstARI: first.assignmentARI, bestARI: best.assignmentARI };
  });
}

/** Claim evidence for a proportion from its Wilson interval (standard error from the interval's width). */
function proportionEvidence(k: number, n: number, level: number, statistic: string): ClaimEvidence {
  const w = wilsonInterval(k, n, level);
  return { estimate: w.estimate, lo: w.lo, hi: w.hi, level, se: (w.hi - w.lo) / (2 * normalQuantile((1 + level) / 2)), df: Infinity, statistic };
}

/** cluster-recovery.json: IFCA's recovery of the true groups, ARI first, every M, both initialisations, against chance. */
export function clusterRecoverySection(r: Report): void {
  r.section('IFCA: recovery of the true clusters (cluster-recovery)', 'cluster-recovery', () => {
    const final = finalRows(loadRows(r.dir('cluster-recovery')));
    const pct = Math.round(r.level * 100);
    const truth = (final[0].agents as number) === 9 ? [0, 1, 2, 0, 1, 2, 0, 1, 2] : Array.from({ length: final[0].agents as number }, (_, i) => i % (final[0].rewardClusters as number));
    const chance = chanceAgreement(truth, final[0].clusters as number);
    const garnets = perGarnet(final);
    const nG = new Set(final.map((x) => x.problemSeed)).size;
    const restarts = new Set(final.map((x) => x.seed)).size;
    r.say(`Primary statistic: the adjusted Rand index (ARI) of the agents' picks at round ${final[0].round} against the true groups. The unit is the Garnet (${nG} of them, problemSeed); each is run from ${restarts} restart(s) (run seeds). Per Garnet: **one restart** (the mean ARI over its restarts: what a single run of IFCA is expected to give) and **best of ${restarts}** (the restart with the lowest own gap at the end, as IFCA's authors keep the best restart; the selection uses the exact gap, an oracle). Means over Garnets with ${pct}% t-intervals over Garnets (clipped to the ARI's range [−1, 1]); they have zero width when every Garnet gives the same ARI, so the table also gives the **share of Garnets recovered exactly** (ARI = 1, first restart) with its ${pct}% Wilson score interval, which is never of zero width (also at 0 of n and n of n) and keeps near its nominal coverage at n = ${nG}.`);
    r.say();
    r.say(`**Chance level** (picks made uniformly at random, independently of the truth; exact over all ${chance.assignments} assignments of ${truth.length} agents to ${final[0].clusters} models): ARI ${num(chance.ari)}, accuracy ${num(chance.accuracy)}, exact recovery with probability ${num(chance.exact)}. A run where every agent ends on one model scores ARI 0 and accuracy 1/3.`);
    r.say();
    const table: Row[] = [];
    const one = recoverySummary(final, { y: 'assignmentARI', level: r.level });
    const share = recoverySummary(final, { y: 'exactRecovery', level: r.level });
    const accuracy = recoverySummary(final, { y: 'assignmentAccuracy', level: r.level });
    const same = (a: Row, b: Row) => ['clusterInit', 'heterogeneity', 'oracle', 'batch'].every((k) => a[k] === b[k]);
    const cell = (x: Row, y: string) => withInterval({ estimate: x[`${y}_mean`] as number, lo: x[`${y}_lo`] as number, hi: x[`${y}_hi`] as number });
    const sorted = [...one].sort((a, b) => String(a.clusterInit).localeCompare(String(b.clusterInit)) || (a.heterogeneity as number) - (b.heterogeneity as number) || (a.oracle === 'exact' ? 1 : 0) - (b.oracle === 'exact' ? 1 : 0) || ((a.batch as number) ?? 0) - ((b.batch as number) ?? 0));
    for (const x of sorted) {
      const bestRows = garnets.filter((g) => same(g, x));
      const m = meanCI(bestRows.map((g) => g.bestARI as number), r.level);
      const sh = share.find((y) => same(y, x)) as Row;
      table.push({ init: x.clusterInit, h: x.heterogeneity, M: x.oracle === 'exact' ? 'exact' : x.batch, Garnets: x.n, 'ARI, one restart': cell(x, 'assignmentARI'), [`ARI, best of ${restarts}`]: withInterval({ estimate: m.mean, lo: Math.max(-1, m.lo), hi: Math.min(1, m.hi) }), 'exact recoveries (first restart)': `${Math.round((sh.exactRecovery_mean as number) * (sh.n as number))}/${sh.n} ${cell(sh, 'exactRecovery')}`, accuracy: cell(accuracy.find((y) => same(y, x)) as Row, 'assignmentAccuracy') });
    }
    r.table(table);
    const exact1 = (init: string) => garnets.filter((x) => x.clusterInit === init && x.oracle === 'exact' && x.heterogeneity === 1);
    const far = exact1('farthest');
    if (far.length) {
      const k = far.filter((x) => x.firstARI === 1).length;
      r.claim('ifca-farthest-exact-recovery', 'h = 1, exact', proportionEvidence(k, far.length, r.level, `share of ${far.length} Garnets with ARI = 1 at the last round (farthest-point seeds, exact values), ${pct}% Wilson score interval`));
      const rand = exact1('random');
      if (rand.length) r.claim('ifca-random-below-farthest', 'h = 1, exact', pairedDifference(byUnit(rand, (x) => x.ari as number, 'problemSeed'), byUnit(far, (x) => x.ari as number, 'problemSeed'), r.level, 'ARI(random, mean over restarts) − ARI(farthest-point)'));
    }
  });
}
