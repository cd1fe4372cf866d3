import { fail } from './check';

// Agreement of two partitions of the same items given as label arrays (a clustered algorithm's picks against
// the ground truth `problem.clusterOf`). Pure functions on labels: the experiments' result rows use them, and
// analysis/clusterAgreement.ts adds the per-cluster gaps.

/** Labels as integers ≥ 0, checked, and the pair of label arrays of the same length. */
function checkLabels(field: string, labels: readonly number[], n?: number): readonly number[] {
  if (!Array.isArray(labels) || labels.length === 0) fail(field, labels, 'must be a non-empty array of cluster labels');
  if (n !== undefined && labels.length !== n) fail(field, labels.length, `must have ${n} labels, as many as the truth`);
  labels.forEach((l, i) => {
    if (!(Number.isInteger(l) && l >= 0)) fail(`${field}[${i}]`, l, 'must be an integer ≥ 0');
  });
  return labels;
}

/** Contingency table n_{uv} = #{i : a_i = u, b_i = v}. */
function contingency(a: readonly number[], b: readonly number[]): number[][] {
  const table = Array.from({ length: Math.max(...a) + 1 }, () => new Array<number>(Math.max(...b) + 1).fill(0));
  a.forEach((u, i) => (table[u][b[i]] += 1));
  return table;
}

const pairs = (x: number) => (x * (x - 1)) / 2;

/**
 * Adjusted Rand index (Hubert & Arabie 1985) of two partitions, closed form on the contingency table
 * n_{uv} with row sums a_u, column sums b_v and n items:
 *   ARI = (Σ_{uv} C(n_{uv},2) − E) / (½ (Σ_u C(a_u,2) + Σ_v C(b_v,2)) − E),  E = Σ_u C(a_u,2) Σ_v C(b_v,2) / C(n,2).
 * 1 for identical partitions (up to relabelling), 0 in expectation for independent ones. When both
 * partitions are trivial (one cluster, or all singletons) the ratio is 0/0: the value is 1 if they agree.
 */
export function adjustedRandIndex(truth: readonly number[], predicted: readonly number[]): number {
  checkLabels('truth', truth);
  checkLabels('predicted', predicted, truth.length);
  const table = contingency(truth, predicted);
  const index = table.flat().reduce((s, x) => s + pairs(x), 0);
  const rows = table.reduce((s, r) => s + pairs(r.reduce((x, y) => x + y, 0)), 0);
  const cols = table[0].reduce((s, _, v) => s + pairs(table.reduce((x, r) => x + r[v], 0)), 0);
  const expected = (rows * cols) / pairs(truth.length);
  const max = (rows + cols) / 2;
  return max === expected ? (index === expected ? 1 : 0) : (index - expected) / (max - expected);
}

/** All permutations of 0..n−1 (n ≤ 8). */
function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, j) => [...p.slice(0, j), n - 1, ...p.slice(j)]));
}

/**
 * Fraction of agents whose predicted label maps to their true one under the best one-to-one relabelling
 * of the predicted labels (exhaustive over permutations; at most 8 labels).
 */
export function assignmentAccuracy(truth: readonly number[], predicted: readonly number[]): number {
  checkLabels('truth', truth);
  checkLabels('predicted', predicted, truth.length);
  const table = contingency(truth, predicted);
  const L = Math.max(table.length, table[0].length);
  if (L > 8) fail('predicted', L, 'has more than 8 labels: the exhaustive best permutation would be too slow');
  let best = 0;
  for (const p of permutations(L)) {
    let hit = 0;
    for (let v = 0; v < table[0].length; v++) hit += p[v] < table.length ? table[p[v]][v] : 0;
    best = Math.max(best, hit);
  }
  return best / truth.length;
}
