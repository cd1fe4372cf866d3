import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRng, garnet, restoreRng, ValidationError } from '../src/index';
import seedrandom from 'seedrandom';
import { buildAlias, drewFrom, nextInt32s, sampleAlias, sampleSuccessor, XOR4096_KEY_LIMIT, xor4096First, xoshiroNext, xoshiroSeed } from '../src/internals';

test('same seed gives the same stream; different seeds and different fold labels give different streams', () => {
  const draw = (seed: number | string, n = 5) => {
    const r = createRng(seed);
    return Array.from({ length: n }, () => r.uniform());
  };
  assert.deepEqual(draw(1), draw(1));
  assert.notDeepEqual(draw(1), draw(2));
  assert.notDeepEqual(createRng(1).fold('a').uniform(), createRng(1).fold('b').uniform());
});

test('a child stream depends only on its key, not on what the parent drew', () => {
  const fresh = createRng(9).fold('agent:3');
  const parent = createRng(9);
  for (let i = 0; i < 1000; i++) parent.uniform();
  const late = parent.fold('agent:3');
  assert.equal(late.key, '9/agent:3');
  assert.deepEqual(Array.from({ length: 10 }, () => late.uniform()), Array.from({ length: 10 }, () => fresh.uniform()));
});

test('state() is JSON and restoreRng continues the stream bit-identically', () => {
  const r = createRng('checkpoint');
  for (let i = 0; i < 37; i++) r.uniform();
  const saved = JSON.parse(JSON.stringify(r.state()));
  const expected = Array.from({ length: 20 }, () => r.uniform());
  const restored = restoreRng(saved);
  assert.deepEqual(Array.from({ length: 20 }, () => restored.uniform()), expected);
  assert.equal(restored.fold('x').key, 'checkpoint/x');
  assert.throws(() => restoreRng({ key: 'k' } as never), ValidationError);
});

test('uniform() has mean 1/2 and variance 1/12 (z-bounds from the closed-form moments)', () => {
  const r = createRng(123);
  const n = 200_000;
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const u = r.uniform();
    assert.ok(u >= 0 && u < 1);
    s += u;
    s2 += u * u;
  }
  const mean = s / n;
  // Var(U) = 1/12, so the sample mean has sd √(1/(12n)); Var(U²) = 1/5 − 1/9 = 4/45.
  assert.ok(Math.abs(mean - 0.5) < 5 * Math.sqrt(1 / (12 * n)), `mean ${mean}`);
  assert.ok(Math.abs(s2 / n - 1 / 3) < 5 * Math.sqrt(4 / 45 / n), `E[U²] ${s2 / n}`);
});

test('seeds must be integers or strings', () => {
  assert.throws(() => createRng(1.5), /seed must be an integer or a string, got 1.5/);
  assert.throws(() => createRng(NaN), /seed/);
});

test('alias sampling reproduces the distribution (chi-square below the 1e-4 critical value)', () => {
  const p = [0.5, 0.2, 0.15, 0.1, 0.05, 0];
  const cut = new Float64Array(6);
  const other = new Int32Array(6);
  buildAlias(p, 0, 6, cut, other);
  const r = createRng('alias');
  const n = 100_000;
  const counts = new Array<number>(6).fill(0);
  for (let i = 0; i < n; i++) counts[sampleAlias(cut, other, 0, 6, r.uniform())]++;
  assert.equal(counts[5], 0, 'a zero-probability entry is never drawn');
  let chi2 = 0;
  for (let j = 0; j < 5; j++) chi2 += (counts[j] - n * p[j]) ** 2 / (n * p[j]);
  // χ²₄ upper 1e-4 quantile ≈ 23.51.
  assert.ok(chi2 < 23.51, `χ² = ${chi2}, counts ${counts}`);
});

test('successor sampling follows P(·|s,a) for every row of a Garnet', () => {
  const problem = garnet({ states: 5, actions: 2, branching: 3, agents: 1, gamma: 0.9, heterogeneity: 0, seed: 4 });
  const P = problem.transitions;
  const r = createRng('succ');
  const n = 20_000;
  for (let row = 0; row < 10; row++) {
    const counts = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const s = sampleSuccessor(P, row, r.uniform());
      counts.set(s, (counts.get(s) ?? 0) + 1);
    }
    for (let k = P.rowStart[row]; k < P.rowStart[row + 1]; k++) {
      const p = P.prob[k];
      const got = (counts.get(P.next[k]) ?? 0) / n;
      assert.ok(Math.abs(got - p) < 5 * Math.sqrt((p * (1 - p)) / n) + 1e-12, `row ${row} → ${P.next[k]}: ${got} vs ${p}`);
    }
    assert.equal([...counts.keys()].filter((s) => !Array.from(P.next.subarray(P.rowStart[row], P.rowStart[row + 1])).includes(s)).length, 0);
  }
});

test('xoshiro128** matches the reference outputs of Blackman & Vigna for the state (1, 2, 3, 4)', () => {
  const state = Int32Array.of(1, 2, 3, 4);
  // The reference C code's first four 32-bit outputs from s = {1, 2, 3, 4}.
  assert.deepEqual(Array.from({ length: 4 }, () => xoshiroNext(state) * 2 ** 32), [11520, 0, 5927040, 70819200]);
  const seeded = xoshiroSeed(createRng('x'));
  assert.deepEqual(Array.from(seeded), Array.from(xoshiroSeed(createRng('x'))));
  assert.notDeepEqual(Array.from(seeded), Array.from(xoshiroSeed(createRng('y'))));
});

test('xor4096First gives seedrandom xor4096’s first outputs for any key; streams continue as if drawn through uniform', () => {
  // Keys of every shape the project makes and some it does not: short, at and beyond 127 units (the mixing
  // loop then runs over the key), non-ASCII (UTF-16 units), empty.
  const keys = ['', 'a', '42', '42/run:0/round:17/agent:3/step:4', 'x'.repeat(127), 'y'.repeat(128), 'z/'.repeat(300), 'θ̄/∇J/é', '7/run:ifca-1/round:0/agent:11/anchor'];
  for (let r = 0; r < 200; r++) keys.push(`${r}/run:${r % 7}/round:${(r * 37) % 1000}/agent:${r % 16}/step:${r % 20}`);
  const out = new Int32Array(128);
  for (const key of keys) {
    const g = seedrandom.xor4096(key);
    const expected = Array.from({ length: 128 }, () => (g() * 4294967296) | 0);
    assert.ok(xor4096First(key, 128, out), key);
    assert.deepEqual([...out], expected, `first outputs of ${JSON.stringify(key)}`);
  }
  assert.equal(xor4096First('k'.repeat(XOR4096_KEY_LIMIT + 1), 4, out), false, 'a key beyond the limit is left to seedrandom');
  // A stream whose first four words came from the kernel continues exactly where seedrandom's would be.
  const fast = createRng(9).fold('run:0').fold('agent:2');
  const slow = createRng(9).fold('run:0').fold('agent:2');
  assert.equal(drewFrom(fast), false);
  const words = new Int32Array(4);
  nextInt32s(fast, words, 4);
  assert.equal(drewFrom(fast), true);
  const u = slow.uniform;
  assert.deepEqual([...words], [0, 1, 2, 3].map(() => (u() * 4294967296) | 0));
  const state = fast.state();
  assert.deepEqual(state, slow.state(), 'the state after the kernel’s words is the one after four uniforms');
  assert.deepEqual([fast.uniform(), fast.double(), fast.uniform()], [slow.uniform(), slow.double(), slow.uniform()]);
  // Once drawn from, a stream's next words are its next outputs, not its first ones again.
  nextInt32s(fast, words, 4);
  const v = slow.uniform;
  assert.deepEqual([...words], [0, 1, 2, 3].map(() => (v() * 4294967296) | 0));
});
