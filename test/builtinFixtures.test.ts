import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createRun, restoreRun } from '../src/index';
import { fixtureCases, fixtureProblem, recordCase } from '../scripts/make-builtin-fixtures';

// test/fixtures/builtin-traces.json was written by scripts/make-builtin-fixtures.ts running the code of main
// before the algorithm plug-in refactor (f4b4776). Every number of every trace must be the same to the bit.
type Recorded = { traces: { thetaAfter: number[] | null; J: number }[]; history: unknown; stateAfter2: unknown };
const saved = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'builtin-traces.json'), 'utf8')) as { cases: { name: string; config: Record<string, unknown>; recorded: Recorded }[] };

test('the fixture lists the cases the script defines', () => {
  assert.deepEqual(saved.cases.map((c) => c.name), fixtureCases().map((c) => c.name));
});

for (const c of saved.cases) {
  test(`${c.name}: traces bit-identical to the pre-refactor code`, () => {
    const now = recordCase(c.config);
    assert.deepStrictEqual(now.traces, c.recorded.traces);
    assert.deepStrictEqual(now.history, c.recorded.history);
  });
}

test('save after round 2, JSON round-trip, restore: the last three rounds match the fixture to the bit', () => {
  for (const c of saved.cases) {
    const run = createRun(fixtureProblem(), c.config as never);
    run.step();
    run.step();
    const resumed = restoreRun(fixtureProblem(), JSON.parse(JSON.stringify(run.state)));
    const expected = c.recorded.traces;
    for (let t = 2; t < 5; t++) {
      const tr = resumed.step();
      assert.deepEqual(Array.from(tr.thetaAfter as Float64Array), expected[t].thetaAfter, `${c.name} round ${t + 1}`);
      assert.equal(tr.J, expected[t].J);
    }
  }
});

test('a run state saved by the old code (format @1, after round 2) restores and continues to the fixture, bit for bit', () => {
  for (const c of saved.cases) {
    assert.equal((c.recorded.stateAfter2 as { format: string }).format, 'fedpg-lab/run-state@1');
    const resumed = restoreRun(fixtureProblem(), c.recorded.stateAfter2 as never);
    for (let t = 2; t < 5; t++) {
      const tr = resumed.step();
      assert.deepEqual(Array.from(tr.thetaAfter as Float64Array), c.recorded.traces[t].thetaAfter, `${c.name} round ${t + 1}`);
      assert.equal(tr.J, c.recorded.traces[t].J);
    }
  }
});
