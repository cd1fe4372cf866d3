/**
 * What a reported number is: which mean, which interval, at which level, over how many seeds. Every summary
 * that a figure draws or the report prints carries one, so a reader never has to guess whether "mean" was
 * arithmetic or geometric, or whether an interval is a t-interval or a bootstrap.
 */

/** The centre of a summary. */
export type Centre = 'arithmetic mean' | 'geometric mean' | 'median';

/** How its interval was made. */
export type IntervalKind = 't-interval' | 'log-space t-interval' | 'percentile bootstrap' | 'OLS t-interval' | 'none';

/** A statistic's description. */
export interface Statistic {
  centre: Centre;
  interval: IntervalKind;
  /** Confidence level of the interval (0.95 for 95%). */
  level: number;
  /** Number of independent units (seeds, problems) the statistic is over. */
  n: number;
  /** What one unit is (default 'seeds'). */
  unit?: string;
  /** Bootstrap resamples, when the interval is a bootstrap. */
  resamples?: number;
}

/** "geometric mean over 4 seeds, 95% log-space t-interval" (a range of n when summaries differ, e.g. "3–4 seeds"). */
export function describeStatistic(s: Statistic | { centre: Centre; interval: IntervalKind; level: number; n: readonly number[]; unit?: string; resamples?: number }): string {
  const ns = Array.isArray(s.n) ? (s.n as number[]) : [s.n as number];
  const lo = Math.min(...ns);
  const hi = Math.max(...ns);
  const count = lo === hi ? String(lo) : `${lo}–${hi}`;
  const unit = s.unit ?? (hi === 1 ? 'seed' : 'seeds');
  if (s.interval === 'none') return `${s.centre} over ${count} ${unit}`;
  const interval = hi < 2 ? 'no interval (one seed)' : `${Math.round(s.level * 100)}% ${s.interval}${s.interval === 'percentile bootstrap' && s.resamples ? ` (${s.resamples} resamples)` : ''}`;
  return `${s.centre} over ${count} ${unit}, ${interval}`;
}
