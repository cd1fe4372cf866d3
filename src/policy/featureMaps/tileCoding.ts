import { checkInteger, fail, formatValue } from '../../core/check';
import type { Coordinates } from '../../mdp/stateSpace';
import type { FeatureMap, FeatureRows } from '../features';
import { checkGridCounts } from './gridCounts';

/** Options of tile coding (core/parameters.ts FEATURE_SCHEMAS['tile-coding']). */
export interface TileCodingOptions {
  /** n_j tiles along each coordinate j of the box [low, high]. */
  tiles: readonly number[];
  /** T ≥ 1 offset tilings (default 1). */
  tilings?: number;
}

/**
 * Tile coding over a state's coordinates x(s) ∈ [low, high]^k (Sutton & Barto 2018, §9.5.4): T tilings of
 * the box, each a grid of n_1 × … × n_k tiles of width w_j = (high_j − low_j)/n_j, tiling t displaced by
 * t·(2j + 1)/T tile widths along coordinate j (the odd displacements they recommend; taken modulo one tile)
 * and holding one more tile per coordinate when T > 1, to cover the displaced edge. A state activates one
 * tile per tiling (coordinates outside the box are clamped to its edge tiles): ψ(s) has T entries 1/√T, so
 * ‖ψ(s)‖ = 1 as with one-hot features. State–action features are ψ(s) ⊗ e_a, index a·m + tile with
 * m = T·Π_j (n_j + [T > 1]) tiles in all, so d = A·m.
 */
export function tileCoding<State>(options: TileCodingOptions, coordinates: Coordinates<State>, A: number, field = 'features'): FeatureMap<State> {
  const k = coordinates.names.length;
  const tiles = checkGridCounts(field, 'tiles', options.tiles, coordinates);
  const T = checkInteger(`${field}.tilings`, options.tilings ?? 1, 1, 64);
  checkInteger('A', A, 1);
  const extra = T > 1 ? 1 : 0;
  const perDim = tiles.map((n) => n + extra);
  const perTiling = perDim.reduce((p, n) => p * n, 1);
  const m = T * perTiling;
  if (A * m > 1e8) fail(`${field}.tiles`, tiles, `give d = A·T·Π(n_j + 1) = ${A * m} features, more than 10⁸`);
  const width = tiles.map((n, j) => (coordinates.high[j] - coordinates.low[j]) / n);
  const x = new Float64Array(k);
  const active = new Int32Array(T);
  const value = 1 / Math.sqrt(T);
  return Object.freeze({
    kind: 'fedpg-lab/features' as const,
    name: 'tile-coding',
    dimension: A * m,
    actions: A,
    capacity: A * T,
    description: Object.freeze({ kind: 'tile-coding', tiles: [...tiles], tilings: T }),
    write(s: State, rows: FeatureRows) {
      coordinates.of(s, x);
      for (let t = 0; t < T; t++) {
        let flat = 0;
        for (let j = 0; j < k; j++) {
          const shift = ((t * (2 * j + 1)) % T) / T;
          let i = Math.floor((x[j] - coordinates.low[j]) / width[j] + shift);
          if (!(i >= 0)) i = 0; // also a NaN coordinate: clamped, never an index out of range
          if (i >= perDim[j]) i = perDim[j] - 1;
          flat = flat * perDim[j] + i;
        }
        active[t] = t * perTiling + flat;
      }
      let e = 0;
      for (let a = 0; a < A; a++) {
        rows.start[a] = e;
        for (let t = 0; t < T; t++, e++) {
          rows.index[e] = a * m + active[t];
          rows.value[e] = value;
        }
      }
      rows.start[A] = e;
    },
  });
}
