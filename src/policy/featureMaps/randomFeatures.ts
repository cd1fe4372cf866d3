import { checkInteger, fail } from '../../core/check';
import { hashWords } from '../../core/hash';
import type { FeatureMap, FeatureRows } from '../features';

/** Options of random features (core/parameters.ts FEATURE_SCHEMAS.random). */
export interface RandomFeatureOptions {
  /** d. */
  dimension: number;
  /** m non-zeros per (s, a) (default min(d, 8)). */
  nonZeros?: number;
  /** Seed of the features (default 0). */
  seed?: number;
}

/**
 * Sparse random features of a chosen dimension d over integer states (the hashing trick; Achlioptas 2003's
 * sparse random projections): φ(s, a) has m entries, entry j at index h_j mod d with value ±1/√m, where
 * h_j = hashWords(seed, s, a, j) (core/hash.ts) and the sign is its lowest bit, so ‖φ(s, a)‖² = 1 unless
 * two indices collide (their entries add). Nothing is stored: φ(s, a) is recomputed from (seed, s, a) when
 * s is visited, so the map serves 10⁶ states in O(1) memory, and the same seed gives the same features in
 * every process.
 */
export function randomFeatures(options: RandomFeatureOptions, A: number, field = 'features'): FeatureMap<number> {
  const d = checkInteger(`${field}.dimension`, options.dimension, 1, 1e8);
  const m = checkInteger(`${field}.nonZeros`, options.nonZeros ?? Math.min(d, 8), 1, 1e4);
  const seed = checkInteger(`${field}.seed`, options.seed ?? 0, 0, 0xffffffff);
  checkInteger('A', A, 1);
  const scale = 1 / Math.sqrt(m);
  return Object.freeze({
    kind: 'fedpg-lab/features' as const,
    name: 'random',
    dimension: d,
    actions: A,
    capacity: A * m,
    description: Object.freeze({ kind: 'random', dimension: d, nonZeros: m, seed }),
    write(s: number, rows: FeatureRows) {
      if (!Number.isInteger(s)) fail('state', s, 'must be an integer: random features are defined on states 0, 1, 2, …');
      let e = 0;
      for (let a = 0; a < A; a++) {
        rows.start[a] = e;
        for (let j = 0; j < m; j++, e++) {
          const h = hashWords(seed, s, a, j);
          rows.index[e] = (h >>> 1) % d;
          rows.value[e] = h & 1 ? scale : -scale;
        }
      }
      rows.start[A] = e;
    },
  });
}
