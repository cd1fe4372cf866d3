import { loadRows, meanCI, summarizeSeeds } from '../../src/index';
import { filterRows } from '../../src/analysis';
import { exactEvidence, num, type Report, withInterval } from './context';

/** The helper lemma: exactly (largest error) and in expectation (share of |z| ≤ 1.96 per problem). */
export function identitySection(r: Report): void {
  r.section('Helper lemma (identity)', 'identity', () => {
    const all = loadRows(r.dir('identity'));
    const worst = Math.max(...all.map((x) => x.exactError as number));
    r.claim('identity-exact', '', exactEvidence(worst, r.level, `largest of max_k |(1/N)Σ_i ∇J_i − ∇J̄|_k over ${all.length} problems (each seed a new Garnet and θ)`));
    const shares = all.map((x) => (x.within as number) / (x.coordinates as number));
    const ci = meanCI(shares, r.level);
    const statistic = `mean over ${ci.n} problems of the per-problem share of coordinates with |z| ≤ 1.96, ${Math.round(r.level * 100)}% t-interval over problems (${ci.n - 1} df)`;
    r.claim('identity-sampled', '', { estimate: ci.mean, lo: ci.lo, hi: ci.hi, level: r.level, se: ci.se, df: ci.n - 1, statistic });
    r.say(`Exact: the largest error over all ${all.length} problems is ${worst.toExponential(2)}. Sampled (GPOMDP, z against the averaged MDP's exact truncated gradient ∇J̄_K, sd from the agents' own trajectories): share of coordinates with |z| ≤ 1.96 ${withInterval({ estimate: ci.mean, lo: ci.lo, hi: ci.hi })} (${statistic}).`);
    r.say();
    const per = summarizeSeeds(all.map((x) => ({ ...x, share: (x.within as number) / (x.coordinates as number) })), { values: ['share', 'meanZ2'], by: ['states', 'agents', 'entropy'], level: r.level });
    r.say(`Per setting (${per[0]?.share_statistic} per setting): share within ±1.96 and mean z² (mean z² exceeds 1 because each z divides by a standard deviation estimated from the same trajectories).`);
    r.say();
    r.table(per.map((x) => ({ S: x.states, N: x.agents, tau: x.entropy, problems: x.n, maxExactError: Math.max(...filterRows(all, { states: x.states, agents: x.agents, entropy: x.entropy }).map((y) => y.exactError as number)), share: x.share_mean, shareLo: x.share_lo, shareHi: x.share_hi, meanZ2: num(x.meanZ2_mean as number) })));
  });
}
