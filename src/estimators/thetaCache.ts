import { fail, formatValue } from '../core/check';

/**
 * The θ an estimator last prepared its per-θ tables for (π, its alias tables, the packed step tables),
 * and the one O(d) pass that both validates a new θ and tells whether it differs from that one.
 * Validation is not skippable: every entry must be a finite number (a NaN would otherwise walk silently
 * through the alias tables). It rides on the comparison, which an estimate needs anyway, and tests only
 * the entries that changed (bench/RESULTS.md measures what it costs).
 */
export interface ThetaCache {
  /** The last θ accepted (a copy). */
  readonly theta: Float64Array;
  /** False until a θ has been accepted. */
  filled: boolean;
}

/** An empty cache for θ ∈ R^length, kept in `storage` when given (e.g. a view on a kernel's memory). */
export function createThetaCache(length: number, storage: Float64Array = new Float64Array(length)): ThetaCache {
  return { theta: storage, filled: false };
}

/**
 * Validate `value` as θ ∈ R^d (an array or typed array of d finite numbers) and store it in `cache`.
 * Returns true when it differs from the cached θ (the per-θ setup must then be redone). Throws a
 * ValidationError naming the field, and the index and value of a bad entry (`theta[17] is NaN`).
 */
export function acceptTheta(field: string, value: unknown, cache: ThetaCache): boolean {
  const d = cache.theta.length;
  if (!Array.isArray(value) && !ArrayBuffer.isView(value)) fail(field, value, `must be an array of ${d} numbers, got ${formatValue(value)}`);
  const v = value as ArrayLike<unknown>;
  if (v.length !== d) fail(field, value, `has length ${v.length}, expected ${d}`);
  const changed = value instanceof Float64Array ? acceptFloat64(field, value, cache) : acceptAny(field, v, cache);
  cache.filled = true;
  return changed;
}

/**
 * The common case, a Float64Array, in one monomorphic loop. Only entries that differ from the cached θ
 * are tested for finiteness: the cache holds only finite entries (it starts at zeros), so an equal entry is
 * finite, and NaN equals nothing. The test is branch-free, Σ (x − x) over the changed entries, which is 0
 * exactly when all of them are finite (x − x is NaN for ±Infinity and NaN); only when it is not does a
 * second pass find the first bad entry for the message. An unchanged θ thus costs one compare per entry.
 */
function acceptFloat64(field: string, v: Float64Array, cache: ThetaCache): boolean {
  const stored = cache.theta;
  let changed = !cache.filled;
  let probe = 0;
  for (let i = 0; i < stored.length; i++) {
    const x = v[i];
    if (x !== stored[i]) {
      probe += x - x;
      changed = true;
      stored[i] = x;
    }
  }
  if (probe !== 0) {
    // Keep the cache's invariant (finite entries only) before refusing.
    for (let i = 0; i < stored.length; i++) if (stored[i] - stored[i] !== 0) stored[i] = 0;
    for (let i = 0; i < v.length; i++) if (v[i] - v[i] !== 0) invalidEntry(field, i, v[i], cache);
  }
  return changed;
}

function acceptAny(field: string, v: ArrayLike<unknown>, cache: ThetaCache): boolean {
  const stored = cache.theta;
  let changed = !cache.filled;
  for (let i = 0; i < stored.length; i++) {
    const x = v[i];
    if (x !== stored[i]) {
      if (typeof x !== 'number' || x - x !== 0) invalidEntry(field, i, x, cache);
      changed = true;
      stored[i] = x;
    }
  }
  return changed;
}

function invalidEntry(field: string, i: number, x: unknown, cache: ThetaCache): never {
  // Part of θ may already be copied in: the cache no longer describes the prepared tables.
  cache.filled = false;
  if (typeof x !== 'number') fail(`${field}[${i}]`, x, `must be a number, got ${formatValue(x)}`);
  fail(`${field}[${i}]`, x, `is ${formatValue(x)}`);
}
