/**
 * The main job (`npm run reproduce`, `-- --full` for the full budget), after `scripts/build-if-stale.js` has
 * rebuilt dist/ if it is older than src/:
 *   1. runs every shipped experiment (data/experiments/*.json) at the budget, one sweep at a time on all
 *      cores, into data/results/<experiment>/<budget>/ (resumable: finished runs are kept, an interrupted
 *      job resumes from its checkpoint);
 *   2. executes the shipped notebooks (notebooks/index.json; never your own in workspace/) headless with
 *      the tslab kernel into build/notebooks/, each as soon as the experiments it loads are swept (one beside
 *      the sweeps, then one per core: scripts/schedule.ts), with static PNG figures drawn in one shared
 *      Chromium, numbered cells and a trust signature in the project's Jupyter, and renders each to HTML;
 *   3. notebook 06 writes the figure set to figures/<budget>/{column,page}/ (SVG, PDF, PNG; CAPTIONS.md) and
 *      checks each print version's layout in Chromium (layout-check.json, summarised here); the numbers go
 *      to build/report-<budget>.md, whose claims section says which claims this budget resolves.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ExperimentSpec, readExperiment, sweep } from '../dist/index';
import { terminalProgress } from '../dist/experiments';
import { loadedMessage } from '../dist/notebook';
import { RENDERER_ENV, type SharedRenderer, startSharedRenderer } from '../dist/notebook';
import { cpus } from 'node:os';
import { executeNotebookAsync, freeKernelPorts, listNotebooks, NotebookDriver, notebookExperiments, ROOT, type NotebookRun, runSummary } from './notebooks';
import { type NotebookState, nextNotebook, notebookSlots, sweepOrder } from './schedule';

async function main(): Promise<number> {
  const budget = process.argv.includes('--full') ? 'full' : 'quick';
  const started = Date.now();
  const experiments = readdirSync(join(ROOT, 'data', 'experiments')).filter((f) => f.endsWith('.json')).sort();
  console.log(`fedpg-lab reproduce (${budget} budget): ${experiments.length} experiments, ${listNotebooks().length} notebooks`);
  // The notebooks' static figures are drawn in one Chromium that loads plotly.js once, started now so that
  // it is ready when they run (each kernel attaches to it instead of launching its own).
  const renderer = startSharedRenderer().catch((e: Error) => e);
  // Interrupted (Ctrl-C, or a SIGTERM to this process alone): close the shared Chromium, which would
  // otherwise outlive the job; the sweeps resume from their checkpoints and the notebook driver finishes on
  // its own when its input closes.
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    process.once(signal, () => {
      void renderer.then((r) => (r instanceof Error ? undefined : r.close())).finally(() => process.exit(code));
    });
  }
  try {
    return await runAll(budget, experiments, started, renderer);
  } finally {
    const r = await renderer;
    if (!(r instanceof Error)) await r.close();
  }
}

async function runAll(budget: string, experiments: string[], started: number, renderer: Promise<SharedRenderer | Error>): Promise<number> {
  const specs = experiments.map((file) => readExperiment(join(ROOT, 'data', 'experiments', file)));
  const notebooks = listNotebooks();
  const needs = notebooks.map(notebookExperiments);
  const order = sweepOrder(specs.map((s) => s.name), needs).map((name) => specs.find((s) => s.name === name) as ExperimentSpec);
  // One driver process executes, signs and renders all the notebooks (Python and nbconvert start once).
  const driver = new NotebookDriver();
  const runner = new NotebookRunner(notebooks, needs, new Set(order.map((s) => s.name)), join(ROOT, 'build', 'notebooks'), budget, renderer, slotsPerCore(), driver);
  const sweepsStarted = Date.now();
  let sweepFailed = false;
  for (const [i, spec] of order.entries()) {
    runner.note(`[experiment ${i + 1}/${order.length}] ${spec.name}`);
    const result = await sweep(spec, { budget, out: join(ROOT, 'data', 'results', spec.name, budget), baseDir: join(ROOT, 'data', 'experiments'), onProgress: terminalProgress() });
    if (result.failures.length > 0) {
      for (const f of result.failures) console.error(`  job ${f.id} failed: ${f.message}`);
      sweepFailed = true;
      break;
    }
    if (result.skipped === result.jobs) runner.note(`  ${loadedMessage(spec.name, result.jobs, result.dir)}`);
    runner.swept(spec.name);
  }
  runner.note(`experiments: ${sweepFailed ? 'stopped after a failed sweep' : `${order.length} at the ${budget} budget in ${((Date.now() - sweepsStarted) / 1000).toFixed(1)} s`}`);
  // The report reads only the results: it is written while the last notebooks run.
  const report = sweepFailed ? null : writeReport(budget);
  const failed = await runner.finish(sweepFailed).finally(() => driver.close());
  if (sweepFailed) return 1;
  if (failed > 0) {
    console.error(`${failed} notebook(s) failed`);
    return 1;
  }
  console.log(`notebooks: ${notebooks.length} (${runner.duringSweeps} of them beside the sweeps) done ${((Date.now() - sweepsStarted) / 1000).toFixed(1)} s after the first sweep started`);
  const check = join(ROOT, 'figures', budget, 'layout-check.json');
  if (existsSync(check)) {
    const c = JSON.parse(readFileSync(check, 'utf8')) as { figures: number; presets: string[]; problems: { figure: string; preset: string; detail: string }[] };
    console.log(`figures: ${c.figures} × ${c.presets.join(' + ')} in figures/${budget}/; layout check: ${c.problems.length === 0 ? 'no legend on data, no title on ticks, all text ≥ 8 pt' : `${c.problems.length} problem(s)`}`);
    for (const p of c.problems) console.error(`  ${p.figure} (${p.preset}): ${p.detail}`);
  }
  const written = await (report as Promise<{ status: number | null; stdout: string; stderr: string }>);
  if (written.status !== 0) {
    console.error(written.stderr);
    return 1;
  }
  const unresolved = /(\d+) of (\d+) claims resolved/.exec(written.stdout);
  if (unresolved) console.log(`claims: ${unresolved[0]} (build/report-${budget}.md, section "Claims at this budget")`);
  console.log(`done in ${((Date.now() - started) / 60000).toFixed(1)} min (${((Date.now() - started) / 1000).toFixed(0)} s): results in data/results/*/${budget}/, executed notebooks (and HTML) in build/notebooks/, figures in figures/${budget}/, numbers in build/report-${budget}.md`);
  return 0;
}

/** Write build/report-<budget>.md (scripts/report.ts, in its own process); resolves with its exit status and output. */
function writeReport(budget: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'report.ts'), '--budget', budget], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    child.on('error', (e) => done({ status: null, stdout, stderr: `${stderr}${String(e)}` }));
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

/** Notebooks at a time once the sweeps are over: one per core (FEDPG_NOTEBOOK_SLOTS overrides it; 1 runs them in order). */
function slotsPerCore(): number {
  const env = process.env.FEDPG_NOTEBOOK_SLOTS;
  if (env !== undefined) {
    const n = Number(env);
    if (!Number.isInteger(n) || n < 1) throw new Error(`FEDPG_NOTEBOOK_SLOTS must be an integer ≥ 1, got ${JSON.stringify(env)}`);
    return n;
  }
  return Math.max(1, cpus().length);
}

/**
 * Executes the notebooks as their experiments become available (scripts/schedule.ts), each with its own
 * kernel and ports, drawing its figures in the shared renderer when there is one. Lines are printed in the
 * notebooks' order as they finish.
 */
class NotebookRunner {
  private readonly state: NotebookState[];
  private readonly lines: (string | undefined)[];
  private readonly done = new Set<string>();
  private readonly portsInUse = new Set<number>();
  private sweeping = true;
  private stopped = false;
  private running = 0;
  private printed = 0;
  private failed = 0;
  private finished: (() => void) | null = null;
  private env: Promise<NodeJS.ProcessEnv>;
  /** Notebooks started while a sweep was running. */
  duringSweeps = 0;

  constructor(private readonly notebooks: string[], private readonly needs: string[][], private readonly swept_: ReadonlySet<string>, private readonly outDir: string, budget: string, renderer: Promise<SharedRenderer | Error>, private readonly slots: number, private readonly driver: NotebookDriver) {
    this.state = notebooks.map(() => 'waiting');
    this.lines = notebooks.map(() => undefined);
    this.env = renderer.then((shared) => {
      if (shared instanceof Error) this.note(`(no shared renderer, each notebook launches its own Chromium: ${shared.message.split('\n')[0]})`);
      return { FEDPG_BUDGET: budget, ...(shared instanceof Error ? {} : { [RENDERER_ENV]: shared.endpoint }) };
    });
    this.next();
  }

  /** Print a line of the job's log (on a terminal, first clearing a progress bar drawn on the current line). */
  note(line: string): void {
    console.log(`${process.stdout.isTTY ? '\r\x1b[K' : ''}${line}`);
  }

  /** An experiment has been swept: the notebooks that waited only for it may start. */
  swept(name: string): void {
    this.done.add(name);
    this.next();
  }

  /** The sweeps are over (or stopped after a failure: start nothing more); resolves with the number of failed notebooks. */
  async finish(stop: boolean): Promise<number> {
    this.sweeping = false;
    this.stopped = stop;
    await new Promise<void>((resolve) => {
      this.finished = resolve;
      this.next();
    });
    return this.failed;
  }

  private next(): void {
    while (!this.stopped && this.running < notebookSlots(this.sweeping, this.slots)) {
      const i = nextNotebook(this.state, this.needs, this.done, (e) => this.swept_.has(e));
      if (i < 0) break;
      this.state[i] = 'running';
      this.running++;
      if (this.sweeping) this.duringSweeps++;
      void this.run(i).then(() => {
        this.running--;
        this.next();
      });
    }
    if (this.finished && this.running === 0 && (this.stopped || this.state.every((s) => s === 'done'))) this.finished();
  }

  private async run(i: number): Promise<void> {
    const nb = this.notebooks[i];
    const label = `[notebook ${i + 1}/${this.notebooks.length}] ${nb.split('/').pop()} … `;
    const ports = await freeKernelPorts(this.portsInUse);
    for (const p of ports) this.portsInUse.add(p);
    const run: NotebookRun = await executeNotebookAsync(nb, this.outDir, { env: await this.env, ports, html: this.outDir, driver: this.driver });
    for (const p of ports) this.portsInUse.delete(p);
    if (!run.ok) this.failed++;
    this.lines[i] = `${label}${runSummary(run)}`;
    this.state[i] = 'done';
    while (this.printed < this.notebooks.length && this.lines[this.printed] !== undefined) this.note(this.lines[this.printed++] as string);
  }
}

main().then((code) => process.exit(code), (e) => {
  console.error(`reproduce: ${(e as Error).message}`);
  process.exit(1);
});
