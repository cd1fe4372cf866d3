import type { DataFrame } from 'danfojs-node';
import { FedPGError } from '../core/errors';
import { danfo } from '../core/optional';
import type { ResultFrame } from '../core/resultFrame';

/** One tidy row: column name → value (the rows sweeps write, experiments/job.ts). */
export type Row = Record<string, number | string | boolean>;

/** What analysis functions accept: a Danfo DataFrame or plain rows. */
export type Frame = DataFrame | readonly Row[];

/** The rows of a frame (a DataFrame is read through its `columns` and `values`). */
export function toRows(frame: Frame): Row[] {
  if (Array.isArray(frame)) return frame as Row[];
  const df = frame as DataFrame;
  const columns = df.columns as string[];
  const values = df.values as unknown[][];
  return values.map((v) => Object.fromEntries(columns.map((c, j) => [c, v[j] as number | string | boolean])));
}

/**
 * Rows as a Danfo DataFrame (loaded on first use: TensorFlow.js takes ≈ 2 s), typed as a `ResultFrame`:
 * `df['round']` is the rows' `round` column (result rows of runs all have one).
 */
export function toFrame(rows: readonly Row[]): ResultFrame {
  return new (danfo('toFrame (a Danfo DataFrame)').DataFrame)(rows as Row[]) as ResultFrame;
}

/** A numeric column of a row, or an error naming the column (and listing what the row has). */
export function numberAt(row: Row, column: string): number {
  const v = row[column];
  if (typeof v !== 'number') {
    if (!(column in row)) throw new FedPGError(`column "${column}" is missing (the rows have: ${Object.keys(row).join(', ')})`);
    throw new FedPGError(`column "${column}" is not numeric (got ${JSON.stringify(v)})`);
  }
  return v;
}

/** Columns that identify one run of a sweep (not a parameter of its configuration). */
export const RUN_COLUMNS: readonly string[] = ['job', 'seed'];
/** Columns holding recorded numbers (experiments/job.ts `runJob`), not parameters. */
export const METRIC_COLUMNS: readonly string[] = ['J', 'gap', 'gradNorm', 'gradNormSq', 'gradNormSqAvg', 'stepSizeNow', 'envSteps', 'messages', 'syncs', 'agentGapMean', 'agentGlobalGapMean', 'assignmentAccuracy', 'assignmentARI', 'exactError', 'gradScale', 'maxZ', 'meanZ2', 'within', 'coordinates'];

/** The configuration's parameters in a row: every column but the run, metric and `extra` columns. */
export function parametersOf(row: Row, extra: readonly string[] = []): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) if (!RUN_COLUMNS.includes(k) && !METRIC_COLUMNS.includes(k) && !extra.includes(k)) out[k] = v;
  return out;
}

/** Rows grouped by the values of `keys`, in order of first appearance. */
export function groupBy(rows: readonly Row[], keys: readonly string[]): { key: Row; rows: Row[] }[] {
  const groups = new Map<string, { key: Row; rows: Row[] }>();
  for (const r of rows) {
    const key = Object.fromEntries(keys.map((k) => [k, r[k]])) as Row;
    const id = JSON.stringify(keys.map((k) => r[k]));
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { key, rows: [] }));
    g.rows.push(r);
  }
  return [...groups.values()];
}

/** Rows with every `where` column equal to the given value. */
export function filterRows(rows: readonly Row[], where: Row): Row[] {
  const entries = Object.entries(where);
  return rows.filter((r) => entries.every(([k, v]) => r[k] === v));
}

/**
 * The last recorded row of each run (job): for sweeps whose grid sweeps T (`rounds`) with a planned step size,
 * these are the values "after T rounds" that a rate in T is fitted to.
 */
export function finalRows(frame: Frame): Row[] {
  const rows = toRows(frame);
  const last = new Map<string, Row>();
  for (const r of rows) {
    const id = String(r.job ?? JSON.stringify([r.config, r.seed]));
    const prev = last.get(id);
    if (!prev || numberAt(r, 'round') >= numberAt(prev, 'round')) last.set(id, r);
  }
  return [...last.values()];
}
