import assert from 'node:assert/strict';
import { test } from 'node:test';
import { xoshiroJump, xoshiroJumpTable } from '../src/core/xoshiroJump';
import { xoshiroNext } from '../src/core/xoshiro';

test('xoshiro128** jump-ahead by n equals n single steps (n = 0, 1, 2, 31, 1000, 123457)', () => {
  for (const n of [0, 1, 2, 31, 1000, 123457]) {
    for (const start of [[1, 0, 0, 0], [0x12345678, -5, 77, 0x7fffffff], [-1, -1, -1, -1]]) {
      const stepped = Int32Array.from(start);
      for (let i = 0; i < n; i++) xoshiroNext(stepped);
      const jumped = new Int32Array(8);
      jumped.set(start, 4);
      xoshiroJump(xoshiroJumpTable(n), jumped, 4, jumped, 0);
      assert.deepEqual(Array.from(jumped.subarray(0, 4)), Array.from(stepped), `n=${n} from ${start}`);
    }
  }
});
