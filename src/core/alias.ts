/**
 * Walker's alias method (Vose's stable construction) for O(1) sampling from a discrete distribution.
 *
 * For a distribution p over n entries stored at `prob[start .. start+n)`, the table holds for each slot j a
 * cut `cut[start+j] ∈ [0,1]` and an alternative slot `other[start+j]` (relative to `start`). One uniform u
 * draws an index: x = u·n, j = ⌊x⌋; the draw is j if x − j < cut[j], else other[j]. Every slot carries
 * mass 1/n, so P(j) = (cut[j] + Σ_{k: other[k]=j} (1 − cut[k])) / n = p_j.
 */
export function buildAlias(
  prob: ArrayLike<number>,
  start: number,
  n: number,
  cut: Float64Array,
  other: Int32Array,
  work: Int32Array = new Int32Array(2 * n),
): void {
  let sum = 0;
  for (let j = 0; j < n; j++) sum += prob[start + j];
  // scaled[j] = n p_j / Σp, kept in `cut` while the table is built.
  let nSmall = 0;
  let nLarge = 0;
  for (let j = 0; j < n; j++) {
    const scaled = (prob[start + j] * n) / sum;
    cut[start + j] = scaled;
    other[start + j] = j;
    if (scaled < 1) work[nSmall++] = j;
    else work[n + nLarge++] = j;
  }
  while (nSmall > 0 && nLarge > 0) {
    const small = work[--nSmall];
    const large = work[n + --nLarge];
    other[start + small] = large;
    const rest = cut[start + large] + cut[start + small] - 1;
    cut[start + large] = rest;
    if (rest < 1) work[nSmall++] = large;
    else work[n + nLarge++] = large;
  }
  // Leftovers are 1 up to round-off.
  while (nLarge > 0) cut[start + work[n + --nLarge]] = 1;
  while (nSmall > 0) cut[start + work[--nSmall]] = 1;
}

/** Draw a slot in [0, n) from an alias table with one uniform u ∈ [0, 1). */
export function sampleAlias(cut: Float64Array, other: Int32Array, start: number, n: number, u: number): number {
  const x = u * n;
  const j = x | 0;
  return x - j < cut[start + j] ? j : other[start + j];
}
