import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRng } from '../src/index';
import { softmaxRows } from '../src/internals';
import { createWalkKernel } from '../src/estimators/walkKernel';

test('the kernel\'s exp is Math.exp bit for bit: special values, both reduction branches, subnormal results, random bit patterns', () => {
  const kernel = createWalkKernel(65536);
  const rng = createRng('kernel-exp');
  const xs = [0, -0, 1, -1, NaN, Infinity, -Infinity, 709.78, 709.79, -745.13, -745.14, -708.39, -708.4, 2 ** -29, -(2 ** -29), 0.3465, 0.3466, -1.0397, 1.0398, 1e-300];
  for (let i = 0; i < 100_000; i++) xs.push(-760 * rng.double() + 20 * rng.double(), (rng.double() - 0.5) * 3, -745 + 40 * rng.double());
  const bits = new Float64Array(1);
  const words = new Uint32Array(bits.buffer);
  for (let i = 0; i < 100_000; i++) {
    words[0] = (rng.double() * 2 ** 32) >>> 0;
    words[1] = (rng.double() * 2 ** 32) >>> 0;
    xs.push(bits[0]);
  }
  let mismatches = 0;
  for (const x of xs) if (!Object.is(kernel.exp(x), Math.exp(x))) assert.fail(`exp(${x}): kernel ${kernel.exp(x)}, Math.exp ${Math.exp(x)} (${++mismatches})`);
});

test('the kernel\'s softmax equals core/softmax.ts bit for bit, also for rows with ±700 spreads', () => {
  const S = 40;
  const A = 7;
  const kernel = createWalkKernel(65536);
  const theta = new Float64Array(kernel.buffer, 0, S * A);
  const pi = new Float64Array(kernel.buffer, 8 * S * A, S * A);
  const rng = createRng('kernel-softmax');
  for (let k = 0; k < S * A; k++) theta[k] = (rng.double() - 0.5) * (k < A * 10 ? 1400 : 6);
  kernel.softmax(0, 8 * S * A, S, A);
  assert.deepEqual(Array.from(pi), Array.from(softmaxRows(theta, S, A, new Float64Array(S * A))));
});

test('no test runs against a stale kernel: every built .wasm records the SHA-256 of its .wat, and a binary built from another .wat is refused', () => {
  const { createHash } = require('node:crypto') as typeof import('node:crypto');
  const fs = require('node:fs') as typeof import('node:fs');
  const path = require('node:path') as typeof import('node:path');
  const { kernelModule, SOURCE_HASH_SECTION, wasmApi } = require('../src/core/wasmModule') as typeof import('../src/core/wasmModule');
  const root = path.join(__dirname, '..');
  const wats: string[] = [];
  const walk = (dir: string): void => fs.readdirSync(dir, { withFileTypes: true }).forEach((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.wat') && wats.push(path.join(dir, e.name))));
  walk(path.join(root, 'src'));
  assert.ok(wats.length >= 4, `found ${wats.length} kernels`);
  for (const wat of wats) {
    const wasm = path.join(root, 'dist', path.relative(path.join(root, 'src'), wat)).replace(/\.wat$/, '.wasm');
    const module = new (wasmApi().Module)(fs.readFileSync(wasm));
    const [section] = wasmApi().Module.customSections(module, SOURCE_HASH_SECTION);
    assert.equal(Buffer.from(section).toString('ascii'), createHash('sha256').update(fs.readFileSync(wat, 'utf8')).digest('hex'), `${wasm} is not built from ${wat}: run npm run build`);
  }
  // A checkout whose walk.wat changed after the build: the loader refuses the old binary, naming both files.
  const tmp = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'fedpg-stale-'));
  fs.mkdirSync(path.join(tmp, 'src', 'estimators'), { recursive: true });
  fs.mkdirSync(path.join(tmp, 'dist', 'estimators'), { recursive: true });
  fs.copyFileSync(path.join(root, 'dist', 'estimators', 'walk.wasm'), path.join(tmp, 'dist', 'estimators', 'walk.wasm'));
  const text = fs.readFileSync(path.join(root, 'src', 'estimators', 'walk.wat'), 'utf8');
  fs.writeFileSync(path.join(tmp, 'src', 'estimators', 'walk.wat'), text);
  assert.doesNotThrow(() => kernelModule(path.join(tmp, 'src', 'estimators'), 'estimators', 'walk'));
  // (Another folder: the loader keeps a compiled module per binary path.)
  fs.mkdirSync(path.join(tmp, 'other', 'src', 'estimators'), { recursive: true });
  fs.mkdirSync(path.join(tmp, 'other', 'dist', 'estimators'), { recursive: true });
  const edited = text.replace('(v128.const i32x4 9 9 9 9)', '(v128.const i32x4 9 9 9 8)');
  assert.notEqual(edited, text);
  fs.writeFileSync(path.join(tmp, 'other', 'src', 'estimators', 'walk.wat'), edited);
  fs.copyFileSync(path.join(root, 'dist', 'estimators', 'walk.wasm'), path.join(tmp, 'other', 'dist', 'estimators', 'walk.wasm'));
  assert.throws(() => kernelModule(path.join(tmp, 'other', 'src', 'estimators'), 'estimators', 'walk'), /was not assembled from .*walk\.wat .*stale; run `npm run build`/);
});
