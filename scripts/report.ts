/**
 * `npm run report [-- --budget quick|full]`: the numbers of the shipped experiments, as markdown, from their
 * saved results (data/results/<experiment>/<budget>/), written to build/report-<budget>.md and printed.
 * Every number in the README's results section comes from this output. Every summary names its statistic
 * (the same one the figures draw), and the claims section flags every interval that contains its null.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fitRate, loadRows, meanCI, summarizeSeeds } from '../src/index';
import { loadManifest } from '../src/experiments';
import {
  checkClaim, type ClaimInput, type ClaimVerdict, describeStatistic, filterRows, finalRows, groupBy, markdownTable, pairedComparison, plateau, PlateauError, rateReport, type Row, runPlateaus,
} from '../src/analysis';
import { formatNumber } from '../src/plot';

const ROOT = join(__dirname, '..');
const budget = process.argv.includes('--budget') ? process.argv[process.argv.indexOf('--budget') + 1] : 'quick';
const dir = (name: string) => join(ROOT, 'data', 'results', name, budget);
const out: string[] = [`# fedpg-lab results (budget: ${budget})`, '', 'All intervals are 95%. Each table says which mean and which interval it shows; the figures of `figures/<budget>/` draw the same statistics.', ''];
const say = (s = '') => out.push(s);
const claims: ClaimVerdict[] = [];
const claim = (c: ClaimInput) => claims.push(checkClaim(c));
const num = (x: number) => formatNumber(x, { significant: 3, target: 'text' });

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
  const all = loadRows(dir('identity'));
  const rows = summarizeSeeds(all, { values: ['meanZ2'], by: ['states', 'agents', 'entropy'] });
  const worst = Math.max(...all.map((r) => r.exactError as number));
  say(`Largest |(1/N)Σ∇J_i − ∇J̄| over all ${all.length} problems (${rows.length} settings × seeds): ${worst.toExponential(2)}. Sampled: mean z² ≈ 1 if the identity holds in expectation.`);
  say();
  say(`meanZ2: ${rows[0]?.meanZ2_statistic} per setting.`);
  say();
  say(markdownTable(rows.map((r) => ({ S: r.states, N: r.agents, tau: r.entropy, problems: r.n, maxExactError: Math.max(...filterRows(all, { states: r.states, agents: r.agents, entropy: r.entropy }).map((x) => x.exactError as number)), meanZ2: r.meanZ2_mean, meanZ2_lo: r.meanZ2_lo, meanZ2_hi: r.meanZ2_hi }))));
  const z = meanCI(all.map((r) => r.meanZ2 as number));
  say();
  say('Each z divides by a standard deviation estimated from the same M trajectories, so mean z² = 1 holds only approximately; notebook 02 repeats the estimate R times and checks the identity in expectation against the exact truncated gradient instead.');
  claim({ claim: 'identity sweep, sampled: mean z² of the agents\' mean estimate against the averaged MDP\'s, over all problems', estimate: z.mean, lo: z.lo, hi: z.hi, statistic: describeStatistic({ centre: 'arithmetic mean', interval: 't-interval', level: 0.95, n: z.n, unit: 'problems' }), nullValue: 1, nullMeaning: 'mean z² = 1, the identity', needs: 'contain' });
});

section('exact-linear', () => {
  const rows = loadRows(dir('exact-linear'));
  const table: Row[] = [];
  for (const { key, rows: r } of groupBy(rows, ['algorithm', 'localSteps'])) {
    const last = Math.max(...r.map((x) => x.round as number));
    const final = summarizeSeeds(r.filter((x) => x.round === last), { values: ['gap'], by: ['algorithm'], log: true, floor: 1e-16 })[0];
    try {
      const fit = fitRate(r, { x: 'round', y: 'gap', scale: 'semi-log', above: 1e-11, mean: 'geometric', plateau: 'refuse' });
      table.push({ ...key, ratePerRound: Math.exp(fit.slope), rateLo: Math.exp(fit.slopeCI[0]), rateHi: Math.exp(fit.slopeCI[1]), rounds: `${fit.window.from}–${fit.window.to}`, points: fit.n, finalGap: final.gap_mean, note: '' });
      if (key.algorithm === 'fast-fedpg') claim({ claim: `exact gradients, τ = 1: Fast-FedPG H = ${key.localSteps} contraction per round`, estimate: Math.exp(fit.slope), lo: Math.exp(fit.slopeCI[0]), hi: Math.exp(fit.slopeCI[1]), statistic: `exp(OLS slope of ln gap on t), ${fit.pointStatistic} per point, 95% OLS t-interval (rounds ${fit.window.from}–${fit.window.to})`, nullValue: 1, nullMeaning: 'no linear convergence', needs: 'exclude' });
    } catch (e) {
      if (!(e instanceof PlateauError)) throw e;
      table.push({ ...key, ratePerRound: NaN, rateLo: NaN, rateHi: NaN, rounds: '—', points: 0, finalGap: final.gap_mean, note: `no rate: ${e.message.replace(/^fitRate: /, '')}` });
    }
  }
  say('Gap contraction factor per round: exp(slope of ln gap against t), fitted to the geometric mean over seeds at each round, over rounds with gap > 1e-11; a curve that has stopped falling (analysis/plateau.ts `detectPlateau`) gets no rate, and says why. finalGap: geometric mean over seeds at the last round.');
  say();
  say(markdownTable(table));
});

section('heterogeneity-bias', () => {
  const rows = loadRows(dir('heterogeneity-bias'));
  const p = plateau(rows, { y: 'gap', lastFraction: 0.2, log: true });
  say(`Plateau: per run, the mean gap over the last 20% of rounds; per setting, ${p[0]?.plateau_statistic?.toString().replace(/over \d+ seeds/, 'over seeds (Garnets)')} (as fig3 draws it):`);
  say();
  say(markdownTable(p.map((r) => ({ algorithm: r.algorithm, H: r.localSteps, h: r.heterogeneity, seeds: r.n, plateau: r.plateau_mean, lo: r.plateau_lo, hi: r.plateau_hi }))));
  say();
  // Paired by seed: each seed is one Garnet, run by every algorithm.
  const levels = runPlateaus(rows, { y: 'gap', lastFraction: 0.2 });
  const hmax = Math.max(...rows.map((r) => r.heterogeneity as number));
  const Hmax = Math.max(...rows.map((r) => r.localSteps as number));
  const bySeed = (algorithm: string) => filterRows(levels, { algorithm, localSteps: Hmax, heterogeneity: hmax }).sort((a, b) => (a.seed as number) - (b.seed as number)).map((r) => r.gap_plateau as number);
  const fedavg = bySeed('fedavg-pg');
  const fast = bySeed('fast-fedpg');
  const cmp = pairedComparison(fedavg, fast);
  say(`FedAvg-PG against Fast-FedPG at H = ${Hmax}, h = ${hmax}, paired by Garnet (${cmp.n} seeds): plateau ratio ${num(cmp.ratio.mean)} [${num(cmp.ratio.lo)}, ${num(cmp.ratio.hi)}] (${cmp.ratioStatistic}); difference ${num(cmp.difference.mean)} [${num(cmp.difference.lo)}, ${num(cmp.difference.hi)}] (${cmp.differenceStatistic}).`);
  const g = filterRows(p, { algorithm: 'fedavg-pg', localSteps: Hmax, heterogeneity: hmax })[0];
  claim({ claim: `FedAvg-PG stalls: plateau − Fast-FedPG's, H = ${Hmax}, h = ${hmax} (FedAvg-PG's plateau ${num(g.plateau_mean as number)} [${num(g.plateau_lo as number)}, ${num(g.plateau_hi as number)}], ${g.plateau_statistic})`, estimate: cmp.difference.mean, lo: cmp.difference.lo, hi: cmp.difference.hi, statistic: cmp.differenceStatistic, nullValue: 0, nullMeaning: 'no bias: both settle at the same gap', needs: 'exclude' });
  claim({ claim: `FedAvg-PG stalls: plateau ratio FedAvg-PG / Fast-FedPG, H = ${Hmax}, h = ${hmax}`, estimate: cmp.ratio.mean, lo: cmp.ratio.lo, hi: cmp.ratio.hi, statistic: cmp.ratioStatistic, nullValue: 1, nullMeaning: 'no bias: ratio 1', needs: 'exclude' });
});

for (const [name, y, theorem, slopeNull, exponentNull] of [['rate-theorem1', 'gap', 'Theorem 1', -1, -1], ['rate-theorem2', 'gradNormSqAvg', 'Theorem 2', -0.5, -0.5]] as const) {
  section(name, () => {
    const rep = rateReport(loadRows(dir(name)), { y, mean: 'geometric' });
    say(`Slope of ln ${y} after T rounds against ln T, per N: OLS on the geometric means over seeds at each T (as the figures), 95% OLS t-interval; rows whose curve has flattened say so (plateau).`);
    say();
    say(markdownTable(rep.slopes));
    say();
    say(`Exponent of N in ${y} at the largest T (all N, and N ≥ 2): OLS of ln(geometric mean over seeds) on ln N, 95% t-interval. The speedup figures show minus this exponent (speedup ∝ N^−exponent).`);
    say();
    say(markdownTable(rep.speedups));
    // Claims are about the sampled runs; the exact-oracle runs are the noise-free control (reported above).
    for (const s of rep.slopes.filter((r) => r.oracle !== 'exact')) {
      const series = ['oracle', 'batch'].filter((k) => k in s).map((k) => `${k} ${s[k]}`).join(', ');
      claim({ claim: `${theorem}: slope in T, ${series}, N = ${s.agents}`, estimate: s.slope as number, lo: s.slopeLo as number, hi: s.slopeHi as number, statistic: `OLS slope over T ${s.from}–${s.to}, geometric means over seeds, 95% t-interval`, nullValue: slopeNull, nullMeaning: `slope ${slopeNull === -1 ? '−1' : '−½'}, the theorem's rate`, needs: 'contain' });
    }
    for (const s of rep.speedups.filter((r) => r.oracle !== 'exact')) {
      const series = ['oracle', 'batch'].filter((k) => k in s).map((k) => `${k} ${s[k]}`).join(', ');
      const stat = `OLS exponent of N (N ≥ ${s.agentsFrom}) at T = ${s.at}, geometric means over seeds, 95% t-interval`;
      claim({ claim: `${theorem}: exponent of N, ${series} (N ≥ ${s.agentsFrom}), vs no speedup`, estimate: s.exponentFrom as number, lo: s.exponentFromLo as number, hi: s.exponentFromHi as number, statistic: stat, nullValue: 0, nullMeaning: 'no speedup in N', needs: 'exclude' });
      claim({ claim: `${theorem}: exponent of N, ${series} (N ≥ ${s.agentsFrom}), vs the theorem's`, estimate: s.exponentFrom as number, lo: s.exponentFromLo as number, hi: s.exponentFromHi as number, statistic: stat, nullValue: exponentNull, nullMeaning: `exponent ${exponentNull === -1 ? '−1 (N-fold)' : '−½ (√N-fold)'}`, needs: 'contain' });
    }
  });
}

// Agents whose transitions differ (docs/heterogeneous-transitions.md): Theorem 2 under κ, FedAvg-PG's bias
// against κ, the windy cliff.
section('transition-rates', () => {
  const rep = rateReport(loadRows(dir('transition-rates')), { y: 'gradNormSqAvg', by: ['transitionHeterogeneity'], mean: 'geometric' });
  say('Theorem 2 under transition heterogeneity κ: exponent of N in (1/T) Σ ‖∇J‖² at the largest T (all N, and N ≥ 2: at N = 1 there is no transition heterogeneity), OLS of ln(geometric mean over seeds) on ln N, 95% t-interval; then the slope in T per κ and N.');
  say();
  say(markdownTable(rep.speedups));
  say();
  say(markdownTable(rep.slopes));
  for (const s of rep.speedups) {
    const stat = `OLS exponent of N (N ≥ ${s.agentsFrom}) at T = ${s.at}, geometric means over seeds, 95% t-interval`;
    claim({ claim: `Theorem 2 under κ = ${s.transitionHeterogeneity}: exponent of N (N ≥ ${s.agentsFrom}), vs no speedup`, estimate: s.exponentFrom as number, lo: s.exponentFromLo as number, hi: s.exponentFromHi as number, statistic: stat, nullValue: 0, nullMeaning: 'no speedup in N', needs: 'exclude' });
    claim({ claim: `Theorem 2 under κ = ${s.transitionHeterogeneity}: exponent of N (N ≥ ${s.agentsFrom}), vs the theorem's`, estimate: s.exponentFrom as number, lo: s.exponentFromLo as number, hi: s.exponentFromHi as number, statistic: stat, nullValue: -0.5, nullMeaning: 'exponent −½ (√N-fold)', needs: 'contain' });
  }
});

section('transition-bias', () => {
  const final = finalRows(loadRows(dir('transition-bias')));
  const table = summarizeSeeds(final, { values: ['gradNormSq'], by: ['algorithm', 'heterogeneity', 'transitionHeterogeneity'], log: true, floor: 1e-30 });
  say(`Final ‖∇J_τ(θ̄ᵀ)‖² (exact gradients: FedAvg-PG's floor, Fast-FedPG's control), ${table[0]?.gradNormSq_statistic?.toString().replace(/over \d+ seeds/, 'over seeds (Garnets)')}, values below 1e-30 counted as 1e-30:`);
  say();
  say(markdownTable(table.map((r) => ({ algorithm: r.algorithm, h: r.heterogeneity, kappa: r.transitionHeterogeneity, seeds: r.n, gradNormSq: r.gradNormSq_mean, lo: r.gradNormSq_lo, hi: r.gradNormSq_hi }))));
  say();
  const fits = [...new Set(final.map((r) => r.heterogeneity as number))].map((h) => {
    const fit = fitRate(filterRows(final, { algorithm: 'fedavg-pg', heterogeneity: h }).filter((r) => (r.transitionHeterogeneity as number) > 0), { x: 'transitionHeterogeneity', y: 'gradNormSq', mean: 'geometric', plateau: 'keep' });
    return { h, exponentOfKappa: fit.slope, lo: fit.slopeCI[0], hi: fit.slopeCI[1], points: fit.n };
  });
  say('FedAvg-PG: exponent of κ in its floor, OLS of ln(geometric mean over Garnets) on ln κ over κ > 0, 95% t-interval:');
  say();
  say(markdownTable(fits));
  const kmax = Math.max(...final.map((r) => r.transitionHeterogeneity as number));
  const bySeed = (algorithm: string) => filterRows(final, { algorithm, heterogeneity: 0, transitionHeterogeneity: kmax }).sort((a, b) => (a.seed as number) - (b.seed as number)).map((r) => r.gradNormSq as number);
  const cmp = pairedComparison(bySeed('fedavg-pg'), bySeed('fast-fedpg'), { floor: 1e-30 });
  say();
  say(`FedAvg-PG against Fast-FedPG with identical rewards (h = 0) at κ = ${kmax}, paired by Garnet (${cmp.n}): ratio ${num(cmp.ratio.mean)} [${num(cmp.ratio.lo)}, ${num(cmp.ratio.hi)}] (${cmp.ratioStatistic}).`);
  claim({ claim: `transition heterogeneity alone (h = 0, κ = ${kmax}) biases FedAvg-PG: final ‖∇J‖² ratio FedAvg-PG / Fast-FedPG`, estimate: cmp.ratio.mean, lo: cmp.ratio.lo, hi: cmp.ratio.hi, statistic: cmp.ratioStatistic, nullValue: 1, nullMeaning: 'no bias: ratio 1', needs: 'exclude' });
});

section('windy-cliff', () => {
  const final = finalRows(loadRows(dir('windy-cliff')));
  say('Windy cliff, exact gradients, one deterministic run per configuration: J and ‖∇J_τ‖² after the last round.');
  say();
  say(markdownTable(final.map((r) => ({ algorithm: r.algorithm, wind: r.wind, T: r.round, J: r.J, gradNormSq: r.gradNormSq }))));
});

say('## Claims at this budget');
say();
say('Each claim against its null value. ⚠ marks every interval that contains its null. "resolved" means the interval does what the claim needs: excludes the null for an effect, contains it for "the theory\'s value holds" (consistent, not proven).');
say();
say(markdownTable(claims.map((c) => ({ claim: c.claim, estimate: num(c.estimate), interval: `[${num(c.lo)}, ${num(c.hi)}]`, null: num(c.nullValue), flag: c.containsNull ? '⚠ contains null' : '', verdict: c.verdict, 'what it says': c.says, statistic: c.statistic }))));
say();
const unresolved = claims.filter((c) => c.verdict !== 'resolved');
say(`${claims.length - unresolved.length} of ${claims.length} claims resolved at the ${budget} budget${unresolved.length ? `; not resolved: ${unresolved.map((c) => c.claim).join('; ')}` : ''}.`);

const text = out.join('\n');
mkdirSync(join(ROOT, 'build'), { recursive: true });
writeFileSync(join(ROOT, 'build', `report-${budget}.md`), `${text}\n`);
console.log(text);
