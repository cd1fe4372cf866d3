import { fail } from '../core/check';
import { erfc, studentTCdf, studentTQuantile } from '../core/stats';
import type { Row } from './frame';

/**
 * What a claim asserts about a quantity, stated before the data are seen:
 * - 'equivalence': the quantity lies within `margin` of `value` (the theory's value), e.g. a slope −1 ± 0.1;
 * - 'above' / 'below': the quantity exceeds / stays below `value` (an effect at least as large as a stated
 *   smallest effect that matters, or a check such as "error below 1e-12").
 */
export type ClaimTest =
  | { kind: 'equivalence'; value: number; margin: number }
  | { kind: 'above'; value: number }
  | { kind: 'below'; value: number };

/** The evidence for a claim: an estimate with its interval at level 1 − 2α (90% for α = 0.05). */
export interface ClaimEvidence {
  estimate: number;
  lo: number;
  hi: number;
  /** Level of [lo, hi]; two one-sided tests at α need 1 − 2α. */
  level: number;
  /** Standard error of the estimate (for the power); 0 for an exact, deterministic quantity. */
  se: number;
  /** Degrees of freedom behind the interval (Infinity for a normal or exact one). */
  df: number;
  /** What the estimate and interval are: the statistic, the unit of replication, the number of units, the method. */
  statistic: string;
  /**
   * The interval was made on ln(estimate) (a geometric mean with a log-space interval): `se` and `df` are then
   * those of the log, and the power is computed on that scale. The verdict does not depend on it.
   */
  logScale?: boolean;
}

/** A claim's verdict. */
export interface ClaimVerdict {
  test: ClaimTest;
  evidence: ClaimEvidence;
  /**
   * 'supported': the interval lies inside the claim's region (equivalence shown, or the effect shown beyond its
   * threshold); 'contradicted': the interval lies entirely outside it; 'unresolved': neither. Only a
   * supported claim counts as resolved.
   */
  verdict: 'supported' | 'contradicted' | 'unresolved';
  /**
   * The chance that a replication at this budget would be 'supported' if the truth were the theory's value
   * (equivalence) or the estimate (above/below), with the observed standard error: see `claimPower`.
   */
  power: number;
  /** The region the interval must lie in, as text ("[−1.1, −0.9]", "> 0.001"). */
  region: string;
}

/** The claim's region [lower, upper] (one side infinite for 'above'/'below'). */
export function claimRegion(test: ClaimTest): [number, number] {
  switch (test.kind) {
    case 'equivalence':
      return [test.value - test.margin, test.value + test.margin];
    case 'above':
      return [test.value, Infinity];
    case 'below':
      return [-Infinity, test.value];
  }
}

function checkTest(test: ClaimTest): void {
  if (!['equivalence', 'above', 'below'].includes(test?.kind)) fail('test.kind', test?.kind, "must be 'equivalence', 'above' or 'below'");
  if (!Number.isFinite(test.value)) fail('test.value', test.value, 'must be a finite number');
  if (test.kind === 'equivalence' && !(test.margin > 0 && Number.isFinite(test.margin))) fail('test.margin', test.margin, 'must be a finite number > 0');
}

/**
 * Judge a claim (equivalence testing by two one-sided tests, TOST; Schuirmann 1987): with [lo, hi] the
 * (1 − 2α) interval of the estimate and [L, U] the claim's region,
 *   supported    ⇔ L < lo and hi < U              (both one-sided tests reject "outside the region" at α),
 *   contradicted ⇔ hi < L or lo > U                (the interval excludes the whole region),
 *   unresolved   otherwise (including an interval that is not finite: one unit, or no data).
 * A wider interval (fewer units) can only move a claim towards 'unresolved': imprecision never passes.
 */
export function judgeClaim(test: ClaimTest, evidence: ClaimEvidence): ClaimVerdict {
  checkTest(test);
  const [L, U] = claimRegion(test);
  const { lo, hi } = evidence;
  const finite = !Number.isNaN(lo) && !Number.isNaN(hi) && lo <= hi;
  const verdict = !finite ? 'unresolved' : L < lo && hi < U ? 'supported' : hi < L || lo > U ? 'contradicted' : 'unresolved';
  const anticipated = test.kind === 'equivalence' ? test.value : evidence.estimate;
  return { test, evidence, verdict, power: claimPower(test, evidence, anticipated), region: regionText(test) };
}

function regionText(test: ClaimTest): string {
  const g = (x: number) => String(Number(x.toPrecision(3)));
  if (test.kind === 'equivalence') return `${g(test.value)} ± ${g(test.margin)}: [${g(test.value - test.margin)}, ${g(test.value + test.margin)}]`;
  return test.kind === 'above' ? `> ${g(test.value)}` : `< ${g(test.value)}`;
}

/**
 * The power of the claim's check at this budget: the probability that the (1 − 2α) interval
 * est ± t·se lies inside the region [L, U] when est ~ v + se·T_df (T_df Student-t, t = t_{(1+level)/2, df}):
 *   P(L + t·se < est < U − t·se) = F((U − t·se − v)/se) − F((L + t·se − v)/se),   clipped at 0.
 * It treats the standard error as known (the observed one), so it is an approximation; v is the theory's
 * value for an equivalence claim and the estimate for a one-sided one. An exact quantity (se = 0) has power 1
 * when v lies inside the region, else 0. With `logScale` the computation is on ln(estimate) and ln of the region.
 */
export function claimPower(test: ClaimTest, evidence: Pick<ClaimEvidence, 'se' | 'df' | 'level' | 'logScale'>, anticipated: number): number {
  const region = claimRegion(test);
  const log = evidence.logScale === true;
  const [L, U] = log ? region.map((x) => (x > 0 ? Math.log(x) : x === Infinity ? Infinity : -Infinity)) : region;
  if (log) anticipated = anticipated > 0 ? Math.log(anticipated) : -Infinity;
  const { se, df, level } = evidence;
  if (se === 0) return L < anticipated && anticipated < U ? 1 : 0;
  if (!(se > 0)) return NaN;
  const cdf = Number.isFinite(df) ? (x: number) => studentTCdf(x, df) : (x: number) => 0.5 * erfc(-x / Math.SQRT2);
  const t = studentTQuantile((1 + level) / 2, Number.isFinite(df) ? df : Infinity);
  const upper = U === Infinity ? 1 : cdf((U - t * se - anticipated) / se);
  const lower = L === -Infinity ? 0 : cdf((L + t * se - anticipated) / se);
  return Math.max(0, upper - lower);
}

/** Claim verdicts as report rows (numbers kept; the report formats them). */
export function claimRows(verdicts: readonly (ClaimVerdict & { claim: string })[]): Row[] {
  return verdicts.map((v) => ({ claim: v.claim, estimate: v.evidence.estimate, lo: v.evidence.lo, hi: v.evidence.hi, level: v.evidence.level, region: v.region, verdict: v.verdict, power: v.power, statistic: v.evidence.statistic }));
}
