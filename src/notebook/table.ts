import { type Frame, type Row, toRows } from '../analysis/frame';
import { tslabDisplay } from './tslab';

/** Options of `showTable` and `tableHTML`. */
export interface TableOptions {
  /** Significant digits of non-integer numbers (default 4). */
  digits?: number;
  /** Rows shown (default 50; the rest are counted). */
  maxRows?: number;
  columns?: readonly string[];
  caption?: string;
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

/** An HTML table of a Danfo frame, rows or records, numbers right-aligned to `digits` significant digits. */
export function tableHTML(frame: TableInput, options: TableOptions = {}): string {
  const rows: Row[] = tableRows(frame);
  const digits = options.digits ?? 4;
  const max = options.maxRows ?? 50;
  const cols = options.columns ?? (rows.length ? Object.keys(rows[0]) : []);
  const head = `<tr>${cols.map((c) => `<th>${escape(c)}</th>`).join('')}</tr>`;
  const body = rows
    .slice(0, max)
    .map((r) => `<tr>${cols.map((c) => `<td style="text-align:${typeof r[c] === 'number' ? 'right' : 'left'}">${cell(r[c], digits)}</td>`).join('')}</tr>`)
    .join('');
  const more = rows.length > max ? `<p>… ${rows.length - max} more rows</p>` : '';
  const caption = options.caption ? `<caption style="caption-side:top;text-align:left">${escape(options.caption)}</caption>` : '';
  return `<table class="fedpg-table">${caption}<thead>${head}</thead><tbody>${body}</tbody></table>${more}`;
}

/** Show a frame, rows or an array of records as an HTML table in the notebook (plain text outside a kernel). */
export function showTable(frame: TableInput, options: TableOptions = {}): void {
  const tslab = tslabDisplay();
  if (tslab) tslab.display.html(tableHTML(frame, options));
  else console.table(tableRows(frame).slice(0, options.maxRows ?? 50));
}
