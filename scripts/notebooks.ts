/**
 * Headless execution of the project's notebooks with the tslab kernel (Jupyter nbconvert), shared by
 * `npm run reproduce` and the notebook tests. Registers the kernel in a project-local Jupyter data dir
 * (never the user's global one) and reads back what each notebook printed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..');
export const JUPYTER_DATA = join(ROOT, '.jupyter', 'share', 'jupyter');
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
  if (existsSync(spec) && JSON.stringify(JSON.parse(readFileSync(spec, 'utf8')).argv.slice(0, 2)) === wanted) return JUPYTER_DATA;
  execFileSync(jupyterPython(), [join(ROOT, 'node_modules', 'tslab', 'python', 'install.py'), `--tslab=${TSLAB}`, `--prefix=${join(ROOT, '.jupyter')}`], { stdio: 'pipe' });
  return JUPYTER_DATA;
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

/** What one executed notebook produced. */
export interface NotebookRun {
  notebook: string;
  outputPath: string;
  ok: boolean;
  /** nbconvert's own log (stderr) when it failed. */
  log: string;
  /** Error outputs and stderr streams found in the executed cells. */
  errors: string[];
  /** Parsed `FEDPG_RESULT {...}` lines, merged in order. */
  results: Record<string, unknown>;
  seconds: number;
}

const join2 = (t: string | string[] | undefined) => (Array.isArray(t) ? t.join('') : t ?? '');

/** Execute one notebook headless into `outDir`; never throws for a failing notebook (see `ok`). */
export function executeNotebook(path: string, outDir: string, env: NodeJS.ProcessEnv = {}, timeoutSeconds = 1800): NotebookRun {
  mkdirSync(outDir, { recursive: true });
  const jupyterPath = ensureKernel();
  const start = Date.now();
  const run = spawnSync(
    'jupyter',
    // --allow-errors: the executed notebook is written even when a cell fails, so its error outputs (tslab
    // reports compile errors as stderr streams) can be read back and reported below.
    ['nbconvert', '--to', 'notebook', '--execute', '--allow-errors', path, '--output-dir', outDir, '--ExecutePreprocessor.kernel_name=tslab', `--ExecutePreprocessor.timeout=${timeoutSeconds}`],
    { encoding: 'utf8', env: { ...process.env, ...env, JUPYTER_PATH: jupyterPath }, cwd: ROOT },
  );
  const name = path.split('/').pop() as string;
  const outputPath = join(outDir, name);
  const errors: string[] = [];
  const results: Record<string, unknown> = {};
  if (existsSync(outputPath) && run.status === 0) {
    const nb = JSON.parse(readFileSync(outputPath, 'utf8')) as { cells: { cell_type: string; outputs?: Output[] }[] };
    nb.cells.forEach((cell, i) => {
      for (const out of cell.outputs ?? []) {
        if (out.output_type === 'error') errors.push(`cell ${i}: ${out.ename}: ${out.evalue}`);
        const text = join2(out.text);
        // tslab writes compile errors ("4:8 - Cannot find module …") and uncaught exceptions to stderr.
        if (out.output_type === 'stream' && out.name === 'stderr' && /error|^\d+:\d+ - /im.test(text)) errors.push(`cell ${i} stderr: ${text.trim()}`);
        for (const line of text.split('\n')) if (line.startsWith('FEDPG_RESULT ')) Object.assign(results, JSON.parse(line.slice(13)));
      }
    });
  }
  const ok = run.status === 0 && errors.length === 0;
  return { notebook: path, outputPath, ok, log: ok ? '' : `${run.stderr ?? ''}${run.error ? String(run.error) : ''}`, errors, results, seconds: (Date.now() - start) / 1000 };
}

/** The numbered notebooks of notebooks/, in order. */
export function listNotebooks(): string[] {
  return readdirSync(join(ROOT, 'notebooks'))
    .filter((f) => f.endsWith('.ipynb'))
    .sort()
    .map((f) => join(ROOT, 'notebooks', f));
}

/** Convert an executed notebook to HTML with nbconvert (scripts and outputs kept); returns the HTML file's path. */
export function notebookToHTML(executedPath: string, outDir: string): string {
  const run = spawnSync('jupyter', ['nbconvert', '--to', 'html', executedPath, '--output-dir', outDir], { encoding: 'utf8', env: { ...process.env, JUPYTER_PATH: ensureKernel() } });
  if (run.status !== 0) throw new Error(`nbconvert --to html failed:\n${run.stderr}`);
  return join(outDir, (executedPath.split('/').pop() as string).replace(/\.ipynb$/, '.html'));
}
