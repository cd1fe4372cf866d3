import { ValidationError } from '../algorithms/plugin';

/** The mixing matrices FedNPG supports: server averaging (W = 11ᵀ/N) and a ring. */
export const FEDNPG_MIXINGS = ['server', 'ring'] as const;
/** A mixing matrix kind of FedNPG. */
export type Mixing = (typeof FEDNPG_MIXINGS)[number];

/**
 * The N×N mixing matrix W (rows = agents, doubly stochastic, symmetric):
 * - 'server': W = 11ᵀ/N, every agent gets the average (a server, or a complete graph);
 * - 'ring':   agent n mixes with n ± 1 (mod N) with Metropolis weights, W_{n,n} = W_{n,n±1} = 1/3 for N ≥ 3;
 *   for N = 2 the ring is one edge, W = [[1/2, 1/2], [1/2, 1/2]]; for N = 1, W = [1].
 */
export function mixingMatrix(kind: Mixing, N: number): Float64Array[] {
  if (!Number.isInteger(N) || N < 1) throw new ValidationError('agents', N, `agents must be an integer ≥ 1, got ${N}`);
  const W = Array.from({ length: N }, () => new Float64Array(N));
  if (kind === 'server' || N <= 2) {
    for (const row of W) row.fill(1 / N);
    return W;
  }
  if (kind !== 'ring') throw new ValidationError('mixing', kind, `mixing must be one of ${FEDNPG_MIXINGS.join(', ')}, got ${String(kind)}`);
  for (let n = 0; n < N; n++) {
    W[n][n] = 1 / 3;
    W[n][(n + 1) % N] = 1 / 3;
    W[n][(n + N - 1) % N] = 1 / 3;
  }
  return W;
}

/** Neighbours of each agent under W (j ≠ n with W_{n,j} > 0): what one exchange sends. */
export function neighbourCount(W: readonly Float64Array[]): number {
  let links = 0;
  W.forEach((row, n) => row.forEach((w, j) => (links += j !== n && w > 0 ? 1 : 0)));
  return links;
}
