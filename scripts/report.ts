/**
 * `npm run report [-- --budget quick|full]`: the numbers of the shipped experiments, as markdown, from their
 * saved results (data/results/<experiment>/<budget>/), written to build/report-<budget>.md (and the judged
 * claims to build/claims-<budget>.json) and printed. `npm run report -- --docs` writes docs/results.md from
 * the claims files of every budget that has one. Every statistic names its unit of replication, the number
 * of units and the interval method; every claim is judged against the test data/claims.json states.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { baselinesSection, momentumFloorSection } from './report/baselines';
import { heterogeneityBiasSection, exactLinearSection, transitionBiasSection } from './report/bias';
import { claimsSection, resultsPage } from './report/claims';
import { clusterRecoverySection } from './report/clusters';
import { comparisonSection, comparisonTuningSection } from './report/comparison';
import { dittoTradeoffSection, matchedBudgetSection, personalizationSection } from './report/personalization';
import { Report, ROOT } from './report/context';
import { identitySection } from './report/identity';
import { theorem1LogFreeSection, theorem1Section, theorem2Section, transitionRatesSection } from './report/rates';
import { tauSection } from './report/tau';
import { tuningSection } from './report/tuning';
import { windySection } from './report/windy';

const args = process.argv.slice(2);
if (args.includes('--docs')) {
  writeFileSync(join(ROOT, 'docs', 'results.md'), `${resultsPage(['quick', 'full'])}\n`);
  console.log('wrote docs/results.md');
} else {
  const budget = args.includes('--budget') ? args[args.indexOf('--budget') + 1] : 'quick';
  const r = new Report(budget);
  r.say(`# fedpg-lab results (budget: ${budget})`);
  r.say();
  r.say(`Every interval is ${Math.round(r.level * 100)}%, the level the claims are judged at. Each table says which statistic it shows, over which unit of replication (a seed is one Garnet and one set of random streams unless said otherwise) and how many units; the figures of figures/${budget}/ show the same statistics with 95% intervals.`);
  r.say();
  for (const section of [identitySection, exactLinearSection, heterogeneityBiasSection, tuningSection, theorem1Section, theorem1LogFreeSection, theorem2Section, tauSection, transitionRatesSection, transitionBiasSection, windySection, baselinesSection, momentumFloorSection, comparisonTuningSection, comparisonSection, personalizationSection, clusterRecoverySection, dittoTradeoffSection, matchedBudgetSection]) section(r);
  claimsSection(r);
  const text = r.lines.join('\n');
  mkdirSync(join(ROOT, 'build'), { recursive: true });
  writeFileSync(join(ROOT, 'build', `report-${budget}.md`), `${text}\n`);
  writeFileSync(join(ROOT, 'build', `claims-${budget}.json`), `${JSON.stringify(r.judged, null, 1)}\n`);
  console.log(text);
}
