import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { executeNotebook, listNotebooks } from '../scripts/notebooks';

const outDir = mkdtempSync(join(tmpdir(), 'fedpg-nb-'));

test('committed notebooks carry no outputs or execution counts', () => {
  for (const path of listNotebooks()) {
    const nb = JSON.parse(readFileSync(path, 'utf8')) as { cells: { cell_type: string; outputs?: unknown[]; execution_count?: number | null }[] };
    nb.cells.forEach((cell, i) => {
      if (cell.cell_type !== 'code') return;
      assert.equal(cell.outputs?.length ?? 0, 0, `${path} cell ${i} has outputs`);
      assert.equal(cell.execution_count ?? null, null, `${path} cell ${i} has an execution count`);
    });
  }
});

test('00-package-smoke executes headless with the tslab kernel and checks the identity', () => {
  const run = executeNotebook(join(__dirname, '..', 'notebooks', '00-package-smoke.ipynb'), outDir, { FEDPG_BUDGET: 'ci' });
  assert.ok(run.ok, `notebook failed:\n${run.errors.join('\n')}\n${run.log}`);
  const r = run.results as { identityError: number; envSteps: number; gradFinite: boolean; Jstar: number };
  assert.ok(r.identityError <= 1e-12, `identity error ${r.identityError}`);
  assert.equal(r.envSteps, 20 * 100);
  assert.equal(r.gradFinite, true);
  assert.ok(Number.isFinite(r.Jstar) && r.Jstar > 0);
  const round = run.results as { rounds: number; anchors: number; gapAfter: number };
  assert.equal(round.rounds, 3);
  assert.equal(round.anchors, 4);
  assert.ok(round.gapAfter > 0 && round.gapAfter < r.Jstar);
});
