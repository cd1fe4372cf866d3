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

/**
 * σ = ‖W − 11ᵀ/N‖₂, the second largest |eigenvalue| of the symmetric doubly stochastic W (0 for 'server'):
 * the mixing's contraction of disagreement, and what Yang et al.'s analysis of FedNPG over a graph depends
 * on (their rates and step condition degrade as σ → 1). Closed form for the ring with weights 1/3 (N ≥ 3),
 * a circulant matrix with eigenvalues 1/3 + (2/3) cos(2πk/N), k = 0 … N−1:
 *   σ = max_{k=1…N−1} |1/3 + (2/3) cos(2πk/N)|.
 */
export function mixingSecondEigenvalue(kind: Mixing, N: number): number {
  mixingMatrix(kind, N);
  if (kind === 'server' || N <= 2) return 0;
  let sigma = 0;
  for (let k = 1; k < N; k++) sigma = Math.max(sigma, Math.abs(1 / 3 + (2 / 3) * Math.cos((2 * Math.PI * k) / N)));
  return sigma;
}

/**
 * The largest step fednpg accepts over a decentralised W without `beyondTheorem`:
 *   η ≤ (1 − σ)² (1 − γ)/τ.
 * Yang et al.'s (NeurIPS 2024) linear convergence of entropy-regularised FedNPG over a graph holds for η below
 * a threshold that shrinks as the spectral gap 1 − σ closes; the theorem's explicit threshold could not be read
 * from the copies of the paper available to us, so this bound is ours: the centralised bound (1 − γ)/τ of
 * Cen et al. (2022), which W = 11ᵀ/N (σ = 0) attains, times (1 − σ)² (docs/plugins.md). At N = 5 on a ring
 * (σ = 0.539), γ = 0.9, τ = 0.1 it is 0.212, and a ring run at η = 1 there settles at a gap of 0.014 instead of
 * converging (baselines.json); at N = 4 (σ = 1/3) η = 1 still converges, so the bound can be conservative.
 */
export function decentralisedStepBound(sigma: number, gamma: number, tau: number): number {
  return ((1 - sigma) ** 2 * (1 - gamma)) / tau;
}
