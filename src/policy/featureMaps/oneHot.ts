import { checkInteger } from '../../core/check';
import type { FeatureMap, FeatureRows } from '../features';

/**
 * One-hot features over S states and A actions: φ(s, a) = e_{s·A + a} ∈ R^{S·A}, so θᵀφ(s, a) = θ(s, a)
 * and the log-linear policy is the tabular softmax (policy/softmax.ts) with the same θ: d = S·A, and the
 * logits, probabilities, scores, exact gradients and sampled estimates are the tabular ones bit for bit
 * (test/policyClasses.test.ts). Φ is the identity (`identity`), which exact and kernel paths use as such.
 */
export function oneHotFeatures(S: number, A: number): FeatureMap<number> {
  checkInteger('S', S, 1);
  checkInteger('A', A, 1);
  return Object.freeze({
    kind: 'fedpg-lab/features' as const,
    name: 'one-hot',
    dimension: S * A,
    actions: A,
    capacity: A,
    description: Object.freeze({ kind: 'one-hot' }),
    identity: true,
    write(s: number, rows: FeatureRows) {
      for (let a = 0; a < A; a++) {
        rows.start[a] = a;
        rows.index[a] = s * A + a;
        rows.value[a] = 1;
      }
      rows.start[A] = A;
    },
  });
}
