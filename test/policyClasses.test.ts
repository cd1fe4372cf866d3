import assert from 'node:assert/strict';
import { test } from 'node:test';
import { averageMDP, createRng, defineFeatures, evaluatePolicy, garnet, gridworld, policyClass, softmaxPolicyAt, tabularStateSpace, ValidationError } from '../src/index';
import { createFeatureRows, featureLogits, pullBack } from '../src/internals';
import { randomTheta } from './helpers';

// Policy classes are values bound to a state space (policy/policyClass.ts). One-hot features must be the
// tabular softmax bit for bit; every other map is checked against its definition (hand-worked cells, the
// score against finite differences of log π), and bad specs are refused naming the field.

const mdp = averageMDP(garnet({ states: 6, actions: 3, branching: 3, agents: 2, gamma: 0.9, seed: 3 }));
const space = tabularStateSpace(mdp);
const grid = gridworld({ width: 4, height: 3, goals: [[0, 0], [2, 3]], walls: [[1, 1]], slip: 0.1, gamma: 0.9 });
const gridMDP = averageMDP(grid);

test('one-hot features are the tabular softmax bit for bit: logits, actions drawn, log π, scores, exact evaluation', () => {
  const cls = policyClass({ kind: 'log-linear', features: { kind: 'one-hot' } }, space);
  assert.equal(cls.dimension, mdp.S * mdp.A);
  assert.equal(cls.label, 'log-linear/one-hot');
  const theta = randomTheta(cls.dimension, 'one-hot', 2);
  theta[4] = -0; // the sign of a zero is kept too
  assert.deepStrictEqual(featureLogits(cls.features!, theta, mdp.S), theta);
  const tab = softmaxPolicyAt(theta, mdp.S, mdp.A);
  const lin = cls.at(theta);
  const rng = createRng('draws');
  const gTab = new Float64Array(cls.dimension);
  const gLin = new Float64Array(cls.dimension);
  for (let i = 0; i < 500; i++) {
    const s = i % mdp.S;
    const u = rng.uniform();
    const a = tab.sample(s, u);
    assert.equal(lin.sample(s, u), a);
    assert.equal(Object.is(lin.logProb(s, a), tab.logProb(s, a)), true);
    const w = rng.double() - 0.5;
    tab.addScore(s, a, w, gTab);
    lin.addScore(s, a, w, gLin);
  }
  assert.deepStrictEqual(gLin, gTab);
  for (const entropy of [0, 0.3]) {
    const a = evaluatePolicy(mdp, theta, { entropy });
    const b = evaluatePolicy(mdp, theta, { entropy, policy: { kind: 'log-linear', features: { kind: 'one-hot' } } });
    for (const key of ['pi', 'logPi', 'V', 'Q', 'advantage', 'occupancy'] as const) assert.deepStrictEqual(b[key], a[key], key);
    assert.equal(b.J, a.J);
  }
});

test('the log-linear score is the derivative of log π: central differences, every feature map', () => {
  const maps = {
    random: policyClass({ kind: 'log-linear', features: { kind: 'random', dimension: 7, nonZeros: 3, seed: 4 } }, space),
    table: policyClass({ kind: 'log-linear', features: { kind: 'table', dimension: 4, table: Array.from(randomTheta(6 * 3 * 4, 'table')) } }, space),
    tiles: policyClass({ kind: 'log-linear', features: { kind: 'tile-coding', tiles: [2, 2], tilings: 3 } }, tabularStateSpace(gridMDP)),
    rbf: policyClass({ kind: 'log-linear', features: { kind: 'radial-basis', centres: [2, 3], width: 0.8 } }, tabularStateSpace(gridMDP)),
    custom: policyClass({ kind: 'log-linear', features: defineFeatures({ name: 'trig', dimension: 3, actions: 3, features: (s: number, a: number, out) => ((out[0] = Math.sin(s + a)), (out[1] = a === 1 ? s / 5 : 0), (out[2] = Math.cos(2 * s * a))) }) }, space),
  };
  for (const [name, cls] of Object.entries(maps)) {
    const theta = randomTheta(cls.dimension, name, 1.5);
    const S = cls.states as number;
    const h = 1e-5;
    for (let s = 0; s < S; s++) {
      for (let a = 0; a < cls.actions; a++) {
        const score = new Float64Array(cls.dimension);
        cls.at(theta).addScore(s, a, 1, score);
        for (let k = 0; k < cls.dimension; k++) {
          const plus = Float64Array.from(theta);
          const minus = Float64Array.from(theta);
          plus[k] += h;
          minus[k] -= h;
          const fd = (cls.at(plus).logProb(s, a) - cls.at(minus).logProb(s, a)) / (2 * h);
          // Central differences err by h²/6 · |∂³ log π| ≤ h²·‖φ‖³ (log-sum-exp's third derivatives are bounded by 2‖φ‖³); round-off 1e-16/h.
          assert.ok(Math.abs(fd - score[k]) < 1e-8, `${name}: s=${s} a=${a} k=${k}: ${fd} vs ${score[k]}`);
        }
      }
    }
  }
});

test('tile coding: one tile per tiling, shared by the cells of one tile; hand-worked indices', () => {
  const cls = policyClass({ kind: 'log-linear', features: { kind: 'tile-coding', tiles: [3, 2], tilings: 1 } }, tabularStateSpace(gridMDP));
  // Box [−½, 2.5] × [−½, 3.5]: rows 0, 1, 2 fall in tiles 0, 1, 2; columns 0–1 in tile 0, 2–3 in tile 1. m = 6, d = 5·6.
  assert.equal(cls.dimension, 5 * 6);
  const rows = createFeatureRows(cls.features!);
  const tileOf = (r: number, c: number) => {
    const s = grid.stateNames!.indexOf(`(${r},${c})`);
    cls.features!.write(s, rows);
    for (let a = 0; a < 5; a++) assert.equal(rows.start[a + 1] - rows.start[a], 1);
    assert.equal(rows.index[2] - rows.index[0], 2 * 6, 'action a shifts the index by a·m');
    return rows.index[0];
  };
  assert.equal(tileOf(0, 0), 0);
  assert.equal(tileOf(0, 1), 0);
  assert.equal(tileOf(0, 3), 1);
  assert.equal(tileOf(1, 2), 3);
  assert.equal(tileOf(2, 0), 4);
  assert.equal(tileOf(2, 3), 5);
  // Three tilings, displaced: T entries of 1/√T per action, in distinct tilings.
  const t3 = policyClass({ kind: 'log-linear', features: { kind: 'tile-coding', tiles: [3, 2], tilings: 3 } }, tabularStateSpace(gridMDP));
  assert.equal(t3.dimension, 5 * 3 * 4 * 3);
  const r3 = createFeatureRows(t3.features!);
  for (let s = 0; s < gridMDP.S; s++) {
    t3.features!.write(s, r3);
    assert.equal(r3.start[1], 3);
    for (let t = 0; t < 3; t++) {
      assert.equal(r3.value[t], 1 / Math.sqrt(3));
      assert.equal(Math.floor(r3.index[t] / 12), t, 'entry t lies in tiling t');
    }
  }
});

test('radial basis features: the Gaussian of the distance to each centre in units of σ·spacing', () => {
  // A 2-by-2 lattice over the box [−½, 2.5] × [−½, 3.5]: spacings 1.5 and 2, centres at rows 0.25, 1.75 and
  // columns 0.5, 2.5. Cell (row 1, column 2) is ½ spacing from both row centres, ¾ and ¼ spacing from the
  // column centres; centre c = 2·(row index) + (column index).
  const sigma = 0.7;
  const cls = policyClass({ kind: 'log-linear', features: { kind: 'radial-basis', centres: [2, 2], width: sigma } }, tabularStateSpace(gridMDP));
  const rows = createFeatureRows(cls.features!);
  cls.features!.write(grid.stateNames!.indexOf('(1,2)'), rows);
  const g = (z: number) => Math.exp(-0.5 * (z / sigma) ** 2);
  const expected = [g(0.5) * g(0.75), g(0.5) * g(0.25), g(0.5) * g(0.75), g(0.5) * g(0.25)];
  for (let c = 0; c < 4; c++) assert.ok(Math.abs(rows.value[c] - expected[c]) < 1e-15, `centre ${c}: ${rows.value[c]} vs ${expected[c]}`);
  cls.features!.write(grid.stateNames!.indexOf('(0,0)'), rows);
  assert.ok(Math.abs(rows.value[0] - g(0.25 / 1.5) * g(0.25)) < 1e-15);
  assert.equal(rows.index[4 + 1], 4 + 1, 'action 1 shifts the index by m = 4');
});

test('random features: a pure function of (seed, s, a); unit norm; indices spread over d', () => {
  const spec = { kind: 'log-linear', features: { kind: 'random', dimension: 50, nonZeros: 4, seed: 9 } } as const;
  const a = policyClass(spec, { actions: 3, states: 1000 });
  const b = policyClass(spec, { actions: 3, states: 1000 });
  const ra = createFeatureRows(a.features!);
  const rb = createFeatureRows(b.features!);
  const counts = new Float64Array(50);
  let sum = 0;
  for (let s = 0; s < 1000; s++) {
    a.features!.write(s, ra);
    b.features!.write(s, rb);
    assert.deepStrictEqual(ra, rb);
    for (let e = 0; e < 12; e++) {
      counts[ra.index[e]]++;
      sum += ra.value[e];
      assert.equal(Math.abs(ra.value[e]), 0.5);
    }
  }
  // 12 000 indices uniform over 50: each count ~ Binomial(12000, 1/50), sd ≈ 15.3; the signs' sum ~ 0.5·√12000 ≈ 55 sd.
  for (let k = 0; k < 50; k++) assert.ok(Math.abs(counts[k] - 240) < 5 * 15.3, `index ${k}: ${counts[k]}`);
  assert.ok(Math.abs(sum) < 5 * 0.5 * Math.sqrt(12000));
  assert.equal(a.description?.features.seed, 9);
  assert.equal(policyClass({ kind: 'log-linear', features: { kind: 'random', dimension: 5 } }, space).description?.features.nonZeros, 5);
});

test('Φθ and Φᵀg are adjoint: ⟨Φθ, g⟩ = ⟨θ, Φᵀg⟩ for every map', () => {
  for (const features of [{ kind: 'random', dimension: 9, seed: 1 }, { kind: 'table', dimension: 2, table: Array.from(randomTheta(36, 't')) }] as const) {
    const cls = policyClass({ kind: 'log-linear', features }, space);
    const theta = randomTheta(cls.dimension, 'adj');
    const g = randomTheta(mdp.S * mdp.A, 'g');
    const l = featureLogits(cls.features!, theta, mdp.S);
    const p = pullBack(cls.features!, g, mdp.S);
    const lhs = l.reduce((acc, x, k) => acc + x * g[k], 0);
    const rhs = p.reduce((acc, x, k) => acc + x * theta[k], 0);
    assert.ok(Math.abs(lhs - rhs) < 1e-13 * (1 + Math.abs(lhs)), `${features.kind}: ${lhs} vs ${rhs}`);
  }
});

test('bad policy specs and feature tables are refused by name', () => {
  const refuses = (spec: unknown, field: RegExp, message: RegExp, where = space) =>
    assert.throws(() => policyClass(spec as never, where), (e: unknown) => e instanceof ValidationError && field.test(e.field) && message.test(e.message), `${JSON.stringify(spec)?.slice(0, 80)}`);
  refuses('log-linear', /^policy$/, /must be 'tabular' or/);
  refuses({ kind: 'loglinear', features: { kind: 'one-hot' } }, /^policy\.kind$/, /did you mean 'log-linear'/);
  refuses({ kind: 'log-linear' }, /^policy\.features$/, /is required/);
  refuses({ kind: 'log-linear', features: { kind: 'tile' } }, /^policy\.features\.kind$/, /'tile-coding'/);
  refuses({ kind: 'log-linear', features: { kind: 'random', dimension: 0 } }, /^policy\.features\.dimension$/, /≥ 1/);
  refuses({ kind: 'log-linear', features: { kind: 'random', dimension: 4, nonzeros: 2 } }, /^policy\.features\.nonzeros$/, /did you mean nonZeros/);
  refuses({ kind: 'log-linear', features: { kind: 'table', dimension: 2, table: new Array(35).fill(0) } }, /^policy\.features\.table$/, /has length 35, expected S·A·d = 6·3·2 = 36/);
  const nested = Array.from({ length: 6 }, () => Array.from({ length: 3 }, () => [0, 1]));
  nested[1][0] = [0, NaN];
  refuses({ kind: 'log-linear', features: { kind: 'table', dimension: 2, table: nested } }, /^policy\.features\.table\[1\]\[0\]\[1\]$/, /is NaN/);
  nested[1][0] = [0, 1, 2];
  refuses({ kind: 'log-linear', features: { kind: 'table', dimension: 2, table: nested } }, /^policy\.features\.table\[1\]\[0\]$/, /has length 3, expected 2/);
  refuses({ kind: 'log-linear', features: { kind: 'tile-coding', tiles: [2, 2] } }, /^policy\.features$/, /has none/);
  refuses({ kind: 'log-linear', features: { kind: 'tile-coding', tiles: [2] } }, /^policy\.features\.tiles$/, /each of the 2 coordinates \(row, column\)/, tabularStateSpace(gridMDP));
  refuses({ kind: 'log-linear', features: { kind: 'radial-basis', centres: [2, 1.5] } }, /^policy\.features\.centres\[1\]$/, /integer/, tabularStateSpace(gridMDP));
  refuses({ kind: 'log-linear', features: { kind: 'one-hot' } }, /^policy$/, /not enumerable/, { actions: 2 });
  const wrongA = defineFeatures({ name: 'two', dimension: 2, actions: 2, features: () => {} });
  refuses({ kind: 'log-linear', features: wrongA }, /^policy\.features\.actions$/, /A = 3/);
  const nan = policyClass({ kind: 'log-linear', features: defineFeatures({ name: 'bad-phi', dimension: 2, actions: 3, features: (s: number, a: number, out) => (out[1] = s === 4 && a === 2 ? NaN : 1) }) }, space);
  assert.throws(() => evaluatePolicy(mdp, [0, 0], { policy: nan }), /features 'bad-phi' at s=4, a=2: \[1\]/);
  assert.throws(() => evaluatePolicy(mdp, randomTheta(18, 'x'), { policy: { kind: 'log-linear', features: { kind: 'random', dimension: 5 } } }), /theta.*has length 18, expected 5/);
});
