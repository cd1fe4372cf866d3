import { ValidationError } from './errors';

/** Render a value for an error message: numbers in full precision, NaN and ±Infinity by name. */
export function formatValue(value: unknown): string {
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a typed array of length ${(value as unknown as ArrayLike<number>).length}`;
  return typeof value;
}

/** Throw a ValidationError `"<field> <problem>"` that carries the field and value. */
export function fail(field: string, value: unknown, problem: string): never {
  throw new ValidationError(field, value, `${field} ${problem}`);
}

/** A finite number. */
export function checkFinite(field: string, value: unknown): number {
  if (typeof value !== 'number') fail(field, value, `must be a number, got ${formatValue(value)}`);
  if (!Number.isFinite(value)) fail(field, value, `is ${formatValue(value)}`);
  return value;
}

/** An integer in [min, max]. */
export function checkInteger(field: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    fail(field, value, `must be an integer, got ${formatValue(value)}`);
  }
  if (value < min || value > max) {
    fail(field, value, max === Number.MAX_SAFE_INTEGER ? `must be ≥ ${min}, got ${value}` : `must be in [${min}, ${max}], got ${value}`);
  }
  return value;
}

/** A finite number in the interval described by `lo`, `hi` and whether each end is included. */
export function checkInRange(
  field: string,
  value: unknown,
  lo: number,
  hi: number,
  { loOpen = false, hiOpen = false }: { loOpen?: boolean; hiOpen?: boolean } = {},
): number {
  const x = checkFinite(field, value);
  const tooLow = loOpen ? x <= lo : x < lo;
  const tooHigh = hiOpen ? x >= hi : x > hi;
  if (tooLow || tooHigh) {
    fail(field, value, `must be in ${loOpen ? '(' : '['}${lo}, ${hi}${hiOpen ? ')' : ']'}, got ${x}`);
  }
  return x;
}

/** A positive finite number (> 0). */
export function checkPositive(field: string, value: unknown): number {
  const x = checkFinite(field, value);
  if (x <= 0) fail(field, value, `must be > 0, got ${x}`);
  return x;
}

/** A non-negative finite number (≥ 0). */
export function checkNonNegative(field: string, value: unknown): number {
  const x = checkFinite(field, value);
  if (x < 0) fail(field, value, `must be ≥ 0, got ${x}`);
  return x;
}

/** An array or typed array of exactly `length` finite numbers; returns a fresh Float64Array copy. */
export function checkVector(field: string, value: unknown, length: number): Float64Array {
  return checkVectorInto(field, value, new Float64Array(length));
}

/**
 * checkVector's checks, the copy written into `out` (whose length is the length expected) and returned:
 * for callers that keep θ in a buffer of their own (a kernel's memory), sparing a fresh array. On a bad
 * entry part of `out` may already be overwritten.
 */
export function checkVectorInto(field: string, value: unknown, out: Float64Array): Float64Array {
  const length = out.length;
  if (!Array.isArray(value) && !(value instanceof Float64Array) && !(value instanceof Float32Array)) {
    fail(field, value, `must be an array of ${length} numbers, got ${formatValue(value)}`);
  }
  const v = value as ArrayLike<unknown>;
  if (v.length !== length) fail(field, value, `has length ${v.length}, expected ${length}`);
  for (let i = 0; i < length; i++) {
    const x = v[i];
    if (typeof x !== 'number' || x - x !== 0) checkFinite(`${field}[${i}]`, x);
    out[i] = x as number;
  }
  return out;
}

/** One of the listed string options. */
export function checkOneOf<T extends string>(field: string, value: unknown, options: readonly T[]): T {
  if (typeof value !== 'string' || !(options as readonly string[]).includes(value)) {
    fail(field, value, `must be one of ${options.map((o) => `'${o}'`).join(', ')}, got ${formatValue(value)}`);
  }
  return value as T;
}

/** A probability distribution: entries finite, ≥ 0, summing to 1 within `tol`. */
export function checkDistribution(field: string, value: unknown, length: number, tol = 1e-9): Float64Array {
  const p = checkVector(field, value, length);
  let sum = 0;
  for (let i = 0; i < length; i++) {
    if (p[i] < 0) fail(`${field}[${i}]`, p[i], `is negative: ${p[i]}`);
    sum += p[i];
  }
  if (Math.abs(sum - 1) > tol) fail(field, value, `sums to ${Number(sum.toPrecision(12))}, not 1 (tolerance ${tol})`);
  return p;
}
