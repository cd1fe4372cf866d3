import { fail } from './check';
import { LIMITS_SCHEMA, type Limits } from './parameters';
import { validateObject } from './schema';

/**
 * Size limits, resolved in one place for every consumer (run configs, generators, estimators, sweeps): the
 * defaults of LIMITS_SCHEMA, raised or lowered by `value`, strictly validated.
 */
export function resolveLimits(field: string, value: unknown): Limits {
  return validateObject(field, value ?? {}, LIMITS_SCHEMA, 'the size limits') as Limits;
}

/** Refuse a problem whose tables would exceed the limit, before allocating them. */
export function checkProblemEntries(field: string, entries: number, what: string, limits: unknown): void {
  const { problemEntries } = resolveLimits('limits', limits);
  if (entries > problemEntries) {
    fail(field, entries, `asks for ${what} = ${entries.toExponential(2)} table entries, above the limit ${problemEntries.toExponential(2)} (limits.problemEntries); raise it with limits: { problemEntries: … } if you mean it`);
  }
}
