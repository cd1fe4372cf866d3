import { kernelModule, wasmApi } from './wasmModule';

/**
 * The WebAssembly kernel of dense LU (core/lu.wat, assembled into dist/core/lu.wasm by `npm run build`):
 * Doolittle elimination with partial pivoting and the two triangular solves, with linalg.ts's float
 * operations in linalg.ts's order, so every result is the same to the bit. The module is compiled once
 * per thread, synchronously. A workspace is an instance whose memory holds one n×n matrix, its pivots and
 * a few vectors of length n, all of which the TypeScript side reads and writes through views:
 *   - createLuWorkspace gives a workspace of its own (its memory never grows, so the views stay valid):
 *     the exact gradient oracle builds I − γP_π straight into it and solves in place;
 *   - sharedLuWorkspace serves luFactor / luSolve on ordinary arrays (copied in and out, at memcpy speed
 *     next to the O(n³) factorisation) from one instance per thread, grown as needed up to SHARED_BYTES;
 *     a larger n gets a workspace of its own, dropped after the call, so that one big matrix does not
 *     stay in memory.
 *
 * Layout: the matrix at byte 0, then the vectors (8n bytes each), the pivots, and the caller's extra
 * bytes (8-byte aligned, at `extra`).
 */
export interface LuWorkspace {
  readonly n: number;
  /** The matrix, row-major; after `factor`, its LU factors (unit lower L below the diagonal). */
  readonly matrix: Float64Array;
  readonly pivot: Int32Array;
  /** Vectors of length n that the solves work on in place. */
  readonly vectors: readonly Float64Array[];
  /** P·M = L·U in place; −1, or the column at which M is singular (largest |m[i][k]| zero). */
  factor(): number;
  /** vectors[v] ← M⁻¹ vectors[v] (after `factor`). */
  solve(v: number): void;
  /** vectors[v] ← M⁻ᵀ vectors[v] (after `factor`). */
  solveTransposed(v: number): void;
  /** The instance's memory (a WebAssembly.Memory, which other kernels may import) and its buffer. */
  readonly memory: object;
  readonly buffer: ArrayBuffer;
  /** Byte offset of the extra bytes asked for. */
  readonly extra: number;
  /**
   * matrix ← I − γ Σ_a w(s,a) P(s,a): rows of P in compressed form (S·A rows, A per row of the matrix) and
   * the weights w, all in this memory at the given byte offsets (see lu.wat).
   */
  identityMinusWeighted(A: number, rowStart: number, col: number, val: number, w: number, gamma: number): void;
}

interface LuExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  factor(m: number, piv: number, n: number): number;
  solve(lu: number, piv: number, x: number, n: number): void;
  solveTransposed(lu: number, piv: number, x: number, n: number): void;
  identityMinusWeighted(m: number, n: number, A: number, rowStart: number, col: number, val: number, w: number, gamma: number): void;
}

/** Workspaces up to this size (n ≤ 1446) share one instance, kept for the thread's lifetime. */
const SHARED_BYTES = 16 * 2 ** 20;
/** A 32-bit WebAssembly memory holds at most 65536 pages of 64 KiB. */
const MAX_BYTES = 2 ** 32;

let shared: LuExports | null = null;
/** The shared instance's current workspace (the last n asked for): views are rebuilt when n or the memory changes. */
let current: LuWorkspace | null = null;

function instantiate(): LuExports {
  return new (wasmApi().Instance)(kernelModule(__dirname, 'core', 'lu'), {}).exports as unknown as LuExports;
}

/** Byte offset of the extra bytes of a workspace for n with `vectors` vectors. */
function extraOffset(n: number, vectors: number): number {
  return 8 * Math.ceil((8 * n * n + 8 * vectors * n + 4 * n) / 8);
}

/** Grow `memory` to hold `bytes`; false when the engine refuses (out of memory). */
function ensureBytes(memory: LuExports['memory'], bytes: number): boolean {
  const have = memory.buffer.byteLength;
  if (have >= bytes) return true;
  try {
    memory.grow(Math.ceil((bytes - have) / 65536));
    return true;
  } catch {
    return false;
  }
}

function workspaceOn(k: LuExports, n: number, count: number): LuWorkspace {
  const buffer = k.memory.buffer;
  const extra = extraOffset(n, count);
  const vec = (v: number) => 8 * n * n + 8 * n * v;
  const piv = vec(count);
  const vectors = Array.from({ length: count }, (_, v) => new Float64Array(buffer, vec(v), n));
  return {
    n,
    matrix: new Float64Array(buffer, 0, n * n),
    pivot: new Int32Array(buffer, piv, n),
    vectors,
    factor: () => k.factor(0, piv, n),
    solve: (v) => k.solve(0, piv, vec(v), n),
    solveTransposed: (v) => k.solveTransposed(0, piv, vec(v), n),
    memory: k.memory,
    buffer,
    extra,
    identityMinusWeighted: (A, rowStart, col, val, w, gamma) => k.identityMinusWeighted(0, n, A, rowStart, col, val, w, gamma),
  };
}

/**
 * A workspace of its own for an n×n system with `vectors` vectors and `extraBytes` more, or null when
 * WebAssembly cannot hold it (above 4 GiB, or the engine refuses the memory): the caller then runs the
 * TypeScript code.
 */
export function createLuWorkspace(n: number, vectors = 1, extraBytes = 0): LuWorkspace | null {
  const bytes = extraOffset(n, vectors) + extraBytes;
  if (bytes > MAX_BYTES) return null;
  const own = instantiate();
  return ensureBytes(own.memory, bytes) ? workspaceOn(own, n, vectors) : null;
}

/**
 * The thread's shared workspace for n (one vector), valid until the next call; above SHARED_BYTES a
 * workspace of its own; null as createLuWorkspace.
 */
export function sharedLuWorkspace(n: number): LuWorkspace | null {
  const bytes = extraOffset(n, 1);
  if (bytes > SHARED_BYTES) return createLuWorkspace(n, 1);
  if (!shared) shared = instantiate();
  if (current && current.n === n && current.matrix.buffer === shared.memory.buffer) return current;
  if (!ensureBytes(shared.memory, bytes)) return null;
  current = workspaceOn(shared, n, 1);
  return current;
}
