import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createRun, restoreRun } from '../src/index';
import { fixtureCases, fixtureProblem, recordCase } from '../scripts/make-builtin-fixtures';

// test/fixtures/builtin-traces.json was written by scripts/make-builtin-fixtures.ts running the code of main
// before the algorithm plug-in refactor (f4b4776). Every number of every trace must be the same to the bit.
const saved = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'builtin-traces.json'), 'utf8')) as { cases: { name: string; config: Record<string, unknown>; recorded: unknown }[] };

test('the fixture lists the cases the script defines', () => {
  assert.deepEqual(saved.cases.map((c) => c.name), fixtureCases().map((c) => c.name));
});

for (const c of saved.cases) {
  test(`${c.name}: traces bit-identical to the pre-refactor code`, () => {
    assert.deepStrictEqual(recordCase(c.config), c.recorded);
  });
}

test('save after round 2, JSON round-trip, restore: the last three rounds match the fixture to the bit', () => {
  for (const c of saved.cases) {
    const run = createRun(fixtureProblem(), c.config as never);
    run.step();
    run.step();
    const resumed = restoreRun(fixtureProblem(), JSON.parse(JSON.stringify(run.state)));
    const expected = (c.recorded as { traces: { thetaAfter: number[] | null; J: number }[] }).traces;
    for (let t = 2; t < 5; t++) {
      const tr = resumed.step();
      assert.deepEqual(Array.from(tr.thetaAfter as Float64Array), expected[t].thetaAfter, `${c.name} round ${t + 1}`);
      assert.equal(tr.J, expected[t].J);
    }
  }
});
