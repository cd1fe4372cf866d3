/**
 * The main job (`npm run reproduce`): executes every notebook headless with the tslab kernel into
 * build/notebooks/. `-- --full` selects the full budget (FEDPG_BUDGET=full) for notebooks that read it.
 */
import { join } from 'node:path';
import { executeNotebook, listNotebooks, ROOT } from './notebooks';

const budget = process.argv.includes('--full') ? 'full' : 'quick';
const outDir = join(ROOT, 'build', 'notebooks');
const notebooks = listNotebooks();
let failed = 0;
console.log(`fedpg-lab reproduce: ${notebooks.length} notebook(s), budget ${budget}, output ${outDir}`);
notebooks.forEach((nb, i) => {
  process.stdout.write(`[${i + 1}/${notebooks.length}] ${nb.split('/').pop()} … `);
  const run = executeNotebook(nb, outDir, { FEDPG_BUDGET: budget });
  console.log(run.ok ? `ok (${run.seconds.toFixed(1)} s)` : 'FAILED');
  if (!run.ok) {
    failed++;
    console.error([...run.errors, run.log.split('\n').slice(-15).join('\n')].join('\n'));
  }
});
if (failed > 0) {
  console.error(`${failed} notebook(s) failed`);
  process.exit(1);
}
console.log(`done: executed notebooks in ${outDir}`);
