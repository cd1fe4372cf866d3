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
