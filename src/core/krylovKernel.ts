import { kernelModule, wasmApi } from './wasmModule';

/**
 * The WebAssembly kernel of the Krylov solver (core/krylov.wat, assembled into dist/core/krylov.wasm by
 * `npm run build`): products with I − γK and its transpose for K = P_π in compressed rows or dense, the build
 * of P_π from P and π, the Richardson steps of mdp/krylovSolve.ts and GMRES's vector operations. Every argument that names a table is its byte offset
 * in the instance's memory; a caller lays its tables out with `layout` and reaches them through views.
 */
export interface KrylovExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  dot(x: number, y: number, n: number): number;
  axpy(alpha: number, x: number, y: number, n: number): void;
  scale(src: number, dst: number, c: number, n: number): void;
  subtract(b: number, w: number, r: number, n: number): void;
  maxAbs(x: number, n: number): number;
  sumAbs(x: number, n: number): number;
  orthogonalize(v: number, k: number, n: number, w: number, h: number): void;
  combine(v: number, k: number, n: number, y: number, x: number): void;
  csrApply(n: number, rowStart: number, col: number, val: number, gamma: number, x: number, out: number): void;
  csrApplyTransposed(n: number, rowStart: number, col: number, val: number, gamma: number, x: number, out: number): void;
  denseApply(m: number, n: number, gamma: number, x: number, out: number): void;
  denseApplyTransposed(m: number, n: number, gamma: number, x: number, out: number): void;
  policyKernel(S: number, A: number, rowStart: number, next: number, prob: number, pi: number, marker: number, kRow: number, kCol: number, kVal: number): number;
  policyMatrix(S: number, A: number, rowStart: number, next: number, prob: number, pi: number, m: number): void;
  csrDiscountedRowSums(n: number, rowStart: number, val: number, gamma: number, c: number): void;
  denseDiscountedRowSums(m: number, n: number, gamma: number, c: number): void;
  csrValueStep(n: number, rowStart: number, col: number, val: number, gamma: number, beta: number, c: number, r: number, u: number, out: number, stats: number): void;
  csrOccupancyStep(n: number, rowStart: number, col: number, val: number, gamma: number, x: number, rho: number, out: number): void;
  csrBothStep(n: number, rowStart: number, col: number, val: number, gamma: number, beta: number, c: number, r: number, u: number, out: number, stats: number, x: number, rho: number, xOut: number): void;
  denseValueStep(m: number, n: number, gamma: number, beta: number, c: number, r: number, u: number, out: number, stats: number): void;
  denseOccupancyStep(m: number, n: number, gamma: number, x: number, rho: number, out: number): void;
  denseBothStep(m: number, n: number, gamma: number, beta: number, c: number, r: number, u: number, out: number, stats: number, x: number, rho: number, xOut: number): void;
  occupancyResidual(n: number, x: number, out: number, stats: number): void;
  addScalar(x: number, c: number, n: number): void;
}

/** An instance of the kernel with its own memory. */
export interface KrylovKernel {
  readonly k: KrylovExports;
  /** Grow the memory to at least `bytes`; false when the engine refuses or it exceeds 4 GiB. */
  reserve(bytes: number): boolean;
  f64(offset: number, length: number): Float64Array;
  i32(offset: number, length: number): Int32Array;
}

/** A 32-bit WebAssembly memory holds at most 65536 pages of 64 KiB. */
const MAX_BYTES = 2 ** 32;

/** A new instance (memory of one page until `reserve`). */
export function createKrylovKernel(): KrylovKernel {
  const k = new (wasmApi().Instance)(kernelModule(__dirname, 'core', 'krylov'), {}).exports as unknown as KrylovExports;
  return {
    k,
    reserve(bytes) {
      if (bytes > MAX_BYTES) return false;
      const have = k.memory.buffer.byteLength;
      if (have >= bytes) return true;
      try {
        k.memory.grow(Math.ceil((bytes - have) / 65536));
        return true;
      } catch {
        return false;
      }
    },
    f64: (offset, length) => new Float64Array(k.memory.buffer, offset, length),
    i32: (offset, length) => new Int32Array(k.memory.buffer, offset, length),
  };
}

/**
 * Byte offsets for tables of the given sizes, one after another from `start`, each 16-byte aligned (so that
 * the kernel's f64x2 loads of a vector start aligned): `sizes` maps a name to its byte count. Returns the
 * offsets and the end.
 */
export function layout<K extends string>(start: number, sizes: Record<K, number>): { at: Record<K, number>; end: number } {
  let p = start;
  const at = {} as Record<K, number>;
  for (const name of Object.keys(sizes) as K[]) {
    at[name] = p;
    p += 16 * Math.ceil(sizes[name] / 16);
  }
  return { at, end: p };
}
