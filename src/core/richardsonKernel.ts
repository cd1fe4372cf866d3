import type { KernelOperator } from './gmresKernel';
import type { KrylovKernel } from './krylovKernel';

/**
 * Above this contraction of the residual per step (geometric mean over the last two steps) a Richardson
 * solve stops and its caller switches to GMRES: at 0.5 Richardson needs ≈ 50 steps for the 10⁻¹⁶ of the
 * guarantees, where GMRES, whose steps cost more (Gram–Schmidt), wins on slowly mixing chains.
 */
export const RICHARDSON_MAX_RATE = 0.5;

/** Steps after which a Richardson solve stops (its caller switches to GMRES), whatever its contraction. */
export const RICHARDSON_MAX_STEPS = 200;

/** I − γK as GMRES sees it, plus c = (I − γK) 1 (the kernel's discountedRowSums) at byte offset `c`. */
export type StepOperator = KernelOperator & { c: number };

/**
 * One of policy evaluation's two solves by deflated Richardson iteration (below), its vectors at byte
 * offsets of the kernel's memory. `current` is the iterate (u for the value, x for the occupancy), `spare`
 * the buffer the next one is written to; the two swap after every step. The value's iterate is V = u + β1.
 */
export interface RichardsonSolve {
  readonly kind: 'value' | 'occupancy';
  /** r (value) or ρ (occupancy), n entries. */
  readonly rhs: number;
  current: number;
  spare: number;
  beta: number;
  /** Accepted when max|res| (value) or Σ|res| (occupancy) of the true residual is at most this. */
  readonly bound: number;
  /** The residual norm of every iterate that was not accepted. */
  readonly residuals: number[];
  status: 'running' | 'converged' | 'slow' | 'failed';
}

/**
 * The value solve (I − γK) V = r from V₀ = mean(r)/(1−γ)·1 + (r − mean(r)): u₀ = r − mean(r) written at
 * `a`, β₀ = mean(r)/(1−γ); r at `rhs`, the second buffer `b`.
 */
export function startValue(kernel: KrylovKernel, op: StepOperator, rhs: number, a: number, b: number, bound: number): RichardsonSolve {
  const n = op.n;
  const r = kernel.f64(rhs, n);
  let mean = 0;
  for (let s = 0; s < n; s++) mean += r[s] / n;
  const u = kernel.f64(a, n);
  for (let s = 0; s < n; s++) u[s] = r[s] - mean;
  return { kind: 'value', rhs, current: a, spare: b, beta: mean / (1 - op.gamma), bound, residuals: [], status: 'running' };
}

/** The occupancy solve (I − γK)ᵀ x = ρ from x₀ = ρ + γ/((1−γ)n) (which sums to 1/(1−γ) when ρ sums to 1). */
export function startOccupancy(kernel: KrylovKernel, op: StepOperator, rhs: number, a: number, b: number, bound: number): RichardsonSolve {
  const n = op.n;
  const rho = kernel.f64(rhs, n);
  const x = kernel.f64(a, n);
  for (let s = 0; s < n; s++) x[s] = rho[s] + op.gamma / (1 - op.gamma) / n;
  return { kind: 'occupancy', rhs, current: a, spare: b, beta: 0, bound, residuals: [], status: 'running' };
}

/**
 * Deflated Richardson iteration for the solves that are `running` (Richardson 1910; the deflation is a
 * one-vector coarse correction, as in aggregation–disaggregation for Markov chains). Each step reads K
 * once; when both solves run, one pass over K serves both (the kernel's fused step, the same operations
 * as the separate steps, so each solve's bits do not depend on whether the other ran beside it).
 *
 *   value:      res = r − (I − γK)(u + β1),  u ← u + res,  β ← β + γ/(1−γ)·mean(res)
 *   occupancy:  res = ρ − (I − γK)ᵀ x,       x ← x + res + γ/(1−γ)·Σres / n
 *
 * Plain Richardson (V ← r + γKV) contracts the error by γK, and K's eigenvalue 1 (eigenvector 1; left
 * eigenvector 1 for Kᵀ) makes it shrink only by γ per step. The added constant removes that mode exactly:
 * with M = I + γ/(1−γ)·1wᵀ (w = 1/n) the step's error map I − M(I − γK) is γK − 1zᵀ with zᵀ1 = γ, whose
 * eigenvalues are 0 and γλ for K's other eigenvalues λ (Brauer 1952), so the error shrinks by about
 * γ|λ₂(K)| a step; for the occupancy the same with Kᵀ. A fixed point has res = 0 (its mean, hence its
 * correction, vanish), so the solution is the exact one; rounding aside, the test is on the true residual
 * of the current iterate, formed in the same pass. The value's level β is kept apart from u (the residual
 * formed with c = (I − γK)1) so that u stays at the scale of r's spread and the residual's rounding at
 * ε·max|r|, not ε·max|r|/(1−γ).
 *
 * A solve stops as 'converged' (its `current` is accepted), 'failed' (a residual not finite) or 'slow'
 * (contraction above RICHARDSON_MAX_RATE, or RICHARDSON_MAX_STEPS steps: the caller then runs GMRES from
 * `current`, β). `stats` is 32 bytes of scratch. Memory: none beyond the solves' vectors.
 */
export function richardson(kernel: KrylovKernel, op: StepOperator, solves: RichardsonSolve[], stats: number): void {
  const value = solves.find((s) => s.kind === 'value');
  const occupancy = solves.find((s) => s.kind === 'occupancy');
  const running = (s: RichardsonSolve | undefined): s is RichardsonSolve => s !== undefined && s.status === 'running';
  while (running(value) && running(occupancy)) {
    bothStep(kernel, op, value, occupancy, stats);
    settleValue(kernel, op, value, stats);
    settleOccupancy(kernel, op, occupancy, stats + 16);
  }
  while (running(value)) {
    valueStep(kernel, op, value, stats);
    settleValue(kernel, op, value, stats);
  }
  while (running(occupancy)) {
    occupancyStep(kernel, op, occupancy);
    settleOccupancy(kernel, op, occupancy, stats + 16);
  }
}

function valueStep(kernel: KrylovKernel, op: StepOperator, v: RichardsonSolve, stats: number): void {
  const { k } = kernel;
  if (op.kind === 'csr') k.csrValueStep(op.n, op.rowStart, op.col, op.val, op.gamma, v.beta, op.c, v.rhs, v.current, v.spare, stats);
  else k.denseValueStep(op.matrix, op.n, op.gamma, v.beta, op.c, v.rhs, v.current, v.spare, stats);
}

function occupancyStep(kernel: KrylovKernel, op: StepOperator, x: RichardsonSolve): void {
  const { k } = kernel;
  if (op.kind === 'csr') k.csrOccupancyStep(op.n, op.rowStart, op.col, op.val, op.gamma, x.current, x.rhs, x.spare);
  else k.denseOccupancyStep(op.matrix, op.n, op.gamma, x.current, x.rhs, x.spare);
}

function bothStep(kernel: KrylovKernel, op: StepOperator, v: RichardsonSolve, x: RichardsonSolve, stats: number): void {
  const { k } = kernel;
  if (op.kind === 'csr') k.csrBothStep(op.n, op.rowStart, op.col, op.val, op.gamma, v.beta, op.c, v.rhs, v.current, v.spare, stats, x.current, x.rhs, x.spare);
  else k.denseBothStep(op.matrix, op.n, op.gamma, v.beta, op.c, v.rhs, v.current, v.spare, stats, x.current, x.rhs, x.spare);
}

/** After a value step: accept `current`, or move to the new iterate (β updated) and judge the contraction. */
function settleValue(kernel: KrylovKernel, op: StepOperator, v: RichardsonSolve, stats: number): void {
  const [maxRes, sumRes] = kernel.f64(stats, 2);
  settle(v, maxRes, () => {
    v.beta += ((op.gamma / (1 - op.gamma)) * sumRes) / op.n;
  });
}

/** After an occupancy step (x's image at `spare`): accept `current`, or correct the image's sum and move to it. */
function settleOccupancy(kernel: KrylovKernel, op: StepOperator, x: RichardsonSolve, stats: number): void {
  kernel.k.occupancyResidual(op.n, x.current, x.spare, stats);
  const [l1, sumRes] = kernel.f64(stats, 2);
  settle(x, l1, () => kernel.k.addScalar(x.spare, ((op.gamma / (1 - op.gamma)) * sumRes) / op.n, op.n));
}

/** Accept `current` when its residual norm is within the bound; give up on a non-finite one; else deflate and advance. */
function settle(s: RichardsonSolve, norm: number, deflate: () => void): void {
  if (norm <= s.bound) s.status = 'converged';
  else if (!Number.isFinite(norm)) s.status = 'failed';
  else {
    deflate();
    advance(s, norm);
  }
}

function advance(s: RichardsonSolve, residual: number): void {
  const t = s.current;
  s.current = s.spare;
  s.spare = t;
  const r = s.residuals;
  r.push(residual);
  const m = r.length;
  if (m >= RICHARDSON_MAX_STEPS || (m >= 3 && Math.sqrt(r[m - 1] / r[m - 3]) > RICHARDSON_MAX_RATE)) s.status = 'slow';
}
