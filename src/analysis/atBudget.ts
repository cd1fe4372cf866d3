import { FedPGError } from '../core/errors';
import { type Frame, groupBy, numberAt, type Row, toRows } from './frame';

/**
 * Each run (job) read at a budget: the last recorded row whose `column` (e.g. 'envSteps', 'round',
 * 'messages') is at most `budget`, with `<column>AtBudget` = that row's value. Comparing algorithms at a
 * matched budget of environment steps means reading each one here, not at a common round: per round they
 * sample different numbers of trajectories. A run whose first recorded row after round 0 is already over the
 * budget is an error naming the run.
 */
export function atBudget(frame: Frame, column: string, budget: number): Row[] {
  return groupBy(toRows(frame), ['job']).map(({ key, rows }) => {
    const inside = rows.filter((r) => numberAt(r, column) <= budget).sort((a, b) => numberAt(a, 'round') - numberAt(b, 'round'));
    const last = inside[inside.length - 1];
    if (!last || numberAt(last, 'round') === 0) throw new FedPGError(`atBudget: run ${String(key.job)} has no recorded round with ${column} ≤ ${budget}`);
    return { ...last, [`${column}AtBudget`]: numberAt(last, column) };
  });
}

/**
 * The largest budget every run reaches: min over runs of the largest `column` they recorded. For a matched
 * comparison that the shortest run still covers.
 */
export function commonBudget(frame: Frame, column: string): number {
  const runs = groupBy(toRows(frame), ['job']);
  if (runs.length === 0) throw new FedPGError('commonBudget: no rows');
  return Math.min(...runs.map(({ rows }) => Math.max(...rows.map((r) => numberAt(r, column)))));
}
