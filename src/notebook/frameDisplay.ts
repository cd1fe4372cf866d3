import { type Row, toRows } from '../analysis/frame';
import { tableHTML } from './table';
import { inTslabKernel, tslabDisplay } from './tslab';

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** What the display reads of a Danfo DataFrame or Series. */
interface DanfoLike {
  shape: number[];
  columns: string[];
  index: (string | number)[];
  values: unknown[];
}

/** Whether an index is the default one, 0 … n−1 (a frame fresh from rows); a derived frame keeps its rows' labels. */
function defaultIndex(index: readonly (string | number)[]): boolean {
  return index.every((v, i) => v === i);
}

/** The rows a frame or a series is shown as: its columns, with its index first when it is not 0 … n−1 (`.query()`, `.tail()`). */
export function displayRows(x: DanfoLike, kind: 'DataFrame' | 'Series'): Row[] {
  const rows: Row[] = kind === 'DataFrame' ? toRows(x as never) : (x.values as Row[string][]).map((v) => ({ [x.columns[0] ?? 'value']: v }));
  if (defaultIndex(x.index)) return rows;
  return rows.map((r, i) => ({ index: x.index[i], ...r }));
}

/** "DataFrame 241 rows × 9 columns", "Series gap, 241 values": the printed text of a frame or series. */
export function displaySummary(x: DanfoLike, kind: 'DataFrame' | 'Series'): string {
  return kind === 'DataFrame' ? `DataFrame ${x.shape[0]} rows × ${x.shape[1]} columns` : `Series ${x.columns[0] ?? ''}, ${x.shape[0]} value${x.shape[0] === 1 ? '' : 's'}`;
}

/**
 * The prototypes a display method goes on: the class's own and every ancestor's of the same name.
 * danfojs-node's DataFrame and Series extend danfojs-base's, and the frames Danfo derives (`head`, `query`,
 * `loc`, a column `df['gap']`) are instances of the base classes, so patching the exported class alone left
 * them printing their internals.
 */
function prototypesOf(cls: { prototype: object; name?: string }): object[] {
  const out: object[] = [];
  for (let p: object | null = cls.prototype; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    if ((p as { constructor?: { name?: string } }).constructor?.name !== cls.name) break;
    out.push(p);
  }
  return out;
}

function patch(cls: { prototype: object; name?: string }, kind: 'DataFrame' | 'Series'): void {
  for (const proto of prototypesOf(cls)) {
    if (Object.prototype.hasOwnProperty.call(proto, INSPECT)) continue;
    Object.defineProperty(proto, INSPECT, {
      configurable: true,
      writable: true,
      value: function inspectDanfo(this: DanfoLike, depth: number, options: { depth?: number | null }) {
        const summary = displaySummary(this, kind);
        const tslab = tslabDisplay();
        // depth equals options.depth only for the value console.log was given itself, not for nested ones.
        if (tslab && (options?.depth == null || depth === options.depth)) {
          tslab.display.html(tableHTML(displayRows(this, kind), { caption: summary, keepEmpty: true }));
        }
        return summary;
      },
    });
  }
}

/**
 * A Danfo DataFrame as a table when it is a cell's value. tslab prints a cell's last expression with
 * `console.log`, i.e. Node's util.inspect, which uses an object's `[Symbol.for('nodejs.util.inspect.custom')]`
 * method (tslab/dist/executor.js); Danfo's frames have none, so their internals were printed. This adds one
 * to Danfo's DataFrame (and to the base class it extends, whose instances `head()`, `query()` and `loc()`
 * return) that shows the frame as an HTML table (first 50 rows; the row labels first when they are not
 * 0 … n−1) when printed at the top level in a kernel, and returns a one-line "DataFrame 241 rows × 9
 * columns" as the printed text; outside a kernel, or nested in another printed value, only that line.
 * `Series` (a column, `df['gap']`), when given, is shown the same way as a one-column table.
 */
export function enableFrameDisplay(DataFrame: { prototype: object; name?: string }, Series?: { prototype: object; name?: string }): void {
  patch(DataFrame, 'DataFrame');
  if (Series) patch(Series, 'Series');
}

let hooked = false;

/**
 * In a tslab kernel, make every Danfo DataFrame and Series display as a table (above) as soon as
 * danfojs-node is loaded, without loading it (TensorFlow.js takes ≈ 2 s): Node's module loader is wrapped
 * to patch the classes when the package is first required, by fedpg-lab or by the notebook. Runs when
 * fedpg-lab is imported in a kernel; does nothing elsewhere.
 */
export function hookFrameDisplay(): void {
  if (hooked || !inTslabKernel()) return;
  hooked = true;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Module = require('node:module') as { _load: (request: string, parent: unknown, isMain: boolean) => unknown };
  const patchExports = (exported: unknown) => {
    const { DataFrame, Series } = (exported ?? {}) as { DataFrame?: { prototype: object }; Series?: { prototype: object } };
    if (typeof DataFrame === 'function') enableFrameDisplay(DataFrame, typeof Series === 'function' ? Series : undefined);
  };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require.cache[require.resolve('danfojs-node')];
    if (loaded) patchExports(loaded.exports);
  } catch {
    // danfojs-node is not installed: nothing to patch
  }
  const original = Module._load;
  Module._load = function load(request: string, parent: unknown, isMain: boolean) {
    const exported = original.call(this, request, parent, isMain);
    if (request === 'danfojs-node') patchExports(exported);
    return exported;
  };
}

hookFrameDisplay();
