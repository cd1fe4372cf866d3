import { applyOperator, gmresBytes, gmresKernel, type GmresLayout, type KernelOperator } from '../core/gmresKernel';
import { createKrylovKernel, type KrylovKernel, layout } from '../core/krylovKernel';
import type { Transitions } from './transitions';

/** Relative accuracy that the Krylov and iterative solvers guarantee (sup norm, against the solution's scale). */
export const ITERATIVE_TOLERANCE = 1e-14;

/**
 * Krylov dimension of a GMRES cycle. I − γP_π of a mixing chain has one eigenvalue 1 − γ (eigenvector 1) and
 * the rest near 1, so short cycles lose little to restarts, and the Gram–Schmidt work per step grows with
 * the cycle's length (measured on Garnets b = 5, A = 4: docs/performance.md).
 */
export const KRYLOV_RESTART = 20;

/** Cycles before GMRES gives up (the caller then falls back to Gauss–Seidel). */
export const KRYLOV_MAX_CYCLES = 50;

/** Solutions of V = r_π + γ P_π V and dᵀ = (1−γ) ρᵀ + γ dᵀ P_π. */
export interface DiscountedSolution {
  V: Float64Array;
  occupancy: Float64Array;
}

/** Iterations of the two solves of the last krylovPolicySolve on this thread (for the bench and tests). */
export const lastKrylovIterations = { value: 0, occupancy: 0 };

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

/** Instances up to this size are kept for the thread's lifetime; a larger solve gets one of its own. */
const SHARED_BYTES = 256 * 2 ** 20;
let shared: KrylovKernel | null = null;

/** The byte layout of one policy solve: P (or K's rows), π, K, and the GMRES vectors. */
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
  return layout(16, { ...kernelBytes, b: g.vector, x: g.vector, r: g.vector, w: g.vector, basis: g.basis, h: g.h });
}

/**
 * Policy evaluation's two solves, (I − γP_π) V = r_π and (I − γP_π)ᵀ x = ρ with d_ρ = (1−γ) x, by restarted
 * GMRES in the Krylov kernel (core/krylov.wat, core/gmresKernel.ts): K = P_π is built in the kernel from P
 * and π (compressed rows with repeated columns merged, or dense when `dense`), or copied from `source`'s
 * rows. Both solves must meet the guarantees of valueResidualBound, checked on their true residuals;
 * null when GMRES does not get there in KRYLOV_MAX_CYCLES cycles, or WebAssembly cannot hold the tables
 * (the caller falls back to Gauss–Seidel). V is solved as mean(r)/(1−γ) plus a deviation (below); x from
 * x₀ = ρ + γ/((1−γ)S) (x sums to 1/(1−γ)). Memory: P and K in the kernel, O(nnz(P)) (dense K: S²),
 * and KRYLOV_RESTART + 5 vectors of S.
 */
export function krylovPolicySolve(source: KernelSource, r: Float64Array, rho: Float64Array, gamma: number): DiscountedSolution | null {
  const S = source.kind === 'transitions' ? source.P.S : source.S;
  const { at, end } = policySolveLayout(source, KRYLOV_RESTART);
  let kernel: KrylovKernel;
  if (end <= SHARED_BYTES) kernel = shared ??= createKrylovKernel();
  else kernel = createKrylovKernel();
  if (!kernel.reserve(end)) return null;
  let op: KernelOperator;
  if (source.kind === 'transitions') {
    const { P, pi, dense } = source;
    const d = P.S * P.A;
    const nnz = P.next.length;
    kernel.i32(at.rowStart, d + 1).set(P.rowStart);
    kernel.i32(at.next, nnz).set(P.next);
    kernel.f64(at.prob, nnz).set(P.prob);
    kernel.f64(at.pi, d).set(pi);
    if (dense) {
      kernel.k.policyMatrix(S, P.A, at.rowStart, at.next, at.prob, at.pi, at.kVal);
      op = { kind: 'dense', n: S, matrix: at.kVal, gamma, transposed: false };
    } else {
      kernel.k.policyKernel(S, P.A, at.rowStart, at.next, at.prob, at.pi, at.marker, at.kRow, at.kCol, at.kVal);
      op = { kind: 'csr', n: S, rowStart: at.kRow, col: at.kCol, val: at.kVal, gamma, transposed: false };
    }
  } else {
    kernel.i32(at.kRow, S + 1).set(source.rowStart);
    kernel.i32(at.kCol, source.col.length).set(source.col);
    kernel.f64(at.kVal, source.val.length).set(source.val);
    op = { kind: 'csr', n: S, rowStart: at.kRow, col: at.kCol, val: at.kVal, gamma, transposed: false };
  }
  const vectors: GmresLayout = { b: at.b, x: at.x, r: at.r, w: at.w, basis: at.basis, h: at.h };
  kernel.f64(at.b, S).set(r);
  if (!solveValueInKernel(kernel, op, vectors, gamma)) return null;
  const V = Float64Array.from(kernel.f64(at.x, S));
  kernel.f64(at.b, S).set(rho);
  if (!solveOccupancyInKernel(kernel, op, vectors, gamma)) return null;
  return { V, occupancy: Float64Array.from(kernel.f64(at.x, S)) };
}

/**
 * V = (I − γK)⁻¹ r with r at `at.b` (overwritten), left at `at.x`; false when GMRES did not meet
 * valueResidualBound. V is solved as α1 + U with α = mean(r)/(1−γ): the constant vector is the slow mode of
 * I − γK (eigenvalue 1 − γ, exactly for stochastic rows), so U, of the scale of r's spread, is what GMRES
 * solves for, (I − γK) U = r − (I − γK)(α1) (formed with the same product), from U₀ = r − mean(r). Without
 * it the residual of V, of the scale max|r|/(1−γ), carries rounding noise of ε·max|r|/(1−γ), as large as
 * the bound at γ = 0.99.
 */
export function solveValueInKernel(kernel: KrylovKernel, op: KernelOperator, at: GmresLayout, gamma: number): boolean {
  const S = op.n;
  const r = kernel.f64(at.b, S);
  let rMax = 0;
  let rMean = 0;
  for (let s = 0; s < S; s++) {
    rMax = Math.max(rMax, Math.abs(r[s]));
    rMean += r[s] / S;
  }
  const alpha = rMean / (1 - gamma);
  kernel.f64(at.r, S).fill(alpha);
  applyOperator(kernel, op, at.r, at.w);
  const x = kernel.f64(at.x, S);
  for (let s = 0; s < S; s++) x[s] = r[s] - rMean;
  kernel.k.subtract(at.b, at.w, at.b, S);
  if (!solveInKernel(kernel, op, at, S, 'value', valueResidualBound(rMax, gamma))) return false;
  for (let s = 0; s < S; s++) x[s] += alpha;
  return true;
}

/**
 * d_ρ = (1−γ) x with (I − γK)ᵀ x = ρ, ρ at `at.b`, from x₀ = ρ + γ/((1−γ)S) (x sums to 1/(1−γ)); d left at
 * `at.x`; false when GMRES did not meet the bound ‖res‖₁ ≤ ITERATIVE_TOLERANCE.
 */
export function solveOccupancyInKernel(kernel: KrylovKernel, op: KernelOperator, at: GmresLayout, gamma: number): boolean {
  const S = op.n;
  const rho = kernel.f64(at.b, S);
  const x = kernel.f64(at.x, S);
  for (let s = 0; s < S; s++) x[s] = rho[s] + gamma / (1 - gamma) / S;
  if (!solveInKernel(kernel, { ...op, transposed: true }, at, S, 'occupancy', ITERATIVE_TOLERANCE)) return false;
  for (let s = 0; s < S; s++) x[s] *= 1 - gamma;
  return true;
}

/**
 * One GMRES solve in the kernel from the b and x₀ already in place (the solution left at `at.x`).
 * 'value': accepted when ‖res‖∞ ≤ bound; 'occupancy': when ‖res‖₁ ≤ bound, both on the true residual. A
 * cycle stops early once its 2-norm estimate is below half the bound (‖·‖∞ ≤ ‖·‖₂), or half the bound over
 * √S (‖·‖₁ ≤ √S ‖·‖₂). (Stopping the value's cycles at (√S/4)·bound, since a residual spread over S
 * entries has ‖·‖∞ ≈ 4‖·‖₂/√S, saved no iteration at S = 10⁴ and cost extra cycles at γ = 0.99.)
 */
function solveInKernel(kernel: KrylovKernel, op: KernelOperator, at: GmresLayout, S: number, kind: 'value' | 'occupancy', bound: number): boolean {
  const k = kernel.k;
  const result = gmresKernel(kernel, op, at, {
    restart: KRYLOV_RESTART,
    maxCycles: KRYLOV_MAX_CYCLES,
    tolerance: kind === 'value' ? 0.5 * bound : (0.5 * bound) / Math.sqrt(S),
    accept: kind === 'value' ? (res) => k.maxAbs(res, S) <= bound : (res) => k.sumAbs(res, S) <= bound,
  });
  if (kind === 'value') lastKrylovIterations.value = result.iterations;
  else lastKrylovIterations.occupancy = result.iterations;
  return result.converged;
}
