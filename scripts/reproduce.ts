/**
 * The main job (`npm run reproduce`, `-- --full` for the full budget), after `scripts/build-if-stale.js` has
 * rebuilt dist/ if it is older than src/:
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
import { loadedMessage, readExperiment, sweep, terminalProgress } from '../dist/index';
import { cpus } from 'node:os';
import { executeNotebookAsync, freeKernelPorts, listNotebooks, NotebookDriver, notebookExperiments, ROOT, type NotebookRun } from './notebooks';

async function main(): Promise<number> {
  const budget = process.argv.includes('--full') ? 'full' : 'quick';
  const started = Date.now();
  const experiments = readdirSync(join(ROOT, 'data', 'experiments')).filter((f) => f.endsWith('.json')).sort();
  console.log(`fedpg-lab reproduce (${budget} budget): ${experiments.length} experiments, ${listNotebooks().length} notebooks`);
  const sweepsStarted = Date.now();
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
  console.log(`experiments: ${experiments.length} at the ${budget} budget in ${((Date.now() - sweepsStarted) / 1000).toFixed(1)} s`);
  const outDir = join(ROOT, 'build', 'notebooks');
  // One driver process executes, signs and renders all the notebooks (Python and nbconvert start once).
  const driver = new NotebookDriver();
  const failed = await executeNotebooks(listNotebooks(), outDir, budget, notebookSlots(), driver).finally(() => driver.close());
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

/** Notebooks run side by side: one per core (FEDPG_NOTEBOOK_SLOTS overrides it; 1 runs them in order). */
function notebookSlots(): number {
  const env = process.env.FEDPG_NOTEBOOK_SLOTS;
  if (env !== undefined) {
    const n = Number(env);
    if (!Number.isInteger(n) || n < 1) throw new Error(`FEDPG_NOTEBOOK_SLOTS must be an integer ≥ 1, got ${JSON.stringify(env)}`);
    return n;
  }
  return Math.max(1, cpus().length);
}

/**
 * Execute the notebooks, `slots` at a time, each with its own kernel; a notebook waits while another one that
 * loads one of its experiments runs (a results folder has one writer at a time). Lines are printed in the
 * notebooks' order as they finish. Returns the number that failed.
 */
async function executeNotebooks(notebooks: string[], outDir: string, budget: string, slots: number, driver: NotebookDriver): Promise<number> {
  const experiments = notebooks.map(notebookExperiments);
  const state = notebooks.map(() => 'waiting' as 'waiting' | 'running' | 'done');
  const lines: (string | undefined)[] = notebooks.map(() => undefined);
  let printed = 0;
  let failed = 0;
  const flush = () => {
    while (printed < notebooks.length && lines[printed] !== undefined) console.log(lines[printed++]);
  };
  const portsInUse = new Set<number>();
  const busy = (i: number) => state.some((s, j) => s === 'running' && experiments[j].some((e) => experiments[i].includes(e)));
  const runOne = async (i: number): Promise<void> => {
    const nb = notebooks[i];
    const label = `[notebook ${i + 1}/${notebooks.length}] ${nb.split('/').pop()} … `;
    const ports = await freeKernelPorts(portsInUse);
    for (const p of ports) portsInUse.add(p);
    const run: NotebookRun = await executeNotebookAsync(nb, outDir, { env: { FEDPG_BUDGET: budget }, ports, html: outDir, driver });
    for (const p of ports) portsInUse.delete(p);
    if (run.ok) {
      const html = run.html as string;
      const mb = (p: string) => (statSync(p).size / 1e6).toFixed(2);
      const first = run.figures[0]?.timing;
      const firstText = first ? `; first figure ${first.shownAt.toFixed(1)} s after the kernel started, ${(first.shownAt - first.packageLoadedAt).toFixed(1)} s after the package loaded` : '';
      lines[i] = `${label}ok (${run.seconds.toFixed(1)} s; ${run.figures.length} figures${firstText}; ${mb(run.outputPath)} MB, HTML ${mb(html)} MB)`;
    } else {
      failed++;
      lines[i] = `${label}FAILED\n${[...run.errors, run.log.split('\n').slice(-15).join('\n')].join('\n')}`;
    }
    state[i] = 'done';
    flush();
  };
  await new Promise<void>((done) => {
    let running = 0;
    const next = () => {
      if (state.every((s) => s === 'done')) return done();
      for (let i = 0; i < notebooks.length && running < slots; i++) {
        if (state[i] !== 'waiting' || busy(i)) continue;
        state[i] = 'running';
        running++;
        void runOne(i).then(() => {
          running--;
          next();
        });
      }
    };
    next();
  });
  return failed;
}

main().then((code) => process.exit(code), (e) => {
  console.error(`reproduce: ${(e as Error).message}`);
  process.exit(1);
});
