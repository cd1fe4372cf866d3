import { FedPGError } from '../core/errors';
import { type Frame, filterRows, numberAt, type Row, toRows } from './frame';

/** Options of `excessOverControl`. */
export interface ControlOptions {
  /** The metric (e.g. 'gap', 'gradNormSqAvg'). */
  y: string;
  /** What marks a control row (default { oracle: 'exact' }: the noise-free run). */
  control?: Row;
  /** Columns on which a row and its control must agree (e.g. ['seed', 'agents', 'round', 'stepSize']). */
  match: readonly string[];
}

/**
 * Each non-control row with its paired control's value and the excess over it:
 *   `<y>_control` = y of the control row with the same `match` columns (the same seed, hence the same problem,
 *   N, T and step size), `<y>_excess` = y − y_control.
 * With an exact-gradient control this separates what noise adds (the excess) from what the schedule and the
 * problem give without noise. Object-valued columns (a step-size schedule) are matched by their JSON. A row
 * without a control is an error naming the row's match values.
 */
export function excessOverControl(frame: Frame, options: ControlOptions): Row[] {
  const rows = toRows(frame);
  const control = options.control ?? { oracle: 'exact' };
  const key = (r: Row) => JSON.stringify(options.match.map((m) => r[m] ?? null));
  const controls = new Map<string, Row>();
  for (const r of filterRows(rows, control)) {
    const k = key(r);
    if (controls.has(k)) throw new FedPGError(`excessOverControl: two control rows for ${k}`);
    controls.set(k, r);
  }
  const isControl = (r: Row) => Object.entries(control).every(([c, v]) => r[c] === v);
  return rows.filter((r) => !isControl(r)).map((r) => {
    const c = controls.get(key(r));
    if (!c) throw new FedPGError(`excessOverControl: no control row (${JSON.stringify(control)}) with ${options.match.join(', ')} = ${key(r)}`);
    const v = numberAt(r, options.y);
    const cv = numberAt(c, options.y);
    return { ...r, [`${options.y}_control`]: cv, [`${options.y}_excess`]: v - cv };
  });
}
