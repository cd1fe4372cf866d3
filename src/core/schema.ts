import { fail, formatValue } from './check';

/**
 * Field descriptors: how every parameter of fedpg-lab is declared (core/parameters.ts holds the table).
 * One descriptor says a field's type, default, allowed range or values, symbol and meaning; `checkField`
 * and `validateObject` enforce it, so a default or a range is written once and read everywhere (config
 * resolution, generators, experiment files, CLI flags, settings labels, docs/parameters.md).
 */
export interface FieldSpec {
  type: 'number' | 'integer' | 'boolean' | 'string' | 'enum' | 'object' | 'vector' | 'stepSize' | 'seed' | 'any';
  /** Value used when the field is absent. Absent and not `optional`: the field is required. */
  default?: unknown;
  /** May be absent, with no default (e.g. `initialTheta`). */
  optional?: boolean;
  /** Inclusive bounds unless the matching `…Exclusive` is set. */
  min?: number;
  max?: number;
  minExclusive?: boolean;
  maxExclusive?: boolean;
  /** Allowed values of an 'enum'. */
  values?: readonly string[];
  /**
   * The field has an effect only when `field` (another field of the same object) is given and, with
   * `values`, is one of them: a value other than the default given without it is refused, naming both (a
   * soft-assignment temperature with hard assignment, a cluster spread without clusters).
   */
  requires?: { field: string; values?: readonly unknown[] };
  /** The maths symbol (η, H, K, …) used in labels. */
  symbol?: string;
  /** One-line meaning. */
  doc: string;
}

/** A set of fields: an object type. */
export type Schema = Record<string, FieldSpec>;

/** Damerau–Levenshtein distance (adjacent transpositions count 1), for did-you-mean suggestions. */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  const d: number[][] = Array.from({ length: m + 1 }, (_, i) => Array.from({ length: n + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= m; i++) {
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[m][n];
}

/**
 * The candidate nearest to `name`, if it is close enough to be a plausible typo: distance ≤ max(2, ⌊|name|/3⌋),
 * or one contains the other (case-insensitive). Ties go to the first candidate.
 */
export function nearestName(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(name, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  if (best === undefined) return undefined;
  const lower = name.toLowerCase();
  const contains = lower.length >= 3 && (best.toLowerCase().includes(lower) || lower.includes(best.toLowerCase()));
  return bestDistance <= Math.max(2, Math.floor(name.length / 3)) || contains ? best : undefined;
}

/** " (did you mean X?)"-style suffix, or a list of the known names when nothing is close. */
function suggestion(name: string, known: readonly string[]): string {
  const near = nearestName(name, known);
  return near ? `; did you mean ${near}?` : `; known: ${known.join(', ')}`;
}

/** Join a parent path and a key: `oracle` + `batch` → `oracle.batch`; '' + `batch` → `batch`. */
export function fieldPath(parent: string, key: string): string {
  return parent ? `${parent}.${key}` : key;
}

/** Refuse keys of `value` not in `known`, naming the nearest known key. `what` reads "a run config", "garnet options", … */
export function checkKnownKeys(parent: string, value: Record<string, unknown>, known: readonly string[], what: string): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) fail(fieldPath(parent, key), value[key], `is not a parameter of ${what}${suggestion(key, known)}`);
  }
}

/** A plain object (not an array, not null). */
export function isPlainObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x) && !ArrayBuffer.isView(x);
}

function checkRange(field: string, x: number, spec: FieldSpec): void {
  if (spec.min !== undefined && (spec.minExclusive ? x <= spec.min : x < spec.min)) fail(field, x, `must be ${spec.minExclusive ? '>' : '≥'} ${spec.min}, got ${formatValue(x)}`);
  if (spec.max !== undefined && (spec.maxExclusive ? x >= spec.max : x > spec.max)) fail(field, x, `must be ${spec.maxExclusive ? '<' : '≤'} ${spec.max}, got ${formatValue(x)}`);
}

/**
 * Check one value against its descriptor and return it (a vector as a plain number array). Objects and
 * step sizes are only checked for shape here; their fields are validated by their own schemas.
 */
export function checkField(field: string, value: unknown, spec: FieldSpec): unknown {
  switch (spec.type) {
    case 'number':
    case 'integer': {
      if (typeof value !== 'number') fail(field, value, `must be a${spec.type === 'integer' ? 'n integer' : ' number'}, got ${formatValue(value)}`);
      if (!Number.isFinite(value)) fail(field, value, `is ${formatValue(value)}`);
      if (spec.type === 'integer' && !Number.isSafeInteger(value)) fail(field, value, `must be an integer, got ${formatValue(value)}`);
      checkRange(field, value, spec);
      return value;
    }
    case 'boolean':
      if (typeof value !== 'boolean') fail(field, value, `must be true or false, got ${formatValue(value)}`);
      return value;
    case 'string':
      if (typeof value !== 'string' || value.length === 0) fail(field, value, `must be a non-empty string, got ${formatValue(value)}`);
      return value;
    case 'enum': {
      const values = spec.values ?? [];
      if (typeof value !== 'string' || !values.includes(value)) {
        const near = typeof value === 'string' ? nearestName(value, values) : undefined;
        fail(field, value, `must be one of ${values.map((v) => `'${v}'`).join(', ')}, got ${formatValue(value)}${near ? `; did you mean '${near}'?` : ''}`);
      }
      return value;
    }
    case 'seed':
      if (!(typeof value === 'string' ? value.length > 0 : typeof value === 'number' && Number.isSafeInteger(value))) {
        fail(field, value, `must be an integer or a string, got ${formatValue(value)}`);
      }
      return value;
    case 'object':
      if (!isPlainObject(value)) fail(field, value, `must be an object, got ${formatValue(value)}`);
      return value;
    case 'stepSize':
      if (!(typeof value === 'number' || isPlainObject(value))) fail(field, value, `must be a number or a schedule object, got ${formatValue(value)}`);
      return value;
    case 'vector': {
      if (!Array.isArray(value) && !ArrayBuffer.isView(value)) fail(field, value, `must be an array of numbers, got ${formatValue(value)}`);
      const v = value as ArrayLike<unknown>;
      const out = new Array<number>(v.length);
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        if (typeof x !== 'number') fail(`${field}[${i}]`, x, `must be a number, got ${formatValue(x)}`);
        if (!Number.isFinite(x)) fail(`${field}[${i}]`, x, `is ${formatValue(x)}`);
        out[i] = x;
      }
      return out;
    }
    default:
      return value;
  }
}

/**
 * Validate an object against a schema, strictly: unknown keys are refused with the nearest known key
 * suggested (`entropi is not a parameter of a run config; did you mean entropy?`), every present field is
 * checked, absent fields get their default, and absent required fields are errors. `undefined` counts as
 * absent. Returns a new object holding the known fields (defaults filled; optional absent ones omitted).
 */
export function validateObject(field: string, value: unknown, schema: Schema, what: string): Record<string, unknown> {
  if (!isPlainObject(value)) fail(field || what, value, `must be an object${field ? ` (${what})` : ''}, got ${formatValue(value)}`);
  const known = Object.keys(schema);
  checkKnownKeys(field, value, known, what);
  const out: Record<string, unknown> = {};
  for (const key of known) {
    const spec = schema[key];
    const path = fieldPath(field, key);
    const v = value[key];
    if (v === undefined) {
      if (spec.default !== undefined) out[key] = spec.default;
      else if (!spec.optional) fail(path, v, `is required (${spec.doc})`);
      continue;
    }
    out[key] = checkField(path, v, spec);
  }
  for (const key of known) {
    const req = schema[key].requires;
    if (req === undefined || value[key] === undefined || value[key] === schema[key].default) continue;
    const other = out[req.field];
    const applies = req.values ? req.values.includes(other) : other !== undefined;
    if (!applies) {
      fail(fieldPath(field, key), value[key], `has no effect unless ${req.field} is ${req.values ? req.values.map((x) => formatValue(x)).join(' or ') : 'given'} (${req.field} is ${formatValue(other)}): leave it out, or set ${req.field}`);
    }
  }
  return out;
}

/** The defaults of a schema's fields that have one (for docs and labels). */
export function schemaDefaults(schema: Schema): Record<string, unknown> {
  return Object.fromEntries(Object.entries(schema).filter(([, s]) => s.default !== undefined).map(([k, s]) => [k, s.default]));
}
