import { gmresBytes, gmresKernel, type GmresLayout, type KernelOperator } from '../core/gmresKernel';
import { createKrylovKernel, type KrylovKernel, layout } from '../core/krylovKernel';
import { richardson, type RichardsonSolve, startOccupancy, startValue, type StepOperator } from '../core/richardsonKernel';
import type { Transitions } from './transitions';

/** Relative accuracy that the Krylov and iterative solvers guarantee (sup norm, against the solution's scale). */
export const ITERATIVE_TOLERANCE = 1e-14;

/**
 * Krylov dimension of a GMRES cycle (GMRES runs when Richardson contracts slowly). The Gram–Schmidt work
 * per step grows with the cycle's length; on Garnets b = 5, A = 4 (where GMRES alone used to run) short
 * cycles lost little to restarts (docs/performance.md).
 */
export const KRYLOV_RESTART = 20;

/** Cycles before GMRES gives up (the caller then falls back to Gauss–Seidel). */
export const KRYLOV_MAX_CYCLES = 50;

/** Solutions of V = r_π + γ P_π V and dᵀ = (1−γ) ρᵀ + γ dᵀ P_π. */
export interface DiscountedSolution {
  V: Float64Array;
  occupancy: Float64Array;
}

/**
 * Products with K of the last value and occupancy solves on this thread (Richardson steps plus GMRES
 * iterations), and how many of them were GMRES's (for the bench and tests).
 */
export const lastKrylovIterations = { value: 0, occupancy: 0, gmres: { value: 0, occupancy: 0 } };

/**
 * The error guarantees of the two solves, from their true residuals: ‖(I − γP_π)⁻¹‖∞ = ‖(I − γP_π)⁻ᵀ‖₁ =
 * 1/(1−γ) for a stochastic P_π, so ‖V − V*‖∞ ≤ ‖res‖∞/(1−γ) and ‖d − d*‖₁ ≤ ‖res_x‖₁ (d = (1−γ) x).
 * V must be within ITERATIVE_TOLERANCE · max|r|/(1−γ), d within ITERATIVE_TOLERANCE in ℓ₁.
 */
export function valueResidualBound(rMax: number, gamma: number): number {
  return ITERATIVE_TOLERANCE * Math.max(rMax, (1 - gamma) * Number.MIN_VALUE);
}

/** Where K = P_π comes from: built in the kernel from P and π, or given in compressed rows (merged). */
export type KernelSource =
  | { kind: 'transitions'; P: Transitions; pi: Float64Array; dense: boolean }
  | { kind: 'rows'; S: number; rowStart: Int32Array; col: Int32Array; val: Float64Array };

/** Instances up to this size are shared by the thread's solves and kept for its lifetime. */
const SHARED_BYTES = 256 * 2 ** 20;
let shared: KrylovKernel | null = null;
/** Larger instances, one per transitions object, kept as long as it lives (reused by its next solves). */
const byOwner = new WeakMap<object, KrylovKernel>();

/**
 * A Krylov kernel with at least `bytes` of memory for one call: the thread's shared instance when `bytes` ≤
 * 256 MiB (grown as needed); above, the instance kept for `owner` (the MDP's transitions: a large problem
 * solved again reuses its memory instead of touching fresh pages, ≈ 0.9 s a call at S = 3·10⁵ on the
 * development machine), or a new one without an owner. null when WebAssembly cannot hold it. Views on its
 * memory taken before a later call may be detached.
 */
export function krylovKernelFor(bytes: number, owner?: object): KrylovKernel | null {
  let kernel: KrylovKernel;
  if (bytes <= SHARED_BYTES) kernel = shared ??= createKrylovKernel();
  else if (owner) {
    kernel = byOwner.get(owner) ?? createKrylovKernel();
    byOwner.set(owner, kernel);
  } else kernel = createKrylovKernel();
  return kernel.reserve(bytes) ? kernel : null;
}

/**
 * The byte layout of one policy solve: P (or K's rows), π, K, c = (I − γK)1, 32 bytes of statistics, the
 * right-hand sides r and ρ, two buffers for each iterate (u, u2 and x, x2), and GMRES's vectors (b, r, w,
 * its Hessenberg column h and basis), which only a solve that falls back to GMRES touches.
 */
export function policySolveLayout(source: KernelSource, restart: number) {
  const S = source.kind === 'transitions' ? source.P.S : source.S;
  const g = gmresBytes(S, restart);
  const kernelBytes = source.kind === 'transitions'
    ? (() => {
        const { P, dense } = source;
        const nnz = P.next.length;
        const d = P.S * P.A;
        return { rowStart: 4 * (d + 1), next: 4 * nnz, prob: 8 * nnz, pi: 8 * d, marker: dense ? 0 : 4 * S, kRow: dense ? 0 : 4 * (S + 1), kCol: dense ? 0 : 4 * nnz, kVal: dense ? 8 * S * S : 8 * nnz };
      })()
    : { rowStart: 0, next: 0, prob: 0, pi: 0, marker: 0, kRow: 4 * (S + 1), kCol: 4 * source.col.length, kVal: 8 * source.val.length };
  const v = g.vector;
  return layout(16, { ...kernelBytes, c: v, stats: 32, r: v, rho: v, u: v, u2: v, x: v, x2: v, gb: v, gr: v, gw: v, h: g.h, basis: g.basis });
}

type PolicySolveOffsets = ReturnType<typeof policySolveLayout>['at'];

/**
 * K = P_π in the kernel at the layout's offsets, and c = (I − γK)1: built from P and π (compressed rows with
 * repeated columns merged, the kernel's policyKernel; dense, policyMatrix) with P and π already copied in,
 * or copied from `source`'s rows. Returns the operator of the solves.
 */
export function policyOperator(kernel: KrylovKernel, source: KernelSource, at: PolicySolveOffsets, gamma: number): StepOperator {
  const { k } = kernel;
  if (source.kind === 'transitions' && source.dense) {
    const { P } = source;
    k.policyMatrix(P.S, P.A, at.rowStart, at.next, at.prob, at.pi, at.kVal);
    k.denseDiscountedRowSums(at.kVal, P.S, gamma, at.c);
    return { kind: 'dense', n: P.S, matrix: at.kVal, gamma, transposed: false, c: at.c };
  }
  let S: number;
  if (source.kind === 'transitions') {
    const { P } = source;
    S = P.S;
    k.policyKernel(S, P.A, at.rowStart, at.next, at.prob, at.pi, at.marker, at.kRow, at.kCol, at.kVal);
  } else {
    S = source.S;
    kernel.i32(at.kRow, S + 1).set(source.rowStart);
    kernel.i32(at.kCol, source.col.length).set(source.col);
    kernel.f64(at.kVal, source.val.length).set(source.val);
  }
  k.csrDiscountedRowSums(S, at.kRow, at.kVal, gamma, at.c);
  return { kind: 'csr', n: S, rowStart: at.kRow, col: at.kCol, val: at.kVal, gamma, transposed: false, c: at.c };
}

/**
 * Policy evaluation's two solves, (I − γP_π) V = r_π and (I − γP_π)ᵀ x = ρ with d_ρ = (1−γ) x, in the Krylov
 * kernel (core/krylov.wat): K = P_π built there from P and π (compressed rows with repeated columns
 * merged, or dense when `dense`), or copied from `source`'s rows; then solveInKernel for both. null when
 * a solve misses its guarantee or WebAssembly cannot hold the tables (the caller falls back to
 * Gauss–Seidel). Memory: P and K in the kernel, O(nnz(P)) (dense K: S²), and KRYLOV_RESTART + 12 vectors
 * of S (the GMRES basis only touched when a solve falls back to GMRES).
 */
export function krylovPolicySolve(source: KernelSource, r: Float64Array, rho: Float64Array, gamma: number): DiscountedSolution | null {
  const S = source.kind === 'transitions' ? source.P.S : source.S;
  const { at, end } = policySolveLayout(source, KRYLOV_RESTART);
  const kernel = krylovKernelFor(end, source.kind === 'transitions' ? source.P : undefined);
  if (!kernel) return null;
  if (source.kind === 'transitions') {
    const { P, pi } = source;
    const nnz = P.next.length;
    kernel.i32(at.rowStart, P.S * P.A + 1).set(P.rowStart);
    kernel.i32(at.next, nnz).set(P.next);
    kernel.f64(at.prob, nnz).set(P.prob);
    kernel.f64(at.pi, P.S * P.A).set(pi);
  }
  const op = policyOperator(kernel, source, at, gamma);
  kernel.f64(at.r, S).set(r);
  kernel.f64(at.rho, S).set(rho);
  const out = solveInKernel(kernel, op, at, true, true);
  if (!out) return null;
  return { V: Float64Array.from(kernel.f64(out.value, S)), occupancy: Float64Array.from(kernel.f64(out.occupancy, S)) };
}

/**
 * The value solve (when `value`; r at `at.r`) and the occupancy solve (when `occupancy`; ρ at `at.rho`)
 * for the operator `op`: deflated Richardson (core/richardsonKernel.ts; both in one pass over K while both
 * run), then, for a solve whose residual contracts slowly, restarted GMRES (core/gmresKernel.ts) from
 * where Richardson stopped. Each solve's bits are the same whether it runs alone or beside the other.
 * Both must meet valueResidualBound (V, ‖·‖∞) and ITERATIVE_TOLERANCE (x, ‖·‖₁) on their true residuals.
 * Returns the byte offsets of V and of d_ρ = (1−γ) x (−1 for a solve not asked for), or null when a solve
 * missed its guarantee.
 */
export function solveInKernel(kernel: KrylovKernel, op: StepOperator, at: PolicySolveOffsets, value: boolean, occupancy: boolean): { value: number; occupancy: number } | null {
  const S = op.n;
  const solves: RichardsonSolve[] = [];
  if (value) {
    const r = kernel.f64(at.r, S);
    let rMax = 0;
    for (let s = 0; s < S; s++) rMax = Math.max(rMax, Math.abs(r[s]));
    solves.push(startValue(kernel, op, at.r, at.u, at.u2, valueResidualBound(rMax, op.gamma)));
  }
  if (occupancy) solves.push(startOccupancy(kernel, op, at.rho, at.x, at.x2, ITERATIVE_TOLERANCE));
  richardson(kernel, op, solves, at.stats);
  const out = { value: -1, occupancy: -1 };
  for (const solve of solves) {
    const steps = solve.residuals.length + (solve.status === 'slow' ? 0 : 1);
    let gmres = 0;
    if (solve.status === 'slow') {
      const result = finishWithGmres(kernel, op, at, solve);
      gmres = result.iterations;
      if (result.converged) solve.status = 'converged';
    }
    if (solve.kind === 'value') lastKrylovIterations.value = steps + gmres;
    else lastKrylovIterations.occupancy = steps + gmres;
    lastKrylovIterations.gmres[solve.kind] = gmres;
    if (solve.status !== 'converged') return null;
    const x = kernel.f64(solve.current, S);
    if (solve.kind === 'value') {
      for (let s = 0; s < S; s++) x[s] += solve.beta;
      out.value = solve.current;
    } else {
      for (let s = 0; s < S; s++) x[s] *= 1 - op.gamma;
      out.occupancy = solve.current;
    }
  }
  return out;
}

/**
 * GMRES from Richardson's last iterate, on the same system: (I − γK) u = r − βc for the value (V = u + β1),
 * (I − γK)ᵀ x = ρ for the occupancy. A cycle stops early once its 2-norm estimate is below half the bound
 * (‖·‖∞ ≤ ‖·‖₂), or half the bound over √S (‖·‖₁ ≤ √S ‖·‖₂); the test is on the true residual.
 */
function finishWithGmres(kernel: KrylovKernel, op: StepOperator, at: PolicySolveOffsets, solve: RichardsonSolve) {
  const S = op.n;
  const k = kernel.k;
  const vectors: GmresLayout = { b: solve.rhs, x: solve.current, r: at.gr, w: at.gw, basis: at.basis, h: at.h };
  if (solve.kind === 'value') {
    const b = kernel.f64(at.gb, S);
    const r = kernel.f64(solve.rhs, S);
    const c = kernel.f64(op.c, S);
    for (let s = 0; s < S; s++) b[s] = r[s] - solve.beta * c[s];
    vectors.b = at.gb;
  }
  const kernelOp: KernelOperator = { ...op, transposed: solve.kind === 'occupancy' };
  return gmresKernel(kernel, kernelOp, vectors, {
    restart: KRYLOV_RESTART,
    maxCycles: KRYLOV_MAX_CYCLES,
    tolerance: solve.kind === 'value' ? 0.5 * solve.bound : (0.5 * solve.bound) / Math.sqrt(S),
    accept: solve.kind === 'value' ? (res) => k.maxAbs(res, S) <= solve.bound : (res) => k.sumAbs(res, S) <= solve.bound,
  });
}
