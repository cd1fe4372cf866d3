import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRng } from '../src/index';
import { type LU, luFactor, luFactorScalar, luSolve, luSolveScalar, luSolveTransposed, luSolveTransposedScalar } from '../src/internals';
import { createLuWorkspace, sharedLuWorkspace } from '../src/core/luKernel';

// The WebAssembly LU kernel (core/lu.wat) must give the numbers of the TypeScript elimination it replaced,
// to the bit. The reference below is that code, kept here verbatim as an independent copy: Doolittle with
// partial pivoting on the first maximum of |m[i][k]|, multipliers f = m[i][k]·(1/m[k][k]), rows with
// f = 0 skipped, and the forward/backward substitutions of both solves.
function referenceFactor(m: Float64Array, n: number): LU {
  const pivot = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    let p = k;
    let best = Math.abs(m[k * n + k]);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(m[i * n + k]);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    pivot[k] = p;
    if (best === 0) throw new Error(`luFactor: matrix is singular at column ${k}`);
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        const t = m[k * n + j];
        m[k * n + j] = m[p * n + j];
        m[p * n + j] = t;
      }
    }
    const inv = 1 / m[k * n + k];
    for (let i = k + 1; i < n; i++) {
      const f = (m[i * n + k] *= inv);
      if (f === 0) continue;
      for (let j = k + 1; j < n; j++) m[i * n + j] -= f * m[k * n + j];
    }
  }
  return { n, lu: m, pivot };
}

function referenceSolve({ n, lu, pivot }: LU, b: Float64Array): Float64Array {
  for (let k = 0; k < n; k++) {
    const t = b[k];
    b[k] = b[pivot[k]];
    b[pivot[k]] = t;
  }
  for (let i = 1; i < n; i++) {
    let s = b[i];
    for (let j = 0; j < i; j++) s -= lu[i * n + j] * b[j];
    b[i] = s;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let j = i + 1; j < n; j++) s -= lu[i * n + j] * b[j];
    b[i] = s / lu[i * n + i];
  }
  return b;
}

function referenceSolveTransposed({ n, lu, pivot }: LU, b: Float64Array): Float64Array {
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let j = 0; j < i; j++) s -= lu[j * n + i] * b[j];
    b[i] = s / lu[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let j = i + 1; j < n; j++) s -= lu[j * n + i] * b[j];
    b[i] = s;
  }
  for (let k = n - 1; k >= 0; k--) {
    const t = b[k];
    b[k] = b[pivot[k]];
    b[pivot[k]] = t;
  }
  return b;
}

function sameBits(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let k = 0; k < expected.length; k++) {
    if (!Object.is(actual[k], expected[k])) assert.fail(`${what}: entry ${k} is ${actual[k]}, the reference gives ${expected[k]}`);
  }
}

/** What a factorisation gives: the factors, the pivots and both solves of `b`, or the error. */
type Outcome = { error: string } | { lu: Float64Array; pivot: Int32Array; x: Float64Array; xT: Float64Array };

function referenceOutcome(m: Float64Array, n: number, b: Float64Array): Outcome & { partial: Float64Array } {
  const work = Float64Array.from(m);
  try {
    const f = referenceFactor(work, n);
    return { lu: work, pivot: f.pivot, x: referenceSolve(f, Float64Array.from(b)), xT: referenceSolveTransposed(f, Float64Array.from(b)), partial: work };
  } catch (e) {
    return { error: (e as Error).message, partial: work };
  }
}

/** The kernel on a workspace of its own (every n, no copies). */
function kernelOutcome(m: Float64Array, n: number, b: Float64Array): Outcome & { partial: Float64Array } {
  const ws = createLuWorkspace(n, 2);
  assert.ok(ws, `a workspace for n = ${n}`);
  ws.matrix.set(m);
  const singular = ws.factor();
  if (singular >= 0) return { error: `luFactor: matrix is singular at column ${singular}`, partial: Float64Array.from(ws.matrix) };
  ws.vectors[0].set(b);
  ws.vectors[1].set(b);
  ws.solve(0);
  ws.solveTransposed(1);
  return { lu: Float64Array.from(ws.matrix), pivot: Int32Array.from(ws.pivot), x: Float64Array.from(ws.vectors[0]), xT: Float64Array.from(ws.vectors[1]), partial: Float64Array.from(ws.matrix) };
}

/** luFactor / luSolve / luSolveTransposed on ordinary arrays (the kernel from n = 8 and 16, TypeScript below), or their scalar versions. */
function publicOutcome(m: Float64Array, n: number, b: Float64Array, scalar: boolean): Outcome & { partial: Float64Array } {
  const work = Float64Array.from(m);
  try {
    const f = (scalar ? luFactorScalar : luFactor)(work, n);
    assert.equal(f.lu, work, 'the factors overwrite the matrix');
    const x = (scalar ? luSolveScalar : luSolve)(f, Float64Array.from(b));
    const xT = (scalar ? luSolveTransposedScalar : luSolveTransposed)(f, Float64Array.from(b));
    return { lu: work, pivot: f.pivot, x, xT, partial: work };
  } catch (e) {
    return { error: (e as Error).message, partial: work };
  }
}

function assertSameOutcome(actual: Outcome & { partial: Float64Array }, expected: Outcome & { partial: Float64Array }, what: string): void {
  if ('error' in expected) {
    assert.ok('error' in actual, `${what}: the reference throws "${expected.error}", this path does not`);
    assert.equal(actual.error, expected.error, what);
    // The matrix is left as the elimination left it when it stopped.
    sameBits(actual.partial, expected.partial, `${what}: matrix at the error`);
    return;
  }
  assert.ok(!('error' in actual), `${what}: throws "${'error' in actual ? actual.error : ''}", the reference does not`);
  if ('error' in actual) return;
  sameBits(actual.lu, expected.lu, `${what}: LU`);
  sameBits(actual.pivot, expected.pivot, `${what}: pivots`);
  sameBits(actual.x, expected.x, `${what}: M⁻¹b`);
  sameBits(actual.xT, expected.xT, `${what}: M⁻ᵀb`);
}

function checkAllPaths(m: Float64Array, n: number, b: Float64Array, what: string): void {
  const expected = referenceOutcome(m, n, b);
  assertSameOutcome(kernelOutcome(m, n, b), expected, `${what} (kernel)`);
  assertSameOutcome(publicOutcome(m, n, b, false), expected, `${what} (luFactor)`);
  assertSameOutcome(publicOutcome(m, n, b, true), expected, `${what} (luFactorScalar)`);
}

const rng = createRng('lu-kernel');
const uniform = (lo: number, hi: number) => lo + (hi - lo) * rng.double();

/** A random n×n matrix: entries U(−1, 1), each zero with probability `zeros`, the diagonal scaled by `diagonal`. */
function randomMatrix(n: number, zeros: number, diagonal = 1): Float64Array {
  const m = new Float64Array(n * n);
  for (let k = 0; k < n * n; k++) m[k] = rng.double() < zeros ? 0 : uniform(-1, 1);
  for (let i = 0; i < n; i++) m[i * n + i] *= diagonal;
  return m;
}

const SIZES = [1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 20, 33, 64, 201];

test('dense random matrices: the kernel, luFactor and luFactorScalar equal the reference bit for bit (factors, pivots, both solves)', () => {
  for (const n of SIZES) {
    for (let rep = 0; rep < (n > 64 ? 2 : 6); rep++) {
      checkAllPaths(randomMatrix(n, 0), n, Float64Array.from({ length: n }, () => uniform(-5, 5)), `n = ${n}, dense #${rep}`);
    }
  }
});

test('matrices with zero entries (multipliers f = 0 skip their row) and I − γP_π of sparse chains', () => {
  for (const n of SIZES) {
    for (const zeros of [0.5, 0.9]) checkAllPaths(randomMatrix(n, zeros, 5), n, Float64Array.from({ length: n }, () => uniform(-1, 1)), `n = ${n}, ${zeros * 100}% zeros`);
    // I − γP for a chain with three successors per state: mostly zeros, diagonally dominant, no pivoting.
    const m = new Float64Array(n * n);
    for (let s = 0; s < n; s++) {
      m[s * n + s] = 1;
      for (let j = 0; j < 3; j++) m[s * n + Math.floor(rng.double() * n)] -= 0.9 * (1 / 3);
    }
    checkAllPaths(m, n, Float64Array.from({ length: n }, () => rng.double()), `n = ${n}, I − γP`);
  }
});

test('pivoting: small or zero diagonals, ties in |m[i][k]| (the first maximum wins), rows swapped at every column', () => {
  for (const n of [2, 3, 8, 17, 20, 201]) {
    checkAllPaths(randomMatrix(n, 0.2, 1e-3), n, Float64Array.from({ length: n }, () => uniform(-1, 1)), `n = ${n}, small diagonal`);
    checkAllPaths(randomMatrix(n, 0, 0), n, Float64Array.from({ length: n }, () => uniform(-1, 1)), `n = ${n}, zero diagonal`);
    // Entries ±1 and ±2 only: many ties of |m[i][k]| between rows of opposite signs.
    const ties = Float64Array.from({ length: n * n }, () => (rng.double() < 0.5 ? -1 : 1) * (rng.double() < 0.5 ? 1 : 2));
    checkAllPaths(ties, n, Float64Array.from({ length: n }, () => uniform(-1, 1)), `n = ${n}, ties`);
    // The anti-diagonal permutation: every column pivots on its last row.
    const anti = new Float64Array(n * n);
    for (let i = 0; i < n; i++) anti[i * n + (n - 1 - i)] = 1 + i;
    checkAllPaths(anti, n, Float64Array.from({ length: n }, (_, i) => i + 1), `n = ${n}, anti-diagonal`);
  }
});

test('singular matrices: the same error naming the column, the matrix left as the reference leaves it', () => {
  for (const n of [1, 2, 3, 8, 16, 20, 201]) {
    // A zero matrix fails at column 0; a copied row at the last column; a zero column c at column c.
    checkAllPaths(new Float64Array(n * n), n, new Float64Array(n).fill(1), `n = ${n}, zero matrix`);
    if (n < 2) continue;
    const copied = randomMatrix(n, 0.3);
    copied.copyWithin((n - 1) * n, 0, n);
    const expected = referenceOutcome(copied, n, new Float64Array(n));
    if ('error' in expected) assert.match(expected.error, /singular at column/);
    checkAllPaths(copied, n, new Float64Array(n).fill(1), `n = ${n}, repeated row`);
    const c = Math.floor(n / 2);
    const zeroColumn = randomMatrix(n, 0);
    for (let i = 0; i < n; i++) zeroColumn[i * n + c] = 0;
    assert.equal((referenceOutcome(zeroColumn, n, new Float64Array(n)) as { error: string }).error, `luFactor: matrix is singular at column ${c}`);
    checkAllPaths(zeroColumn, n, new Float64Array(n).fill(1), `n = ${n}, zero column ${c}`);
  }
});

test('non-finite entries take the reference\'s path through the pivot search (NaN is never a larger |m|)', () => {
  for (const n of [3, 8, 20]) {
    const m = randomMatrix(n, 0.1);
    m[n + 1] = NaN;
    m[2 * n] = Infinity;
    checkAllPaths(m, n, Float64Array.from({ length: n }, () => uniform(-1, 1)), `n = ${n}, NaN and ∞`);
  }
});

test('workspaces: the shared one is reused for the same n; one too large to share is an instance of its own', () => {
  const a = sharedLuWorkspace(20);
  const b = sharedLuWorkspace(20);
  assert.ok(a && b);
  assert.equal(a, b);
  const big = sharedLuWorkspace(1500);
  assert.ok(big);
  assert.notEqual(big.matrix.buffer, a.matrix.buffer);
  assert.equal(big.matrix.length, 1500 * 1500);
  // A solve on ordinary arrays after the large call still runs in the shared instance, correctly.
  checkAllPaths(randomMatrix(20, 0.2), 20, Float64Array.from({ length: 20 }, () => uniform(-1, 1)), 'n = 20 after a large workspace');
});

test('identityMinusWeighted builds I − γ Σ_a w(s,a) P(s,a) as the TypeScript loop does, bit for bit (zero weights skipped, repeated and diagonal columns)', () => {
  for (const [S, A, b] of [[1, 1, 1], [5, 3, 2], [20, 4, 3], [33, 2, 33]]) {
    const rows = S * A;
    const rowStart = new Int32Array(rows + 1);
    const next: number[] = [];
    const prob: number[] = [];
    for (let k = 0; k < rows; k++) {
      // b entries, columns drawn with repetition (so a column can repeat within a row, and hit the diagonal)
      for (let j = 0; j < b; j++) {
        next.push(Math.floor(rng.double() * S));
        prob.push(rng.double());
      }
      rowStart[k + 1] = next.length;
    }
    const w = Float64Array.from({ length: rows }, () => (rng.double() < 0.3 ? 0 : rng.double()));
    const gamma = 0.93;
    const expected = new Float64Array(S * S);
    for (let s = 0; s < S; s++) {
      expected[s * S + s] = 1;
      for (let a = 0; a < A; a++) {
        const wk = w[s * A + a];
        if (!(wk > 0)) continue;
        for (let j = rowStart[s * A + a]; j < rowStart[s * A + a + 1]; j++) expected[s * S + next[j]] -= gamma * (wk * prob[j]);
      }
    }
    const nnz = next.length;
    const ws = createLuWorkspace(S, 1, 8 * rows + 8 * nnz + 4 * (rows + 1) + 4 * nnz);
    assert.ok(ws);
    const off = { w: ws.extra, prob: ws.extra + 8 * rows, rowStart: ws.extra + 8 * rows + 8 * nnz, next: ws.extra + 8 * rows + 8 * nnz + 4 * (rows + 1) };
    new Float64Array(ws.buffer, off.w, rows).set(w);
    new Float64Array(ws.buffer, off.prob, nnz).set(prob);
    new Int32Array(ws.buffer, off.rowStart, rows + 1).set(rowStart);
    new Int32Array(ws.buffer, off.next, nnz).set(next);
    ws.matrix.fill(7); // stale contents are overwritten
    ws.identityMinusWeighted(A, off.rowStart, off.next, off.prob, off.w, gamma);
    sameBits(ws.matrix, expected, `S = ${S}, A = ${A}, b = ${b}`);
  }
});
