import { toRows } from '../analysis/frame';
import { tableHTML } from './table';
import { inTslabKernel, tslabDisplay } from './tslab';

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * A Danfo DataFrame as a table when it is a cell's value. tslab prints a cell's last expression with
 * `console.log`, i.e. Node's util.inspect, which uses an object's `[Symbol.for('nodejs.util.inspect.custom')]`
 * method (tslab/dist/executor.js); Danfo's frames have none, so their internals were printed. This adds one
 * to Danfo's DataFrame that shows the frame as an HTML table (first 50 rows) when printed at the top level
 * in a kernel, and returns a one-line "DataFrame 241 rows × 9 columns" as the printed text; outside a
 * kernel, or nested in another printed value, only that line.
 */
export function enableFrameDisplay(DataFrame: { prototype: object }): void {
  const proto = DataFrame.prototype as Record<symbol, unknown>;
  if (Object.prototype.hasOwnProperty.call(proto, INSPECT)) return;
  Object.defineProperty(proto, INSPECT, {
    configurable: true,
    writable: true,
    value: function inspectFrame(this: { shape: number[]; columns: string[] }, depth: number, options: { depth?: number | null }) {
      const summary = `DataFrame ${this.shape[0]} rows × ${this.shape[1]} columns`;
      const tslab = tslabDisplay();
      // depth equals options.depth only for the value console.log was given itself, not for nested ones.
      if (tslab && (options?.depth == null || depth === options.depth)) {
        tslab.display.html(tableHTML(toRows(this as never), { caption: summary }));
      }
      return summary;
    },
  });
}

let hooked = false;

/**
 * In a tslab kernel, make every Danfo DataFrame display as a table (above) as soon as danfojs-node is
 * loaded, without loading it (TensorFlow.js takes ≈ 2 s): Node's module loader is wrapped to patch the
 * class when the package is first required, by fedpg-lab or by the notebook. Runs when fedpg-lab is
 * imported in a kernel; does nothing elsewhere.
 */
export function hookFrameDisplay(): void {
  if (hooked || !inTslabKernel()) return;
  hooked = true;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Module = require('node:module') as { _load: (request: string, parent: unknown, isMain: boolean) => unknown };
  const patch = (exported: unknown) => {
    const DataFrame = (exported as { DataFrame?: { prototype: object } } | null)?.DataFrame;
    if (typeof DataFrame === 'function') enableFrameDisplay(DataFrame);
  };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require.cache[require.resolve('danfojs-node')];
    if (loaded) patch(loaded.exports);
  } catch {
    // danfojs-node is not installed: nothing to patch
  }
  const original = Module._load;
  Module._load = function load(request: string, parent: unknown, isMain: boolean) {
    const exported = original.call(this, request, parent, isMain);
    if (request === 'danfojs-node') patch(exported);
    return exported;
  };
}

hookFrameDisplay();
