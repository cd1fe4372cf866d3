import { rotateColumn, solveTriangle } from './hessenberg';
import type { KrylovKernel } from './krylovKernel';

/** The operator I − γK of a Krylov solve, K in the kernel's memory (byte offsets), or its transpose. */
export type KernelOperator =
  | { kind: 'csr'; n: number; rowStart: number; col: number; val: number; gamma: number; transposed: boolean }
  | { kind: 'dense'; n: number; matrix: number; gamma: number; transposed: boolean };

/** Where a solve keeps its vectors in the kernel's memory (byte offsets; see gmresBytes for the sizes). */
export interface GmresLayout {
  /** The right-hand side b (n). */
  b: number;
  /** x₀ on entry, the solution on return (n). */
  x: number;
  /** The residual b − A x after the last cycle (n). */
  r: number;
  /** Scratch (n). */
  w: number;
  /** The Krylov basis, restart + 1 vectors of n one after another. */
  basis: number;
  /** restart + 1 f64: one column of the Hessenberg matrix, then the coefficients y. */
  h: number;
}

/** Options of gmresKernel. */
export interface GmresKernelOptions {
  /** Krylov dimension m before a restart. */
  restart: number;
  /** Restart cycles before giving up. */
  maxCycles: number;
  /** A cycle stops early once its estimate of ‖b − A x‖₂ is at most this (or at round-off, 1e-16 of its start). */
  tolerance: number;
  /** Called with the byte offset of the true residual after every cycle (and before the first); true stops. */
  accept: (residual: number) => boolean;
}

/** What gmresKernel did. */
export interface GmresKernelResult {
  converged: boolean;
  cycles: number;
  iterations: number;
}

/** Bytes of the vectors of a GmresLayout for n unknowns and Krylov dimension m (4 vectors, the basis, h). */
export function gmresBytes(n: number, m: number): { vector: number; basis: number; h: number } {
  return { vector: 8 * n, basis: 8 * n * (m + 1), h: 8 * (m + 2) };
}

/** out ← A x for the operator. */
export function applyOperator(kernel: KrylovKernel, op: KernelOperator, x: number, out: number): void {
  const { k } = kernel;
  if (op.kind === 'csr') {
    if (op.transposed) k.csrApplyTransposed(op.n, op.rowStart, op.col, op.val, op.gamma, x, out);
    else k.csrApply(op.n, op.rowStart, op.col, op.val, op.gamma, x, out);
  } else if (op.transposed) k.denseApplyTransposed(op.matrix, op.n, op.gamma, x, out);
  else k.denseApply(op.matrix, op.n, op.gamma, x, out);
}

/**
 * Restarted GMRES(m) (Saad & Schultz 1986) for A x = b with every O(n) operation in the kernel
 * (core/krylov.wat): each cycle builds an orthonormal basis of the Krylov space of the residual by modified
 * Gram–Schmidt (one fused pass per basis vector), keeps the small Hessenberg least-squares problem
 * triangular with Givens rotations (in TypeScript: O(m²) numbers), and updates x by its minimiser. Every
 * cycle recomputes the true residual r = b − A x (which also corrects the drift of the estimate) and asks
 * `accept`. The same algorithm as core/gmres.ts's `gmres`, which works on ordinary arrays with any operator;
 * the sums of the kernel's dot products are formed in another order, so the last bits differ.
 * Memory: the caller's layout, O(m·n). Cost per step: one product with A and O(k·n) for the k-th.
 */
export function gmresKernel(kernel: KrylovKernel, op: KernelOperator, at: GmresLayout, options: GmresKernelOptions): GmresKernelResult {
  const { k } = kernel;
  const n = op.n;
  const m = Math.max(1, Math.min(options.restart, n));
  const stride = 8 * n;
  const hCol = kernel.f64(at.h, m + 2);
  const h = new Float64Array((m + 1) * m); // column-major: h[j*(m+1) + i] = H(i, j)
  const cs = new Float64Array(m);
  const sn = new Float64Array(m);
  const g = new Float64Array(m + 1);
  let iterations = 0;
  const residual = () => {
    applyOperator(kernel, op, at.x, at.w);
    k.subtract(at.b, at.w, at.r, n);
  };
  residual();
  for (let cycle = 0; cycle < options.maxCycles; cycle++) {
    if (options.accept(at.r)) return { converged: true, cycles: cycle, iterations };
    const beta = Math.sqrt(k.dot(at.r, at.r, n));
    if (beta === 0) return { converged: true, cycles: cycle, iterations };
    if (!Number.isFinite(beta)) return { converged: false, cycles: cycle, iterations };
    k.scale(at.r, at.basis, 1 / beta, n);
    g.fill(0);
    g[0] = beta;
    let j = 0;
    for (; j < m; j++) {
      iterations++;
      const v = at.basis + (j + 1) * stride;
      applyOperator(kernel, op, at.basis + j * stride, v);
      k.orthogonalize(at.basis, j + 1, n, v, at.h);
      const col = j * (m + 1);
      for (let i = 0; i <= j; i++) h[col + i] = hCol[i];
      const norm = Math.sqrt(k.dot(v, v, n));
      h[col + j + 1] = norm;
      if (norm > 0) k.scale(v, v, 1 / norm, n);
      // The previous rotations on the new column, then a new one to zero H(j+1, j).
      if (rotateColumn(h, m, j, cs, sn, g) <= Math.max(options.tolerance, 1e-16 * beta) || norm === 0) {
        j++;
        break;
      }
    }
    // y from the j×j triangle (into the kernel's h, which the combination reads), then x += V_j y.
    solveTriangle(h, m, g, j, hCol);
    k.combine(at.basis, j, n, at.h, at.x);
    residual();
  }
  return { converged: options.accept(at.r), cycles: options.maxCycles, iterations };
}
