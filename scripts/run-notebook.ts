/**
 * `npm run notebook -- <notebook.ipynb> [<notebook.ipynb> …] [--out DIR] [--budget ci|quick|full] [--no-html]`:
 * execute any notebook (a shipped one, or your own in workspace/) headless exactly as the main job does
 * (scripts/notebooks.ts and scripts/notebook_driver.py: the tslab kernel in the notebook's folder, figures
 * drawn as PNGs in one shared Chromium, every figure's layout checked, code cells numbered, the copy signed
 * as trusted in the project's Jupyter, an HTML copy when no cell failed). The executed copy goes under
 * build/, mirroring the notebook's folder (notebooks/x.ipynb → build/notebooks/x.ipynb, as the main job
 * writes it; workspace/y.ipynb → build/workspace/y.ipynb), or to --out. Failing cells are listed with their
 * messages (TypeScript's diagnostics with the line they point at); the exit status is 1 when a notebook
 * failed.
 */
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { RENDERER_ENV, startSharedRenderer } from '../dist/notebook';
import { executeNotebookAsync, freeKernelPorts, NotebookDriver, ROOT, runSummary } from './notebooks';

export const USAGE = `usage: npm run notebook -- <notebook.ipynb> [<notebook.ipynb> ...] [--out DIR] [--budget ci|quick|full] [--no-html]

Executes each notebook headless as \`npm run reproduce\` does: the TypeScript kernel in the notebook's folder,
figures as PNGs (each checked for its layout), code cells numbered, the copy trusted in the project's Jupyter,
and an HTML copy when no cell failed.

  --out DIR        where the executed copies go (default: build/<the notebook's folder>, e.g. build/workspace/)
  --budget NAME    FEDPG_BUDGET for the notebook: ci, quick (default, as the main job) or full
  --no-html        no HTML copy
  --help           this text

example:
  npm run notebook -- workspace/my-comparison.ipynb
  → build/workspace/my-comparison.ipynb and build/workspace/my-comparison.html`;

/**
 * The folder an executed copy goes to by default: the project's build/ plus the notebook's folder within
 * the project (notebooks/ → build/notebooks/, workspace/ → build/workspace/); a notebook outside the
 * project gets a build/ folder next to it.
 */
export function defaultOutDir(notebook: string, root = ROOT): string {
  const dir = dirname(resolve(notebook));
  const rel = relative(root, dir);
  return rel.startsWith('..') || resolve(rel) === rel ? join(dir, 'build') : join(root, 'build', rel);
}

/** The command line: notebooks, and the options. Throws with a message naming the flag or file. */
export function parseNotebookArgs(argv: readonly string[]): { notebooks: string[]; out?: string; budget: string; html: boolean; help: boolean } {
  const notebooks: string[] = [];
  let out: string | undefined;
  let budget = 'quick';
  let html = true;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined || v.startsWith('--') || v === '') throw new Error(`${a.split('=')[0]} needs a value`);
      return v;
    };
    if (a === '--help' || a === '-h') help = true;
    else if (a === '--no-html') html = false;
    else if (a === '--out' || a.startsWith('--out=')) out = value();
    else if (a === '--budget' || a.startsWith('--budget=')) {
      budget = value();
      if (!['ci', 'quick', 'full'].includes(budget)) throw new Error(`--budget must be ci, quick or full, got ${JSON.stringify(budget)}`);
    } else if (a.startsWith('--')) throw new Error(`unknown option ${a} (options: --out, --budget, --no-html, --help)`);
    else notebooks.push(a);
  }
  // npm runs scripts in the project folder; the paths are the user's, relative to where they typed the command.
  const base = process.env.INIT_CWD ?? process.cwd();
  notebooks.splice(0, notebooks.length, ...notebooks.map((nb) => resolve(base, nb)));
  for (const nb of notebooks) {
    if (!nb.endsWith('.ipynb')) throw new Error(`${nb} is not a notebook (.ipynb)`);
    if (!existsSync(nb)) throw new Error(`${nb}: no such file`);
  }
  if (!help && notebooks.length === 0) throw new Error('give one or more notebooks');
  return { notebooks, out, budget, html, help };
}

async function main(argv: readonly string[]): Promise<number> {
  let args: ReturnType<typeof parseNotebookArgs>;
  try {
    args = parseNotebookArgs(argv);
  } catch (e) {
    console.error(`npm run notebook: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const renderer = await startSharedRenderer().catch((e: Error) => e);
  if (renderer instanceof Error) console.log(`(no shared renderer, the kernel launches its own Chromium: ${renderer.message.split('\n')[0]})`);
  const env = { FEDPG_BUDGET: args.budget, ...(renderer instanceof Error ? {} : { [RENDERER_ENV]: renderer.endpoint }) };
  const driver = new NotebookDriver();
  const close = async () => {
    await driver.close();
    if (!(renderer instanceof Error)) await renderer.close();
  };
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) process.once(signal, () => void close().finally(() => process.exit(code)));
  let failed = 0;
  try {
    // One after another in one driver: a notebook may sweep an experiment another one loads.
    for (const nb of args.notebooks) {
      const outDir = resolve(args.out ?? defaultOutDir(nb));
      console.log(`${relative(process.cwd(), nb)} (budget ${args.budget}) …`);
      const run = await executeNotebookAsync(nb, outDir, { env, ports: await freeKernelPorts(new Set()), ...(args.html ? { html: outDir } : {}), driver });
      if (!run.ok) failed++;
      console.log(`  ${runSummary(run).split('\n').join('\n  ')}`);
      console.log(`  executed copy: ${relative(process.cwd(), run.outputPath)}${run.html ? `\n  HTML copy: ${relative(process.cwd(), run.html)}` : ''}`);
    }
  } finally {
    await close();
  }
  if (failed > 0) console.error(`${failed} of ${args.notebooks.length} notebook${args.notebooks.length === 1 ? '' : 's'} failed`);
  return failed > 0 ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      console.error(`npm run notebook: ${(e as Error).message}`);
      process.exit(1);
    },
  );
}
