import { checkInteger, fail, formatValue } from '../../core/check';
import type { FeatureMap, FeatureRows } from '../features';

/** A researcher's feature table: φ(s, a) for every s and a, flat `table[(s·A + a)·d + k]` or nested `table[s][a][k]`. */
export interface FeatureTableOptions {
  dimension: number;
  table: ArrayLike<number> | ArrayLike<ArrayLike<ArrayLike<number>>>;
}

/**
 * Validate a feature table for S states and A actions and return it flat: S·A·d finite numbers. A table of
 * the wrong shape or with a non-finite entry is refused naming the entry, e.g.
 * `policy.features.table[3][1][2] is NaN` or `policy.features.table has length 40, expected S·A·d = 48`.
 */
export function checkFeatureTable(field: string, options: FeatureTableOptions, S: number, A: number): Float64Array {
  const d = checkInteger(`${field}.dimension`, options.dimension, 1, 1e8);
  const table = options.table as ArrayLike<unknown>;
  const path = `${field}.table`;
  if (table == null || typeof table !== 'object' || typeof table.length !== 'number') fail(path, table, `must be an array of S·A·d = ${S}·${A}·${d} numbers or a nested array [S][A][d], got ${formatValue(table)}`);
  const out = new Float64Array(S * A * d);
  const entry = (f: string, x: unknown, at: number) => {
    if (typeof x !== 'number' || !Number.isFinite(x)) fail(f, x, `is ${formatValue(x)}`);
    out[at] = x;
  };
  const nestedTable = table.length > 0 && typeof table[0] === 'object' && table[0] !== null;
  if (!nestedTable) {
    if (table.length !== S * A * d) fail(path, table, `has length ${table.length}, expected S·A·d = ${S}·${A}·${d} = ${S * A * d}`);
    for (let i = 0; i < S * A * d; i++) entry(`${path}[${i}]`, table[i], i);
    return out;
  }
  const rowsOf = (f: string, x: unknown, n: number, what: string): ArrayLike<unknown> => {
    const r = x as ArrayLike<unknown>;
    if (r == null || typeof r !== 'object' || typeof r.length !== 'number') fail(f, x, `must be an array of ${n} ${what}, got ${formatValue(x)}`);
    if (r.length !== n) fail(f, x, `has length ${r.length}, expected ${n} (${what})`);
    return r;
  };
  const states = rowsOf(path, table, S, 'states: S');
  for (let s = 0; s < S; s++) {
    const acts = rowsOf(`${path}[${s}]`, states[s], A, 'actions: A');
    for (let a = 0; a < A; a++) {
      const phi = rowsOf(`${path}[${s}][${a}]`, acts[a], d, 'features: d');
      for (let k = 0; k < d; k++) entry(`${path}[${s}][${a}][${k}]`, phi[k], (s * A + a) * d + k);
    }
  }
  return out;
}

/**
 * Features read from a table of S·A·d numbers (checkFeatureTable): φ(s, a)[k] = table[(s·A + a)·d + k], its
 * zero entries skipped. The description holds the whole table, so a run config that uses it can be restored.
 */
export function featureTable(options: FeatureTableOptions, S: number, A: number, field = 'features'): FeatureMap<number> {
  const table = checkFeatureTable(field, options, S, A);
  const d = options.dimension;
  return Object.freeze({
    kind: 'fedpg-lab/features' as const,
    name: 'table',
    dimension: d,
    actions: A,
    capacity: A * d,
    description: Object.freeze({ kind: 'table', dimension: d, table: Array.from(table) }),
    write(s: number, rows: FeatureRows) {
      if (!(Number.isInteger(s) && s >= 0 && s < S)) fail('state', s, `must be an integer in [0, ${S - 1}] (the feature table has S = ${S} states)`);
      let e = 0;
      for (let a = 0; a < A; a++) {
        rows.start[a] = e;
        const o = (s * A + a) * d;
        for (let k = 0; k < d; k++) {
          const x = table[o + k];
          if (x === 0) continue;
          rows.index[e] = k;
          rows.value[e++] = x;
        }
      }
      rows.start[A] = e;
    },
  });
}
