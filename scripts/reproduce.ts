/**
 * The main job (`npm run reproduce`, `-- --full` for the full budget):
 *   1. runs every shipped experiment (data/experiments/*.json) at the budget, on all cores, into
 *      data/results/<experiment>/<budget>/ (resumable: finished runs are kept, an interrupted job resumes
 *      from its checkpoint);
 *   2. executes the shipped notebooks (notebooks/index.json; never your own in workspace/) headless with
 *      the tslab kernel into build/notebooks/ (they load those results), with static PNG figures, numbered
 *      cells and a trust signature in the project's Jupyter, and renders each to HTML next to it;
 *   3. notebook 06 writes the figure set to figures/<budget>/{column,page}/ (SVG, PDF, PNG; CAPTIONS.md) and
 *      checks each print version's layout in Chromium (layout-check.json, summarised here); the numbers go
 *      to build/report-<budget>.md, whose claims section says which claims this budget resolves.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadedMessage, readExperiment, sweep, terminalProgress } from '../src/index';
import { executeNotebook, listNotebooks, notebookToHTML, ROOT } from './notebooks';

async function main(): Promise<number> {
  const budget = process.argv.includes('--full') ? 'full' : 'quick';
  const started = Date.now();
  const experiments = readdirSync(join(ROOT, 'data', 'experiments')).filter((f) => f.endsWith('.json')).sort();
  console.log(`fedpg-lab reproduce (${budget} budget): ${experiments.length} experiments, ${listNotebooks().length} notebooks`);
  for (const [i, file] of experiments.entries()) {
    const spec = readExperiment(join(ROOT, 'data', 'experiments', file));
    console.log(`[experiment ${i + 1}/${experiments.length}] ${spec.name}`);
    const result = await sweep(spec, { budget, out: join(ROOT, 'data', 'results', spec.name, budget), baseDir: join(ROOT, 'data', 'experiments'), onProgress: terminalProgress() });
    if (result.failures.length > 0) {
      for (const f of result.failures) console.error(`  job ${f.id} failed: ${f.message}`);
      return 1;
    }
    if (result.skipped === result.jobs) console.log(`  ${loadedMessage(spec.name, result.jobs, result.dir)}`);
  }
  const outDir = join(ROOT, 'build', 'notebooks');
  let failed = 0;
  for (const [i, nb] of listNotebooks().entries()) {
    process.stdout.write(`[notebook ${i + 1}/${listNotebooks().length}] ${nb.split('/').pop()} … `);
    const run = executeNotebook(nb, outDir, { FEDPG_BUDGET: budget });
    if (run.ok) {
      const html = notebookToHTML(run.outputPath, outDir);
      const mb = (p: string) => (statSync(p).size / 1e6).toFixed(2);
      console.log(`ok (${run.seconds.toFixed(1)} s; ${run.figures.length} figures; ${mb(run.outputPath)} MB, HTML ${mb(html)} MB)`);
    } else {
      failed++;
      console.log('FAILED');
      console.error([...run.errors, run.log.split('\n').slice(-15).join('\n')].join('\n'));
    }
  }
  if (failed > 0) {
    console.error(`${failed} notebook(s) failed`);
    return 1;
  }
  const check = join(ROOT, 'figures', budget, 'layout-check.json');
  if (existsSync(check)) {
    const c = JSON.parse(readFileSync(check, 'utf8')) as { figures: number; presets: string[]; problems: { figure: string; preset: string; detail: string }[] };
    console.log(`figures: ${c.figures} × ${c.presets.join(' + ')} in figures/${budget}/; layout check: ${c.problems.length === 0 ? 'no legend on data, no title on ticks, all text ≥ 8 pt' : `${c.problems.length} problem(s)`}`);
    for (const p of c.problems) console.error(`  ${p.figure} (${p.preset}): ${p.detail}`);
  }
  const report = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'report.ts'), '--budget', budget], { encoding: 'utf8', cwd: ROOT });
  if (report.status !== 0) {
    console.error(report.stderr);
    return 1;
  }
  const unresolved = /(\d+) of (\d+) claims resolved/.exec(report.stdout);
  if (unresolved) console.log(`claims: ${unresolved[0]} (build/report-${budget}.md, section "Claims at this budget")`);
  console.log(`done in ${((Date.now() - started) / 60000).toFixed(1)} min: results in data/results/*/${budget}/, executed notebooks (and HTML) in build/notebooks/, figures in figures/${budget}/, numbers in build/report-${budget}.md`);
  return 0;
}

main().then((code) => process.exit(code), (e) => {
  console.error(`reproduce: ${(e as Error).message}`);
  process.exit(1);
});
