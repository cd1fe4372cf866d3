import { cosineDistance } from './ifca';

/** Cosine similarity α_ij = ⟨c_i, c_j⟩/(‖c_i‖‖c_j‖) (0 when either is zero). */
export function cosineSimilarity(x: Float64Array, y: Float64Array): number {
  return 1 - cosineDistance(x, y);
}

/** A bipartition of indices and its largest cross similarity max_{i∈A, j∈B} α_ij. */
export interface Bipartition {
  first: number[];
  second: number[];
  maxCrossSimilarity: number;
}

/**
 * The bipartition of n ≥ 2 vectors minimising the largest cross-cluster cosine similarity,
 *   (A, B) = argmin max_{i∈A, j∈B} α_ij,
 * the split criterion of clustered FL (Sattler, Müller & Samek 2020). It is solved exactly by single
 * linkage: build a maximum spanning tree of the complete graph with weights α_ij (Prim) and cut its lightest
 * edge. (Any bipartition is crossed by some tree edge, so its max cross α is ≥ the lightest tree edge; the cut
 * of that edge attains it, since an edge crossing it heavier than the cut edge would have replaced the cut
 * edge in the maximum tree.) O(n²) similarities; ties go to the smallest index. `first` holds index 0.
 */
export function bestBipartition(vectors: readonly Float64Array[]): Bipartition {
  const n = vectors.length;
  if (n < 2) throw new RangeError(`bestBipartition needs at least 2 vectors, got ${n}`);
  const alpha = vectors.map((x) => vectors.map((y) => cosineSimilarity(x, y)));
  const inTree = new Array<boolean>(n).fill(false);
  const best = new Array<number>(n).fill(-Infinity);
  const parent = new Array<number>(n).fill(-1);
  const edges: { child: number; parent: number; weight: number }[] = [];
  best[0] = Infinity;
  for (let step = 0; step < n; step++) {
    let u = -1;
    for (let i = 0; i < n; i++) if (!inTree[i] && (u < 0 || best[i] > best[u])) u = i;
    inTree[u] = true;
    if (parent[u] >= 0) edges.push({ child: u, parent: parent[u], weight: alpha[u][parent[u]] });
    for (let i = 0; i < n; i++) {
      if (!inTree[i] && alpha[u][i] > best[i]) {
        best[i] = alpha[u][i];
        parent[i] = u;
      }
    }
  }
  const cut = edges.reduce((m, e) => (e.weight < m.weight ? e : m));
  // The cut edge's child side: every vertex whose tree path to the root passes through cut.child.
  const side = new Array<boolean>(n).fill(false);
  const below = (v: number): boolean => (v === cut.child ? true : parent[v] < 0 ? false : below(parent[v]));
  for (let i = 0; i < n; i++) side[i] = below(i);
  const first = Array.from({ length: n }, (_, i) => i).filter((i) => !side[i]);
  const second = Array.from({ length: n }, (_, i) => i).filter((i) => side[i]);
  return { first, second, maxCrossSimilarity: cut.weight };
}
