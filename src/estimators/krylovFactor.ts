import { FedPGError } from '../core/errors';
import type { GmresLayout, KernelOperator } from '../core/gmresKernel';
import { createKrylovKernel, type KrylovKernel } from '../core/krylovKernel';
import { KRYLOV_RESTART, policySolveLayout, solveOccupancyInKernel, solveValueInKernel } from '../mdp/krylovSolve';
import type { TabularMDP } from '../mdp/problem';
import { createExactGradientKernel, type ExactGradientKernel } from './exactGradientKernel';
import { createThetaCache, type ThetaCache } from './thetaCache';

/**
 * The θ-only part of the exact gradient above DENSE_SOLVE_LIMIT (estimators/exactOracle.ts has the dense one):
 * π, log π, K = P_π (in compressed rows; dense when P is) and d_ρ, in one Krylov kernel's memory (core/krylov.wat), with a copy
 * of P's compressed rows. Agents that share P, ρ and γ and evaluate the same θ share it: the N anchors of a
 * Fast-FedPG round and the metrics at θ̄ build K and solve for d_ρ once; each agent solves only its own V.
 * Memory O(nnz(P) + S·A): P and K (at most nnz(P) entries; S² for a dense P, which has S²·A), θ, π, log π,
 * R and the gradient, and KRYLOV_RESTART + 7 vectors of S; nothing of S² for a sparse P.
 */
export interface KrylovPolicyFactor {
  readonly kind: 'krylov';
  readonly S: number;
  readonly A: number;
  readonly gamma: number;
  readonly transitions: TabularMDP['transitions'];
  readonly rho: Float64Array;
  readonly theta: ThetaCache;
  readonly pi: Float64Array;
  readonly logPi: Float64Array;
  /** d_ρ at θ. */
  readonly occupancy: Float64Array;
  /** The last agent's V (factorGradient's scratch). */
  readonly value: Float64Array;
  readonly reward: Float64Array;
  readonly gradient: Float64Array;
  readonly kernel: KrylovKernel;
  readonly exact: ExactGradientKernel;
  /** Byte offsets of the tables in the kernel's memory. */
  readonly at: KrylovFactorOffsets;
  /** I − γK in the kernel (compressed rows at the offsets above). */
  readonly op: KernelOperator;
  /** The GMRES vectors. */
  readonly vectors: GmresLayout;
}

type KrylovFactorOffsets = ReturnType<typeof policySolveLayout>['at'] & { theta: number; logPi: number; reward: number; gradient: number; occupancy: number; value: number };

/** An empty Krylov factor for MDPs with these transitions, ρ and γ; throws when WebAssembly cannot hold it. */
export function createKrylovFactor(mdp: TabularMDP): KrylovPolicyFactor {
  const { S, A, gamma, transitions, rho } = mdp;
  const d = S * A;
  // Dense K when P is (evaluatePolicy's Krylov path chooses the same, so the sums are formed alike).
  const dense = transitions.next.length * 3 > S * A * S;
  const base = policySolveLayout({ kind: 'transitions', P: transitions, pi: new Float64Array(0), dense }, KRYLOV_RESTART);
  const extra = (k: number) => base.end + 16 * Math.ceil((8 * d) / 16) * k;
  const at: KrylovFactorOffsets = {
    ...base.at,
    theta: extra(0),
    logPi: extra(1),
    reward: extra(2),
    gradient: extra(3),
    occupancy: extra(4),
    value: extra(4) + 16 * Math.ceil((8 * S) / 16),
  };
  const end = at.value + 8 * S;
  const kernel = createKrylovKernel();
  if (!kernel.reserve(end)) throw new FedPGError(`exact gradient oracle: the Krylov tables of S = ${S}, nnz(P) = ${transitions.next.length} need ${end} bytes, more than WebAssembly could allocate`);
  kernel.i32(at.rowStart, d + 1).set(transitions.rowStart);
  kernel.i32(at.next, transitions.next.length).set(transitions.next);
  kernel.f64(at.prob, transitions.next.length).set(transitions.prob);
  const f64 = (offset: number, length: number) => kernel.f64(offset, length);
  return {
    kind: 'krylov',
    S, A, gamma, transitions, rho,
    theta: createThetaCache(d, f64(at.theta, d)),
    pi: f64(at.pi, d),
    logPi: f64(at.logPi, d),
    occupancy: f64(at.occupancy, S),
    value: f64(at.value, S),
    reward: f64(at.reward, d),
    gradient: f64(at.gradient, d),
    kernel,
    exact: createExactGradientKernel(kernel.k.memory),
    at,
    op: dense ? { kind: 'dense', n: S, matrix: at.kVal, gamma, transposed: false } : { kind: 'csr', n: S, rowStart: at.kRow, col: at.kCol, val: at.kVal, gamma, transposed: false },
    vectors: { b: at.b, x: at.x, r: at.r, w: at.w, basis: at.basis, h: at.h },
  };
}

/**
 * Bring the factor's tables to the θ just stored in its cache: π and log π (softmaxLogRows's operations in
 * the kernel), K = P_π merged (mergeKernel(policyKernel(P, π))'s operations), d_ρ by GMRES from the
 * starting point of mdp/krylovSolve.ts. The same operations as evaluatePolicy's Krylov path
 * (krylovPolicySolve), so the same bits. Throws when GMRES misses its bound (the caller then evaluates
 * with exactGradient, whose path falls back to Gauss–Seidel).
 */
export function fillKrylovFactor(f: KrylovPolicyFactor): void {
  const { S, A, at, kernel, gamma } = f;
  f.exact.softmax(at.theta, at.pi, at.logPi, S, A);
  if (f.op.kind === 'dense') kernel.k.policyMatrix(S, A, at.rowStart, at.next, at.prob, at.pi, at.kVal);
  else kernel.k.policyKernel(S, A, at.rowStart, at.next, at.prob, at.pi, at.marker, at.kRow, at.kCol, at.kVal);
  kernel.f64(at.b, S).set(f.rho);
  if (!solveOccupancyInKernel(kernel, f.op, f.vectors, gamma)) throw new KrylovNotConverged('d_ρ');
  f.occupancy.set(kernel.f64(at.x, S));
}

/** GMRES missed its error bound within its cycles (callers fall back to the Gauss–Seidel path). */
export class KrylovNotConverged extends FedPGError {
  constructor(what: string) {
    super(`exact gradient: GMRES did not reach its error bound for ${what}`);
  }
}

/**
 * J(θ) = ρᵀV and, into `out` unless null, ∇J(θ) of `mdp` from a factor prepared at θ: r_π (the kernel's
 * policyReward), V by GMRES (krylovSolve.ts's solveValueInKernel), the gradient (the kernel's gradient); the
 * operations of evaluatePolicy's Krylov path and of gradientFromEvaluation, so the same bits.
 */
export function krylovFactorGradient(f: KrylovPolicyFactor, mdp: TabularMDP, entropy: number, out: Float64Array | null): number {
  const { S, A, gamma, reward: R, rho } = mdp;
  const { at, kernel } = f;
  f.reward.set(R);
  f.exact.policyReward(at.reward, at.pi, at.logPi, entropy, S, A, at.b);
  if (!solveValueInKernel(kernel, f.op, f.vectors, gamma)) throw new KrylovNotConverged('V');
  const V = f.value;
  V.set(kernel.f64(at.x, S));
  if (out) {
    f.exact.gradient(at.reward, at.pi, at.logPi, at.occupancy, at.value, at.rowStart, at.next, at.prob, entropy, gamma, 1 / (1 - gamma), S, A, at.gradient);
    out.set(f.gradient);
  }
  let J = 0;
  for (let s = 0; s < S; s++) J += rho[s] * V[s];
  return J;
}
