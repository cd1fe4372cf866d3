/**
 * Headless execution of the project's shipped notebooks with the tslab kernel (Jupyter nbconvert), shared
 * by `npm run reproduce`, `npm start` and the notebook tests. Everything Jupyter keeps (the kernel spec, the
 * served copy of plotly.js, the trust database and its secret, runtime files) lives in the project-local
 * .jupyter/, never in the user's global Jupyter folders.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
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
  ok: boolean;
  /** nbconvert's own log (stderr) when it failed. */
  log: string;
  /** Error outputs and stderr streams found in the executed cells. */
  errors: string[];
  /** The numbers the notebook recorded with `recordResult` (its side file). */
  results: Record<string, unknown>;
  /** The figures it displayed with `show`, in order. */
  figures: { title: string; mode: string; timing?: { shownAt: number; packageLoadedAt: number; shownAtMs?: number } }[];
  seconds: number;
}

const join2 = (t: string | string[] | undefined) => (Array.isArray(t) ? t.join('') : t ?? '');

/** The side file a notebook's `recordResult` writes to (FEDPG_RESULTS_FILE), next to the executed copy. */
export function resultsFileOf(outputPath: string): string {
  return outputPath.replace(/\.ipynb$/, '.results.json');
}

/**
 * Execute one notebook headless into `outDir`; never throws for a failing notebook (see `ok`). Figures are
 * drawn as static PNGs (FEDPG_PLOT_MODE=png) so the executed copy shows them everywhere; code cells are
 * numbered in the order they ran; the copy is then signed as trusted in the project's Jupyter.
 */
export function executeNotebook(path: string, outDir: string, env: NodeJS.ProcessEnv = {}, timeoutSeconds = 1800): NotebookRun {
  const call = nbconvertCall(path, outDir, env, timeoutSeconds);
  const start = Date.now();
  const run = spawnSync('jupyter', call.args, { encoding: 'utf8', env: call.env, cwd: ROOT });
  return finishRun(path, call, run.status, `${run.stderr ?? ''}${run.error ? String(run.error) : ''}`, start);
}

/**
 * executeNotebook without blocking: `npm run reproduce` runs as many notebooks at a time as there are cores
 * (each is its own kernel process). Notebooks that load the same experiment must not run at the same time
 * (the results folder has one writer: see `sharedExperiments`).
 */
export function executeNotebookAsync(path: string, outDir: string, env: NodeJS.ProcessEnv = {}, timeoutSeconds = 1800, ports?: readonly number[]): Promise<NotebookRun> {
  const call = nbconvertCall(path, outDir, env, timeoutSeconds, ports);
  const start = Date.now();
  return new Promise((done) => {
    const child = spawn('jupyter', call.args, { env: call.env, cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    child.on('error', (e) => done(finishRun(path, call, null, `${stderr}${String(e)}`, start)));
    child.on('close', (code) => done(finishRun(path, call, code, stderr, start)));
  });
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

interface NbconvertCall {
  args: string[];
  env: NodeJS.ProcessEnv;
  outputPath: string;
  resultsFile: string;
}

/** The five ZeroMQ ports of a kernel, in this order (jupyter_client's connection-file keys). */
export const KERNEL_PORT_NAMES = ['shell_port', 'iopub_port', 'stdin_port', 'control_port', 'hb_port'] as const;

function nbconvertCall(path: string, outDir: string, env: NodeJS.ProcessEnv, timeoutSeconds: number, ports?: readonly number[]): NbconvertCall {
  mkdirSync(outDir, { recursive: true });
  const name = path.split('/').pop() as string;
  const outputPath = join(outDir, name);
  const resultsFile = resultsFileOf(outputPath);
  rmSync(resultsFile, { force: true });
  return {
    // Kernels started side by side get their ports from the caller: left to jupyter_client, two launches at
    // once can pick the same free port (it binds port 0, closes it, and the kernel binds it later), and then
    // one kernel fails to start while the other receives messages signed for it ("invalid hmac").
    args: ['nbconvert', '--to', 'notebook', '--execute', '--allow-errors', path, '--output-dir', outDir, '--ExecutePreprocessor.kernel_name=tslab', `--ExecutePreprocessor.timeout=${timeoutSeconds}`, ...(ports ? KERNEL_PORT_NAMES.map((name, k) => `--KernelManager.${name}=${ports[k]}`) : [])],
    env: { ...process.env, ...jupyterEnv(), FEDPG_PLOT_MODE: 'png', ...env, FEDPG_RESULTS_FILE: resultsFile },
    outputPath,
    resultsFile,
  };
}

/** Check, number and sign the executed copy; read what the notebook recorded. */
function finishRun(path: string, call: NbconvertCall, status: number | null, stderr: string, start: number): NotebookRun {
  const { outputPath, resultsFile } = call;
  const errors: string[] = [];
  if (existsSync(outputPath) && status === 0) {
    const nb = JSON.parse(readFileSync(outputPath, 'utf8')) as NotebookJSON;
    nb.cells.forEach((cell, i) => {
      for (const out of cell.outputs ?? []) {
        if (out.output_type === 'error') errors.push(`cell ${i}: ${out.ename}: ${out.evalue}`);
        if (out.output_type === 'stream' && out.name === 'stderr' && /error|^\d+:\d+ - /im.test(join2(out.text))) errors.push(`cell ${i} stderr: ${join2(out.text).trim()}`);
      }
    });
    numberCells(nb);
    writeFileSync(outputPath, `${JSON.stringify(nb, null, 1)}\n`);
    trustNotebook(outputPath);
  }
  const record = existsSync(resultsFile) ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as { results: Record<string, unknown>; figures: NotebookRun['figures'] }) : { results: {}, figures: [] };
  const ok = status === 0 && errors.length === 0;
  return { notebook: path, outputPath, ok, log: ok ? '' : stderr, errors, results: record.results, figures: record.figures, seconds: (Date.now() - start) / 1000 };
}

/**
 * Give the code cells of a notebook run top to bottom the counts 1, 2, … (tslab's replies carry no
 * execution count that nbconvert keeps, so the executed copy looked as if it had never run).
 */
export function numberCells(nb: NotebookJSON): void {
  let n = 0;
  for (const cell of nb.cells) {
    if (cell.cell_type !== 'code') continue;
    n++;
    if (cell.execution_count == null) cell.execution_count = n;
    for (const out of cell.outputs ?? []) if (out.output_type === 'execute_result') (out as { execution_count?: number }).execution_count ??= n;
  }
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
 * An SVG output as HTML that draws it: `<img src="data:image/svg+xml;base64,…">`. nbconvert 6 passes
 * inline SVG through its HTML sanitiser, which strips every SVG element (jupyter/nbconvert#1849); nbconvert
 * 7.7 writes SVG this way itself (jupyter/nbconvert#2018). An SVG in an <img> cannot run scripts.
 */
export function svgAsImg(svg: string): string {
  const size = /<svg[^>]*\swidth="(\d+(?:\.\d+)?)"[^>]*\sheight="(\d+(?:\.\d+)?)"/.exec(svg);
  return `<img class="fedpg-static" src="data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}"${size ? ` width="${size[1]}" height="${size[2]}"` : ''}>`;
}

/**
 * Convert an executed notebook to HTML with nbconvert (scripts and outputs kept); returns the HTML file's
 * path. SVG outputs are converted through a temporary copy in which they are `<img>`s (svgAsImg), so
 * every figure of the HTML copy is drawn.
 */
export function notebookToHTML(executedPath: string, outDir: string): string {
  const { tmp, args, name } = htmlCall(executedPath, outDir);
  try {
    const run = spawnSync('jupyter', args, { encoding: 'utf8', env: { ...process.env, ...jupyterEnv() } });
    if (run.status !== 0) throw new Error(`nbconvert --to html failed:\n${run.stderr}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return join(resolve(outDir), `${name}.html`);
}

/** notebookToHTML without blocking (for notebooks executed side by side). */
export async function notebookToHTMLAsync(executedPath: string, outDir: string): Promise<string> {
  const { tmp, args, name } = htmlCall(executedPath, outDir);
  try {
    await new Promise<void>((done, failed) => {
      const child = spawn('jupyter', args, { env: { ...process.env, ...jupyterEnv() }, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
      child.on('error', failed);
      child.on('close', (code) => (code === 0 ? done() : failed(new Error(`nbconvert --to html failed:\n${stderr}`))));
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return join(resolve(outDir), `${name}.html`);
}

/** The temporary copy (SVG outputs as <img>, see svgAsImg) and the nbconvert call that renders it to HTML. */
function htmlCall(executedPath: string, outDir: string): { tmp: string; args: string[]; name: string } {
  const nb = JSON.parse(readFileSync(executedPath, 'utf8')) as NotebookJSON;
  for (const cell of nb.cells) {
    for (const out of cell.outputs ?? []) {
      const svg = out.data?.['image/svg+xml'];
      if (svg === undefined) continue;
      out.data = { 'text/html': svgAsImg(join2(svg as string | string[])), ...(out.data?.['text/plain'] ? { 'text/plain': out.data['text/plain'] } : {}) };
    }
  }
  const tmp = mkdtempSync(join(tmpdir(), 'fedpg-html-'));
  const name = (executedPath.split('/').pop() as string).replace(/\.ipynb$/, '');
  const copy = join(tmp, `${name}.ipynb`);
  writeFileSync(copy, JSON.stringify(nb));
  return { tmp, args: ['nbconvert', '--to', 'html', copy, '--output-dir', resolve(outDir), '--output', name], name };
}
