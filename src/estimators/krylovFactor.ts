import { checkVectorInto } from '../core/check';
import { FedPGError } from '../core/errors';
import { createKrylovKernel, type KrylovKernel } from '../core/krylovKernel';
import type { StepOperator } from '../core/richardsonKernel';
import { KRYLOV_RESTART, krylovKernelFor, policyOperator, policySolveLayout, solveInKernel } from '../mdp/krylovSolve';
import type { TabularMDP } from '../mdp/problem';
import { createExactGradientKernel, type ExactGradientKernel } from './exactGradientKernel';
import { createThetaCache, type ThetaCache } from './thetaCache';

/**
 * The θ-only part of the exact gradient above DENSE_SOLVE_LIMIT (estimators/exactOracle.ts has the dense one):
 * π, log π, K = P_π (in compressed rows; dense when P is) and d_ρ, in one Krylov kernel's memory
 * (core/krylov.wat), with a copy of P's compressed rows. Agents that share P, ρ and γ and evaluate the same
 * θ share it: the N anchors of a Fast-FedPG round and the metrics at θ̄ build K and solve for d_ρ once; each
 * agent solves only its own V. d_ρ is solved with the first gradient asked for at θ, beside that agent's V
 * in one pass over K per step (a J alone does not need it).
 * Memory O(nnz(P) + S·A): P and K (at most nnz(P) entries; S² for a dense P, which has S²·A), θ, π, log π,
 * R and the gradient, and KRYLOV_RESTART + 14 vectors of S; nothing of S² for a sparse P.
 */
export interface KrylovPolicyFactor {
  readonly kind: 'krylov';
  readonly S: number;
  readonly A: number;
  readonly gamma: number;
  readonly transitions: TabularMDP['transitions'];
  readonly rho: Float64Array;
  /** K dense (P has more than a third of its S·A·S entries, as evaluatePolicy's Krylov path decides). */
  readonly dense: boolean;
  readonly theta: ThetaCache;
  readonly pi: Float64Array;
  readonly logPi: Float64Array;
  /** d_ρ at θ, once `occupancyReady`. */
  readonly occupancy: Float64Array;
  /** Whether `occupancy` holds d_ρ at the factor's θ. */
  occupancyReady: boolean;
  /** The last agent's V (factorGradient's scratch). */
  readonly value: Float64Array;
  readonly reward: Float64Array;
  readonly gradient: Float64Array;
  readonly kernel: KrylovKernel;
  readonly exact: ExactGradientKernel;
  /** Byte offsets of the tables in the kernel's memory. */
  readonly at: KrylovFactorOffsets;
  /** K = P_π and c = (I − γK)1 in the kernel, set by fillKrylovFactor. */
  op: StepOperator | null;
}

type KrylovFactorOffsets = ReturnType<typeof policySolveLayout>['at'] & { theta: number; logPi: number; reward: number; gradient: number; occupancy: number; value: number };

/**
 * The byte layout of a Krylov factor for `mdp`: policySolveLayout's tables (P, π, K, c, the solves' vectors
 * and GMRES's), then θ, log π, R and the gradient (S·A each), d_ρ and V. `dense`: K dense, as
 * evaluatePolicy's Krylov path chooses (P has more than a third of its S·A·S entries).
 */
export function krylovFactorLayout(mdp: TabularMDP): { at: KrylovFactorOffsets; end: number; dense: boolean } {
  const { S, A, transitions } = mdp;
  const d = S * A;
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
  return { at, end: at.value + 8 * S, dense };
}

/**
 * An empty Krylov factor for MDPs with these transitions, ρ and γ, in a kernel of its own (or in the one
 * `kernelFor` returns for the bytes it needs); throws when WebAssembly cannot hold it.
 */
export function createKrylovFactor(mdp: TabularMDP, kernelFor: (bytes: number, owner: object) => KrylovKernel | null = ownKernel): KrylovPolicyFactor {
  const { S, A, gamma, transitions, rho } = mdp;
  const d = S * A;
  const { at, end, dense } = krylovFactorLayout(mdp);
  const kernel = kernelFor(end, transitions);
  if (!kernel) throw new FedPGError(`exact gradient oracle: the Krylov tables of S = ${S}, nnz(P) = ${transitions.next.length} need ${end} bytes, more than WebAssembly could allocate`);
  kernel.i32(at.rowStart, d + 1).set(transitions.rowStart);
  kernel.i32(at.next, transitions.next.length).set(transitions.next);
  kernel.f64(at.prob, transitions.next.length).set(transitions.prob);
  kernel.f64(at.rho, S).set(rho);
  const f64 = (offset: number, length: number) => kernel.f64(offset, length);
  return {
    kind: 'krylov',
    S, A, gamma, transitions, rho, dense,
    theta: createThetaCache(d, f64(at.theta, d)),
    pi: f64(at.pi, d),
    logPi: f64(at.logPi, d),
    occupancy: f64(at.occupancy, S),
    occupancyReady: false,
    value: f64(at.value, S),
    reward: f64(at.reward, d),
    gradient: f64(at.gradient, d),
    kernel,
    exact: exactKernelOn(kernel),
    at,
    op: null,
  };
}

/**
 * Bring the factor's tables to the θ just stored in its cache: π and log π (softmaxLogRows's operations in
 * the kernel), K = P_π (mergeKernel(policyKernel(P, π))'s operations, or policyMatrix's) and c = (I − γK)1,
 * as evaluatePolicy's Krylov path (krylovPolicySolve) builds them, so the same bits. d_ρ waits for the first
 * gradient at θ (krylovFactorGradient).
 */
export function fillKrylovFactor(f: KrylovPolicyFactor): void {
  const { S, A, at, kernel, gamma } = f;
  f.exact.softmax(at.theta, at.pi, at.logPi, S, A);
  f.occupancyReady = false;
  f.op = policyOperator(kernel, { kind: 'transitions', P: f.transitions, pi: f.pi, dense: f.dense }, at, gamma);
}

/** A solve missed its error bound (callers fall back to the Gauss–Seidel path). */
export class KrylovNotConverged extends FedPGError {
  constructor(what: string) {
    super(`exact gradient: the Krylov solve did not reach its error bound for ${what}`);
  }
}

/**
 * J(θ) = ρᵀV and, into `out` unless null, ∇J(θ) of `mdp` from a factor prepared at θ: r_π (the kernel's
 * policyReward), V (and d_ρ, if not solved yet at θ and a gradient is asked for) by mdp/krylovSolve.ts's
 * solveInKernel, the gradient (the kernel's gradient); the operations of evaluatePolicy's Krylov path and of
 * gradientFromEvaluation, so the same bits.
 */
export function krylovFactorGradient(f: KrylovPolicyFactor, mdp: TabularMDP, entropy: number, out: Float64Array | null): number {
  const { S, A, gamma, reward: R, rho } = mdp;
  const { at, kernel } = f;
  const op = f.op as StepOperator;
  f.reward.set(R);
  f.exact.policyReward(at.reward, at.pi, at.logPi, entropy, S, A, at.r);
  const withOccupancy = out !== null && !f.occupancyReady;
  const solved = solveInKernel(kernel, op, at, true, withOccupancy);
  if (!solved) throw new KrylovNotConverged(withOccupancy ? 'V or d_ρ' : 'V');
  f.value.set(kernel.f64(solved.value, S));
  if (withOccupancy) {
    f.occupancy.set(kernel.f64(solved.occupancy, S));
    f.occupancyReady = true;
  }
  const V = f.value;
  if (out) {
    f.exact.gradient(at.reward, at.pi, at.logPi, at.occupancy, at.value, at.rowStart, at.next, at.prob, entropy, gamma, 1 / (1 - gamma), S, A, at.gradient);
    out.set(f.gradient);
  }
  let J = 0;
  for (let s = 0; s < S; s++) J += rho[s] * V[s];
  return J;
}

function ownKernel(bytes: number): KrylovKernel | null {
  const kernel = createKrylovKernel();
  return kernel.reserve(bytes) ? kernel : null;
}

/** The exact-gradient kernel last instantiated on a Krylov kernel's memory (the shared one is reused). */
let lastExact: { kernel: KrylovKernel; exact: ExactGradientKernel } | null = null;

function exactKernelOn(kernel: KrylovKernel): ExactGradientKernel {
  if (lastExact?.kernel !== kernel) lastExact = { kernel, exact: createExactGradientKernel(kernel.k.memory) };
  return lastExact.exact;
}

/**
 * ∇J(θ) (τ ≥ 0) of `mdp` on the Krylov path, for exactGradient: a factor for this one call in the Krylov
 * kernel that mdp/krylovSolve.ts's krylovKernelFor lends (the thread's shared one, or for tables above
 * 256 MiB the one kept with the MDP's transitions; P copied in on every call), filled at θ
 * (validated as checkVector does, while copied into the kernel), then krylovFactorGradient: V and d_ρ in one pass over P_π per step, π, r_π and the
 * gradient in the exact-gradient kernel. The numbers are evaluatePolicy's Krylov path's and
 * gradientFromEvaluation's, bit for bit. null when WebAssembly cannot hold the tables or a solve misses
 * its guarantee (the caller then goes through evaluatePolicy, which falls back to Gauss–Seidel).
 */
export function krylovExactGradient(mdp: TabularMDP, theta: unknown, entropy: number): Float64Array | null {
  let f: KrylovPolicyFactor;
  try {
    f = createKrylovFactor(mdp, krylovKernelFor);
  } catch (e) {
    if (e instanceof FedPGError) return null;
    throw e;
  }
  checkVectorInto('theta', theta, f.theta.theta);
  f.theta.filled = true;
  fillKrylovFactor(f);
  const out = new Float64Array(mdp.S * mdp.A);
  try {
    krylovFactorGradient(f, mdp, entropy, out);
  } catch (e) {
    if (e instanceof KrylovNotConverged) return null;
    throw e;
  }
  return out;
}
