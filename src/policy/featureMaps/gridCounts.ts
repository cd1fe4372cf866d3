import { checkInteger, fail, formatValue } from '../../core/check';
import type { Coordinates } from '../../mdp/stateSpace';

/**
 * The counts n_1 … n_k of a grid laid over a state's k coordinates (tiles of tile coding, centres of radial
 * basis features): one integer in [1, 10⁶] per coordinate, checked by name (`<field>.<key>[j]`). Returns them.
 */
export function checkGridCounts<State>(field: string, key: string, counts: unknown, coordinates: Coordinates<State>): readonly number[] {
  const k = coordinates.names.length;
  if (!Array.isArray(counts) || counts.length !== k) fail(`${field}.${key}`, counts, `must give the number of ${key} along each of the ${k} coordinates (${coordinates.names.join(', ')}), got ${formatValue(counts)}`);
  counts.forEach((n, j) => checkInteger(`${field}.${key}[${j}]`, n, 1, 1e6));
  return counts as readonly number[];
}
