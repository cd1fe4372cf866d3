import { checkInteger, checkPositive, fail, formatValue } from '../../core/check';
import type { Coordinates } from '../../mdp/stateSpace';
import type { FeatureMap, FeatureRows } from '../features';
import { checkGridCounts } from './gridCounts';

/** Options of radial basis features (core/parameters.ts FEATURE_SCHEMAS['radial-basis']). */
export interface RadialBasisOptions {
  /** n_j centres along each coordinate j. */
  centres: readonly number[];
  /** σ_j in units of the centre spacing along j (default 1). */
  width?: number;
}

/**
 * Gaussian radial basis features over a state's coordinates x(s) ∈ [low, high]^k: centres μ_c on the
 * lattice of the midpoints of an n_1 × … × n_k grid over the box (spacing Δ_j = (high_j − low_j)/n_j), and
 *   ψ_c(s) = exp(−½ Σ_j ((x_j(s) − μ_{c,j}) / σ_j)²),  σ_j = width·Δ_j,
 * a product over coordinates, so one state costs Σ_j n_j exponentials and Π_j n_j products. State–action
 * features are ψ(s) ⊗ e_a (index a·m + c, m = Π_j n_j), so d = A·m; every entry is written (dense).
 */
export function radialBasis<State>(options: RadialBasisOptions, coordinates: Coordinates<State>, A: number, field = 'features'): FeatureMap<State> {
  const k = coordinates.names.length;
  const centres = checkGridCounts(field, 'centres', options.centres, coordinates);
  const width = checkPositive(`${field}.width`, options.width ?? 1);
  checkInteger('A', A, 1);
  const m = centres.reduce((p, n) => p * n, 1);
  if (A * m > 1e8) fail(`${field}.centres`, centres, `give d = A·Π n_j = ${A * m} features, more than 10⁸`);
  const spacing = centres.map((n, j) => (coordinates.high[j] - coordinates.low[j]) / n);
  // factor[offset_j + c] = exp(−½ ((x_j − μ_{c,j})/σ_j)²) for the state at hand.
  const offset = centres.map((_, j) => centres.slice(0, j).reduce((p, n) => p + n, 0));
  const factor = new Float64Array(centres.reduce((p, n) => p + n, 0));
  const psi = new Float64Array(m);
  const x = new Float64Array(k);
  return Object.freeze({
    kind: 'fedpg-lab/features' as const,
    name: 'radial-basis',
    dimension: A * m,
    actions: A,
    capacity: A * m,
    description: Object.freeze({ kind: 'radial-basis', centres: [...centres], width }),
    write(s: State, rows: FeatureRows) {
      coordinates.of(s, x);
      for (let j = 0; j < k; j++) {
        const sigma = width * spacing[j];
        for (let c = 0; c < centres[j]; c++) {
          const z = (x[j] - (coordinates.low[j] + (c + 0.5) * spacing[j])) / sigma;
          factor[offset[j] + c] = Math.exp(-0.5 * z * z);
        }
      }
      // ψ over the lattice, last coordinate fastest: ψ_c = Π_j factor_j(c_j).
      psi[0] = 1;
      let filled = 1;
      for (let j = 0; j < k; j++) {
        const n = centres[j];
        for (let i = filled - 1; i >= 0; i--) {
          const p = psi[i];
          for (let c = n - 1; c >= 0; c--) psi[i * n + c] = p * factor[offset[j] + c];
        }
        filled *= n;
      }
      let e = 0;
      for (let a = 0; a < A; a++) {
        rows.start[a] = e;
        for (let c = 0; c < m; c++, e++) {
          rows.index[e] = a * m + c;
          rows.value[e] = psi[c];
        }
      }
      rows.start[A] = e;
    },
  });
}
