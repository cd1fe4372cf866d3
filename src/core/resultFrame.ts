import type { DataFrame, Series } from 'danfojs-node';

/**
 * A Danfo DataFrame of result rows (a run's history, a comparison, a results folder), typed so that a first
 * guess works: `df['round']` (and `df.round`) is the `round` column, a Series. Danfo declares a method
 * `round(dp)` whose type would otherwise be what `df['round']` is (at run time the column is: Danfo defines
 * each column as a property of its frame, which hides the method; round values with `df.applyMap`). The
 * row-wise operations keep the type (`head`, `tail`, `query`, `sortValues`, `copy`, `iloc`, `loc`); a frame
 * they return without the `round` column has Danfo's method under that name again.
 */
export interface ResultFrame extends DataFrame {
  /** The round t of each row. */
  readonly round: Series & DataFrame['round'];
  head(rows?: number): ResultFrame;
  tail(rows?: number): ResultFrame;
  query(condition: Series | boolean[], options?: { inplace?: boolean }): ResultFrame;
  sortValues(column: string, options?: { ascending?: boolean; inplace?: boolean }): ResultFrame;
  copy(): ResultFrame;
  iloc(selection: { rows?: (string | number | boolean)[] | Series; columns?: (string | number)[] }): ResultFrame;
  loc(selection: { rows?: (string | number | boolean)[] | Series; columns?: string[] }): ResultFrame;
}
