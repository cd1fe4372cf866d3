/**
 * Headless execution of the project's shipped notebooks with the tslab kernel, shared by `npm run reproduce`,
 * `npm start` and the notebook tests: scripts/notebook_driver.py executes, signs and renders them with
 * Jupyter's own nbclient, nbformat and nbconvert, in one Python process. Everything Jupyter keeps (the kernel spec, the
 * served copy of plotly.js, the trust database and its secret, runtime files) lives in the project-local
 * .jupyter/, never in the user's global Jupyter folders.
 */
import { type ChildProcessWithoutNullStreams, execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..');
export const JUPYTER_DATA = join(ROOT, '.jupyter', 'share', 'jupyter');
export const JUPYTER_RUNTIME = join(ROOT, '.jupyter', 'runtime');
const TSLAB = join(ROOT, 'node_modules', '.bin', 'tslab');

/** The Python that runs Jupyter (the interpreter in the `jupyter` script's #! line), or an error saying how to install it. */
export function jupyterPython(): string {
  const which = spawnSync('sh', ['-c', 'command -v jupyter'], { encoding: 'utf8' });
  const jupyter = which.stdout.trim();
  if (which.status !== 0 || !jupyter) {
    throw new Error('Jupyter is not installed: run `bash scripts/setup.sh` (as root it installs Debian\'s jupyter-notebook jupyter-nbconvert jupyter-client)');
  }
  const shebang = readFileSync(jupyter, 'utf8').split('\n')[0];
  return shebang.startsWith('#!') ? shebang.slice(2).trim().split(/\s+/).pop() ?? 'python3' : 'python3';
}

/** Register the tslab kernel in .jupyter/ (idempotent); returns the JUPYTER_PATH to use. */
export function ensureKernel(): string {
  const spec = join(JUPYTER_DATA, 'kernels', 'tslab', 'kernel.json');
  const wanted = JSON.stringify([TSLAB, 'kernel']);
  if (!(existsSync(spec) && JSON.stringify(JSON.parse(readFileSync(spec, 'utf8')).argv.slice(0, 2)) === wanted)) {
    execFileSync(jupyterPython(), [join(ROOT, 'node_modules', 'tslab', 'python', 'install.py'), `--tslab=${TSLAB}`, `--prefix=${join(ROOT, '.jupyter')}`], { stdio: 'pipe' });
  }
  installServedPlotly();
  return JUPYTER_DATA;
}

/**
 * Copy dist/plotly.min.js to where classic Notebook serves static files of its data dir
 * (<base>/nbextensions/fedpg-lab/plotly.min.js), so `show` loads it once per page instead of inlining it
 * into every notebook. A copy, not a link: the static handler refuses paths that resolve outside its folder.
 */
export function installServedPlotly(): void {
  const src = join(ROOT, 'dist', 'plotly.min.js');
  if (!existsSync(src)) return;
  const dir = join(JUPYTER_DATA, 'nbextensions', 'fedpg-lab');
  const dest = join(dir, 'plotly.min.js');
  if (existsSync(dest) && statSync(dest).size === statSync(src).size && statSync(dest).mtimeMs >= statSync(src).mtimeMs) return;
  mkdirSync(dir, { recursive: true });
  copyFileSync(src, dest);
}

/** The environment every Jupyter command of the project runs with: the project-local data and runtime dirs. */
export function jupyterEnv(): NodeJS.ProcessEnv {
  const data = ensureKernel();
  return { JUPYTER_PATH: data, JUPYTER_DATA_DIR: data, JUPYTER_RUNTIME_DIR: JUPYTER_RUNTIME };
}

/** A cell output as nbformat stores it. */
interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  ename?: string;
  evalue?: string;
  data?: Record<string, unknown>;
}

/** A notebook as nbformat stores it (the parts read here). */
export interface NotebookJSON {
  cells: { cell_type: string; source: string | string[]; outputs?: Output[]; execution_count?: number | null; metadata?: Record<string, unknown> }[];
  metadata: Record<string, unknown>;
}

/** What one executed notebook produced. */
export interface NotebookRun {
  notebook: string;
  outputPath: string;
  /** Whether it ran to its end with no error in any cell. */
  ok: boolean;
  /** When it failed: the driver's log for it (why it could not be run to its end, the kernel's own output). */
  log: string;
  /** Error outputs and stderr streams found in the executed cells. */
  errors: string[];
  /** The numbers the notebook recorded with `recordResult` (its side file). */
  results: Record<string, unknown>;
  /** The figures it displayed with `show`, in order, with what their layout check found (`layout`, problems). */
  figures: { title: string; mode: string; timing?: { shownAt: number; packageLoadedAt: number; shownAtMs?: number }; layout?: string[] }[];
  /** Its HTML copy, when `html` was asked for and the run is ok. */
  html?: string;
  seconds: number;
}

/** How to execute a notebook. */
export interface ExecuteOptions {
  /** Variables for the kernel, on top of the project's Jupyter environment and FEDPG_PLOT_MODE=png. */
  env?: NodeJS.ProcessEnv;
  /** The longest a cell may run (default 1800 s). */
  timeoutSeconds?: number;
  /** The kernel's five ports (KERNEL_PORT_NAMES order, see freeKernelPorts), for kernels started side by side. */
  ports?: readonly number[];
  /** A folder to render the HTML copy to (`<name>.html`, see notebookToHTML) when the run is ok. */
  html?: string;
  /** The driver to run it in (one serves several notebooks at once); by default a driver process of its own. */
  driver?: NotebookDriver;
}

const join2 = (t: string | string[] | undefined) => (Array.isArray(t) ? t.join('') : t ?? '');

/** The side file a notebook's `recordResult` writes to (FEDPG_RESULTS_FILE), next to the executed copy. */
export function resultsFileOf(outputPath: string): string {
  return outputPath.replace(/\.ipynb$/, '.results.json');
}

/** The Python program that executes, signs and renders notebooks (its protocol is in its docstring). */
const DRIVER = join(ROOT, 'scripts', 'notebook_driver.py');

/** A request to the driver: execute a notebook (`output` given) or render an executed copy to HTML. */
interface DriverRequest {
  notebook: string;
  output?: string;
  kernel?: string;
  timeout?: number;
  env?: NodeJS.ProcessEnv;
  ports?: readonly number[] | null;
  html?: string | null;
}

/** The driver's answer to one request. */
interface DriverReply {
  id: number;
  ok: boolean;
  errors?: string[];
  log: string;
  html: string | null;
}

/**
 * A long-lived notebook driver process (scripts/notebook_driver.py, run by Jupyter's Python): it serves any
 * number of requests at once, each notebook with its own kernel, so Python and nbconvert start once for all
 * of them. `close()` waits for the requests in flight and ends it.
 */
export class NotebookDriver {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting = new Map<number, (reply: DriverReply) => void>();
  private readonly exited: Promise<void>;
  private nextId = 1;
  private stderr = '';

  constructor() {
    this.child = spawn(jupyterPython(), [DRIVER], { cwd: ROOT, env: { ...process.env, ...jupyterEnv() } });
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      const reply = JSON.parse(line) as DriverReply;
      this.waiting.get(reply.id)?.(reply);
      this.waiting.delete(reply.id);
    });
    // Its stderr holds what libraries print; kept (the end of it) for when the driver itself fails.
    this.child.stderr.on('data', (b: Buffer) => (this.stderr = (this.stderr + b.toString('utf8')).slice(-65536)));
    this.exited = new Promise((done) => {
      const fail = (why: string) => {
        for (const [id, answer] of this.waiting) answer({ id, ok: false, errors: [], log: `the notebook driver ${why}:\n${this.stderr}`, html: null });
        this.waiting.clear();
        done();
      };
      this.child.on('error', (e) => fail(`could not run: ${String(e)}`));
      this.child.on('close', (code, signal) => fail(`exited (${signal ?? code})`));
    });
  }

  /** Send one request; resolves with the driver's reply (a failed one if the driver exits first). */
  request(body: DriverRequest): Promise<DriverReply> {
    const id = this.nextId++;
    return new Promise((answer) => {
      this.waiting.set(id, answer);
      this.child.stdin.write(`${JSON.stringify({ id, ...body })}\n`);
    });
  }

  /** End the driver once its requests are answered. */
  async close(): Promise<void> {
    this.child.stdin.end();
    await this.exited;
  }
}

/** One request to a driver process of its own, blocking; its stderr is the log if it does not answer. */
function requestSync(body: DriverRequest): DriverReply {
  const run = spawnSync(jupyterPython(), [DRIVER], { cwd: ROOT, env: { ...process.env, ...jupyterEnv() }, input: `${JSON.stringify({ id: 1, ...body })}\n`, encoding: 'utf8', maxBuffer: 1 << 28 });
  const line = run.stdout?.split('\n').find((l) => l.startsWith('{'));
  if (line) return JSON.parse(line) as DriverReply;
  return { id: 1, ok: false, errors: [], log: `the notebook driver exited (${run.signal ?? run.status}):\n${run.stderr ?? ''}${run.error ? String(run.error) : ''}`, html: null };
}

/** One request, to `driver` when given, else to a driver process of its own. */
async function requestAsync(body: DriverRequest, driver?: NotebookDriver): Promise<DriverReply> {
  if (driver) return driver.request(body);
  const own = new NotebookDriver();
  try {
    return await own.request(body);
  } finally {
    await own.close();
  }
}

/**
 * Execute one notebook headless into `outDir` with the tslab kernel; never throws for a failing notebook (see
 * `ok`). Figures are drawn as static PNGs (FEDPG_PLOT_MODE=png) so the executed copy shows them everywhere;
 * code cells are numbered in the order they ran; the copy is signed as trusted in the project's Jupyter.
 */
export function executeNotebook(path: string, outDir: string, options: Omit<ExecuteOptions, 'driver'> = {}): NotebookRun {
  const { request, resultsFile } = executeRequest(path, outDir, options);
  const start = Date.now();
  return finishRun(path, request, requestSync(request), resultsFile, start);
}

/**
 * executeNotebook without blocking: `npm run reproduce` runs as many notebooks at a time as there are cores
 * (each is its own kernel process), in one driver. Notebooks that load the same experiment must not run at
 * the same time (the results folder has one writer: see `sharedExperiments`).
 */
export async function executeNotebookAsync(path: string, outDir: string, options: ExecuteOptions = {}): Promise<NotebookRun> {
  const { request, resultsFile } = executeRequest(path, outDir, options);
  const start = Date.now();
  return finishRun(path, request, await requestAsync(request, options.driver), resultsFile, start);
}

/**
 * Five free TCP ports on 127.0.0.1 for a kernel, none of them in `taken` (the ports of kernels this process
 * has started and that are still running): each is bound to port 0 and closed, as jupyter_client does, but
 * chosen here, in one process, so that two kernels started side by side never share one.
 */
export async function freeKernelPorts(taken: ReadonlySet<number>): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < KERNEL_PORT_NAMES.length) {
    const port = await new Promise<number>((done, failed) => {
      const server = createServer();
      server.on('error', failed);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => done(typeof address === 'object' && address ? address.port : 0));
      });
    });
    if (port > 0 && !taken.has(port) && !ports.includes(port)) ports.push(port);
  }
  return ports;
}

/** The experiments a notebook loads with `experimentResults('<name>')`. */
export function notebookExperiments(path: string): string[] {
  const nb = JSON.parse(readFileSync(path, 'utf8')) as NotebookJSON;
  const names = new Set<string>();
  for (const cell of nb.cells) for (const m of join2(cell.source).matchAll(/experimentResults\(\s*'([^']+)'/g)) names.add(m[1]);
  return [...names];
}

/** The five ZeroMQ ports of a kernel, in this order (jupyter_client's connection-file keys). */
export const KERNEL_PORT_NAMES = ['shell_port', 'iopub_port', 'stdin_port', 'control_port', 'hb_port'] as const;

function executeRequest(path: string, outDir: string, options: ExecuteOptions): { request: DriverRequest; resultsFile: string } {
  mkdirSync(outDir, { recursive: true });
  const outputPath = resolve(outDir, path.split('/').pop() as string);
  // Absolute: the kernel runs in the notebook's folder, where a relative path would name another file.
  const resultsFile = resultsFileOf(outputPath);
  rmSync(resultsFile, { force: true });
  return {
    request: {
      notebook: resolve(path),
      output: resolve(outputPath),
      kernel: 'tslab',
      timeout: options.timeoutSeconds ?? 1800,
      // Static figures, each checked for its layout (recorded in the side file, never in the notebook).
      env: { FEDPG_PLOT_MODE: 'png', FEDPG_LAYOUT_CHECK: '1', ...options.env, FEDPG_RESULTS_FILE: resultsFile },
      // Kernels started side by side get their ports from the caller: left to jupyter_client, two launches at
      // once can pick the same free port (it binds port 0, closes it, and the kernel binds it later), and then
      // one kernel fails to start while the other receives messages signed for it ("invalid hmac").
      ports: options.ports ?? null,
      html: options.html ? resolve(options.html) : null,
    },
    resultsFile,
  };
}

/** The run as the driver reported it, with what the notebook recorded. */
function finishRun(path: string, request: DriverRequest, reply: DriverReply, resultsFile: string, start: number): NotebookRun {
  const errors = reply.errors ?? [];
  const record = existsSync(resultsFile) ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as { results: Record<string, unknown>; figures: NotebookRun['figures'] }) : { results: {}, figures: [] };
  const ok = reply.ok && errors.length === 0;
  return { notebook: path, outputPath: request.output as string, ok, log: ok ? '' : reply.log, errors, results: record.results, figures: record.figures, ...(reply.html ? { html: reply.html } : {}), seconds: (Date.now() - start) / 1000 };
}

/**
 * Sign a notebook as trusted in the project's Jupyter, with .jupyter/'s secret and signature database:
 * `jupyter trust`'s own app (nbformat.sign), run through Jupyter's Python because Debian ships the
 * `jupyter trust` command in a package (jupyter-nbformat) the setup does not otherwise need.
 */
export function trustNotebook(path: string): void {
  const run = spawnSync(jupyterPython(), ['-m', 'nbformat.sign', path], { encoding: 'utf8', env: { ...process.env, ...jupyterEnv() } });
  if (run.status !== 0) throw new Error(`jupyter trust ${path} failed:\n${run.stderr}`);
}

/** Whether the project's Jupyter trusts a notebook (nbformat's own signature check, with .jupyter/'s secret). */
export function isTrusted(path: string): boolean {
  const code = 'import sys, nbformat; from nbformat.sign import NotebookNotary; nb = nbformat.read(sys.argv[1], as_version=4); sys.exit(0 if NotebookNotary().check_signature(nb) else 3)';
  const run = spawnSync(jupyterPython(), ['-c', code, path], { encoding: 'utf8', env: { ...process.env, ...jupyterEnv() } });
  if (run.status !== 0 && run.status !== 3) throw new Error(`signature check failed:\n${run.stderr}`);
  return run.status === 0;
}

/** The shipped notebooks (notebooks/index.json), in order: the only ones reproduce and the tests execute. */
export function listNotebooks(): string[] {
  const index = JSON.parse(readFileSync(join(ROOT, 'notebooks', 'index.json'), 'utf8')) as { notebooks: string[] };
  return index.notebooks.map((f) => join(ROOT, 'notebooks', f));
}

/**
 * Render an executed notebook to HTML with nbconvert's HTMLExporter (its default template, scripts and
 * outputs kept), as `<outDir>/<name>.html`; returns its path. SVG outputs are drawn as `<img>`s: nbconvert 6
 * passes inline SVG through its HTML sanitiser, which strips every SVG element (see svg_as_img in
 * scripts/notebook_driver.py).
 */
export function notebookToHTML(executedPath: string, outDir: string): string {
  return htmlOf(executedPath, requestSync({ notebook: resolve(executedPath), html: resolve(outDir) }));
}

/** notebookToHTML without blocking, in `driver` when given. */
export async function notebookToHTMLAsync(executedPath: string, outDir: string, driver?: NotebookDriver): Promise<string> {
  return htmlOf(executedPath, await requestAsync({ notebook: resolve(executedPath), html: resolve(outDir) }, driver));
}

function htmlOf(executedPath: string, reply: DriverReply): string {
  if (!reply.ok || !reply.html) throw new Error(`rendering ${executedPath} to HTML failed:\n${reply.log}`);
  return reply.html;
}

/**
 * When the kernel began running the notebook's first code cell (epoch ms): its `iopub.status.busy` time,
 * which nbclient records in the executed copy's cell metadata. The kernel has then started and answered
 * (tslab builds its TypeScript program before it answers), so this is when a researcher could first run a cell.
 */
export function firstCellStartedMs(executedPath: string): number | undefined {
  const nb = JSON.parse(readFileSync(executedPath, 'utf8')) as { cells: { cell_type: string; metadata?: { execution?: Record<string, string> } }[] };
  const busy = nb.cells.find((c) => c.cell_type === 'code')?.metadata?.execution?.['iopub.status.busy'];
  const ms = busy === undefined ? NaN : Date.parse(busy);
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * The driver's errors ("cell 5 stderr: 3:41 - Property 'seed' is missing …", cell = index among all cells)
 * as a reader of the executed copy finds them: "In [3], line 3: Property 'seed' is missing …" followed by
 * that line of the cell's source (TypeScript's diagnostics give line:column within the cell).
 */
export function readableErrors(run: Pick<NotebookRun, 'errors' | 'outputPath'>): string[] {
  let cells: NotebookJSON['cells'] = [];
  try {
    cells = (JSON.parse(readFileSync(run.outputPath, 'utf8')) as NotebookJSON).cells;
  } catch {
    // no executed copy (the kernel did not start): the driver's own words
  }
  return run.errors.map((e) => {
    const m = /^cell (\d+)(?: stderr)?: ([\s\S]*)$/.exec(e);
    if (!m) return e;
    const cell = cells[Number(m[1])];
    const count = cell?.execution_count ?? null;
    const where = count === null ? `cell ${m[1]}` : `In [${count}]`;
    const lines = join2(cell?.source).split('\n');
    return m[2]
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => {
        const at = /^(\d+):(\d+) - (.*)$/.exec(l);
        if (!at) return `${where}: ${l}`;
        const source = lines[Number(at[1]) - 1];
        return `${where}, line ${at[1]}: ${at[3]}${source === undefined ? '' : `\n      ${source.trim()}`}`;
      })
      .join('\n');
  });
}

/**
 * One notebook's line in the main job's log: "ok (12.3 s; 7 figures; first figure 1.1 s after the kernel was
 * ready, 3.0 s after its process started; 0.35 MB, HTML 0.85 MB)", the figures whose layout check found a
 * problem, or "FAILED" with its errors and the end of the driver's log.
 */
export function runSummary(run: NotebookRun): string {
  const layout = run.figures.flatMap((f) => (f.layout ?? []).map((p) => `  layout of "${f.title}": ${p}`));
  if (!run.ok) return `FAILED\n${[...readableErrors(run), run.log.split('\n').slice(-15).join('\n')].filter((l) => l.trim() !== '').join('\n')}`;
  const mb = (p: string) => (statSync(p).size / 1e6).toFixed(2);
  const first = run.figures[0]?.timing;
  const ready = firstCellStartedMs(run.outputPath);
  const afterReady = first?.shownAtMs !== undefined && ready !== undefined ? `${((first.shownAtMs - ready) / 1000).toFixed(1)} s after the kernel was ready, ` : '';
  const firstText = first ? `; first figure ${afterReady}${first.shownAt.toFixed(1)} s after its process started` : '';
  const html = run.html ? `, HTML ${mb(run.html)} MB` : '';
  return [`ok (${run.seconds.toFixed(1)} s; ${run.figures.length} figures${firstText}; ${mb(run.outputPath)} MB${html})`, ...layout].join('\n');
}
