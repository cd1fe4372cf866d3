import type { Row } from './frame';

/** A claim's estimate with its interval, tested against a null value. */
export interface ClaimInput {
  claim: string;
  estimate: number;
  lo: number;
  hi: number;
  /** What the estimate and interval are (analysis/statistic.ts `describeStatistic`). */
  statistic: string;
  /** The null value and what it would mean ("no bias", "slope −1 as Theorem 1 states"). */
  nullValue: number;
  nullMeaning: string;
  /**
   * 'exclude': the claim needs the interval to exclude the null (an effect exists); 'contain': the claim is
   * that the null holds, so an interval containing it is consistent with the claim (not a proof).
   */
  needs: 'exclude' | 'contain';
}

/** A claim's verdict at one budget. */
export interface ClaimVerdict extends ClaimInput {
  containsNull: boolean;
  /** 'resolved' when the interval does what the claim needs; 'not resolved' otherwise (or no interval). */
  verdict: 'resolved' | 'not resolved';
  /** Plain words for the report. */
  says: string;
}

/**
 * Whether a claim's interval [lo, hi] contains its null value, and whether that resolves the claim at the
 * budget it was computed at. An interval that is not finite (one seed) resolves nothing.
 */
export function checkClaim(c: ClaimInput): ClaimVerdict {
  const finite = Number.isFinite(c.lo) && Number.isFinite(c.hi);
  const containsNull = !finite || (c.lo <= c.nullValue && c.nullValue <= c.hi);
  const resolved = finite && (c.needs === 'exclude' ? !containsNull : containsNull);
  const says = !finite
    ? 'no interval: this budget does not resolve it'
    : c.needs === 'exclude'
      ? containsNull
        ? `the interval contains the null (${c.nullMeaning}): this budget does not resolve it`
        : `the interval excludes the null (${c.nullMeaning})`
      : containsNull
        ? `consistent with the null (${c.nullMeaning}), which is the claim`
        : `the interval excludes ${c.nullMeaning}: the claim fails at this budget`;
  return { ...c, containsNull, verdict: resolved ? 'resolved' : 'not resolved', says };
}

/** Claim verdicts as report rows (numbers kept; the report formats them). */
export function claimRows(verdicts: readonly ClaimVerdict[]): Row[] {
  return verdicts.map((v) => ({ claim: v.claim, estimate: v.estimate, lo: v.lo, hi: v.hi, statistic: v.statistic, null: v.nullValue, containsNull: v.containsNull, verdict: v.verdict, says: v.says }));
}
