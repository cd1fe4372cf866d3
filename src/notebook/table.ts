import { type Frame, type Row, toRows } from '../analysis/frame';
import { tslabDisplay } from './tslab';

/** Options of `showTable` and `tableHTML`. */
export interface TableOptions {
  /** Significant digits of non-integer numbers (default 4). */
  digits?: number;
  /** Rows shown (default 50; the rest are counted). */
  maxRows?: number;
  /** Columns shown, in order (default: every column of the first row, less the empty ones). */
  columns?: readonly string[];
  caption?: string;
  /**
   * Show columns that hold no number in any row (NaN, null or missing everywhere: e.g. `trace.agents`' `gap`,
   * defined only for personalised methods). Default false: they are left out, and a line under the table
   * names them.
   */
  keepEmpty?: boolean;
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function cell(v: unknown, digits: number): string {
  if (ArrayBuffer.isView(v) || Array.isArray(v)) return escape(`[${Array.from(v as ArrayLike<unknown>, (x) => (typeof x === 'number' ? cell(x, digits) : String(x))).join(', ')}]`);
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : Number.isNaN(v) ? 'NaN' : Math.abs(v) >= 1e-3 && Math.abs(v) < 1e5 ? String(Number(v.toPrecision(digits))) : v.toExponential(digits - 1);
  return escape(String(v ?? ''));
}

/** What `showTable` takes: a Danfo frame, rows, or any array of plain records (e.g. `trace.agents`). */
export type TableInput = Frame | readonly object[];

/** The rows of a table input (records are read through their own enumerable fields). */
function tableRows(input: TableInput): Row[] {
  return Array.isArray(input) ? (input as Row[]) : toRows(input as Frame);
}

/** Whether a value is no value: NaN, null or undefined. */
const isEmpty = (v: unknown) => v === undefined || v === null || (typeof v === 'number' && Number.isNaN(v));

/**
 * The columns of a table: `columns` when given, else the first row's keys; without `keepEmpty`, those that
 * hold no value in any row (NaN, null or missing) are left out and returned as `dropped`.
 */
export function tableColumns(rows: readonly Row[], options: Pick<TableOptions, 'columns' | 'keepEmpty'> = {}): { columns: string[]; dropped: string[] } {
  const all = [...(options.columns ?? (rows.length ? Object.keys(rows[0]) : []))];
  if (options.columns || options.keepEmpty || rows.length === 0) return { columns: all, dropped: [] };
  const dropped = all.filter((c) => rows.every((r) => isEmpty(r[c])));
  return { columns: all.filter((c) => !dropped.includes(c)), dropped };
}

/**
 * An HTML table of a Danfo frame, rows or records, numbers right-aligned to `digits` significant digits.
 * Columns with no value in any row are left out and named under the table (`keepEmpty` keeps them).
 */
export function tableHTML(frame: TableInput, options: TableOptions = {}): string {
  const rows: Row[] = tableRows(frame);
  const digits = options.digits ?? 4;
  const max = options.maxRows ?? 50;
  const { columns: cols, dropped } = tableColumns(rows, options);
  const head = `<tr>${cols.map((c) => `<th>${escape(c)}</th>`).join('')}</tr>`;
  const body = rows
    .slice(0, max)
    .map((r) => `<tr>${cols.map((c) => `<td style="text-align:${typeof r[c] === 'number' ? 'right' : 'left'}">${cell(r[c], digits)}</td>`).join('')}</tr>`)
    .join('');
  const more = rows.length > max ? `<p>… ${rows.length - max} more rows</p>` : '';
  const empty = dropped.length > 0 ? `<p>${dropped.map((c) => escape(c)).join(', ')}: no value in any row (NaN), not shown.</p>` : '';
  const caption = options.caption ? `<caption style="caption-side:top;text-align:left">${escape(options.caption)}</caption>` : '';
  return `<table class="fedpg-table">${caption}<thead>${head}</thead><tbody>${body}</tbody></table>${more}${empty}`;
}

/** Show a frame, rows or an array of records as an HTML table in the notebook (plain text outside a kernel). */
export function showTable(frame: TableInput, options: TableOptions = {}): void {
  const tslab = tslabDisplay();
  if (tslab) {
    tslab.display.html(tableHTML(frame, options));
    return;
  }
  const rows = tableRows(frame);
  const { columns, dropped } = tableColumns(rows, options);
  console.table(rows.slice(0, options.maxRows ?? 50), columns);
  if (dropped.length > 0) console.log(`${dropped.join(', ')}: no value in any row (NaN), not shown.`);
}
