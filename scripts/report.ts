/**
 * `npm run report [-- --budget quick|full]`: the numbers of the shipped experiments, as markdown, from their
 * saved results (data/results/<experiment>/<budget>/), written to build/report-<budget>.md and printed.
 * Every number in the README's results section comes from this output.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  filterRows,
  fitRate,
  groupBy,
  loadManifest,
  loadRows,
  markdownTable,
  plateau,
  rateReport,
  type Row,
  summarizeSeeds,
} from '../src/index';

const ROOT = join(__dirname, '..');
const budget = process.argv.includes('--budget') ? process.argv[process.argv.indexOf('--budget') + 1] : 'quick';
const dir = (name: string) => join(ROOT, 'data', 'results', name, budget);
const out: string[] = [`# fedpg-lab results (budget: ${budget})`, ''];
const say = (s = '') => out.push(s);

function provenance(name: string): string {
  const m = loadManifest(dir(name));
  const seeds = m.spec.seeds;
  return `_${m.totalJobs} runs, seeds ${Array.isArray(seeds) ? seeds.join(',') : `0..${seeds - 1}`}, fedpg-lab ${m.version}, git ${m.git.slice(0, 12)}_`;
}

function section(name: string, body: () => void): void {
  say(`## ${name}`);
  try {
    say(provenance(name));
    say();
    body();
  } catch (e) {
    say(`(not available: ${(e as Error).message})`);
  }
  say();
}

section('identity', () => {
  const rows = summarizeSeeds(loadRows(dir('identity')), { values: ['exactError', 'maxZ', 'meanZ2'], by: ['states', 'agents', 'entropy'] });
  const all = loadRows(dir('identity'));
  const worst = Math.max(...all.map((r) => r.exactError as number));
  say(`Largest |(1/N)Σ∇J_i − ∇J̄| over all ${all.length} problems: ${worst.toExponential(2)}. Sampled: mean z² ≈ 1 if the identity holds in expectation.`);
  say();
  say(markdownTable(rows.map((r) => ({ S: r.states, N: r.agents, tau: r.entropy, problems: r.n, maxExactError: Math.max(...filterRows(all, { states: r.states, agents: r.agents, entropy: r.entropy }).map((x) => x.exactError as number)), meanZ2: r.meanZ2_mean, meanZ2_lo: r.meanZ2_lo, meanZ2_hi: r.meanZ2_hi }))));
});

section('exact-linear', () => {
  const rows = loadRows(dir('exact-linear'));
  const table: Row[] = [];
  for (const { key, rows: r } of groupBy(rows, ['algorithm', 'localSteps'])) {
    const fit = fitRate(r, { x: 'round', y: 'gap', scale: 'semi-log', above: 1e-11 });
    const last = Math.max(...r.map((x) => x.round as number));
    const final = r.filter((x) => x.round === last).map((x) => x.gap as number);
    table.push({ ...key, ratePerRound: Math.exp(fit.slope), rateLo: Math.exp(fit.slopeCI[0]), rateHi: Math.exp(fit.slopeCI[1]), points: fit.n, finalGapMean: final.reduce((a, b) => a + b, 0) / final.length });
  }
  say('Gap contraction factor per round, exp(slope of log gap vs round) over rounds with gap > 1e-11, seed means:');
  say();
  say(markdownTable(table));
});

section('heterogeneity-bias', () => {
  const p = plateau(loadRows(dir('heterogeneity-bias')), { y: 'gap', lastFraction: 0.2 });
  say('Mean gap over the last 20% of rounds (plateau), mean over seeds (Garnets) with 95% CI:');
  say();
  say(markdownTable(p.map((r) => ({ algorithm: r.algorithm, H: r.localSteps, h: r.heterogeneity, seeds: r.n, plateau: r.plateau_mean, lo: r.plateau_lo, hi: r.plateau_hi }))));
});

for (const [name, y] of [['rate-theorem1', 'gap'], ['rate-theorem2', 'gradNormSqAvg']] as const) {
  section(name, () => {
    const rep = rateReport(loadRows(dir(name)), { y });
    say(`Slope of log ${y} after T rounds against log T, per N (seed means over T = the grid's rounds):`);
    say();
    say(markdownTable(rep.slopes));
    say();
    say(`Exponent of N in ${y} at the largest T (all N, and N ≥ 2):`);
    say();
    say(markdownTable(rep.speedups));
  });
}

const text = out.join('\n');
mkdirSync(join(ROOT, 'build'), { recursive: true });
writeFileSync(join(ROOT, 'build', `report-${budget}.md`), `${text}\n`);
console.log(text);
