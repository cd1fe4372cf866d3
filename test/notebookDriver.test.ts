import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, test } from 'node:test';
import { executeNotebookAsync, freeKernelPorts, isTrusted, NotebookDriver, type NotebookJSON, notebookToHTML, ROOT } from '../scripts/notebooks';

// The notebook driver (scripts/notebook_driver.py) on two small notebooks of its own, run side by side in one
// driver: one with cells that report errors (tslab writes a type error, like a thrown one, to the cell's
// stderr) among cells that work (an SVG output, an empty cell, a harmless stderr line), and one whose cell
// outlives its timeout. They sit in a folder under build/ so that the kernel resolves `tslab` from the
// project's node_modules.
mkdirSync(join(ROOT, 'build'), { recursive: true }); // a fresh clone has no build/ yet
const dir = mkdtempSync(join(ROOT, 'build', '.driver-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));
// `npm run notebook`'s default output folder for the notebooks of `dir` (build/ mirrors their folder).
after(() => rmSync(join(ROOT, 'build', relative(ROOT, dir)), { recursive: true, force: true }));

const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="30" height="20"><rect width="30" height="20" fill="#0072b2"/></svg>';
const cells = [
  "import * as tslab from 'tslab';\nconst n: number = 6 * 7;\nn",
  `tslab.display.svg(${JSON.stringify(svg)});`,
  '',
  "console.error('a note on stderr');",
  "console.error('Error: printed by the cell');",
  "const s: number = 'text';",
  'n + 1',
];
const notebook = (sources: string[]) => ({
  cells: sources.map((source) => ({ cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source })),
  metadata: { kernelspec: { display_name: 'TypeScript', language: 'typescript', name: 'tslab' } },
  nbformat: 4,
  nbformat_minor: 5,
});
const text = (t: unknown) => (Array.isArray(t) ? t.join('') : String(t ?? ''));

test('one driver runs two notebooks side by side: cell errors listed, every code cell numbered, the copy signed; a timeout reported with its cell', async () => {
  mkdirSync(join(dir, 'out'));
  writeFileSync(join(dir, 'failing.ipynb'), JSON.stringify(notebook(cells)));
  writeFileSync(join(dir, 'slow.ipynb'), JSON.stringify(notebook(['await new Promise((r) => setTimeout(r, 60_000));'])));
  const driver = new NotebookDriver();
  const taken = new Set<number>();
  const portsA = await freeKernelPorts(taken);
  for (const p of portsA) taken.add(p);
  const portsB = await freeKernelPorts(taken);
  const [failing, slow] = await Promise.all([
    executeNotebookAsync(join(dir, 'failing.ipynb'), join(dir, 'out'), { ports: portsA, html: join(dir, 'out'), driver }),
    executeNotebookAsync(join(dir, 'slow.ipynb'), join(dir, 'out'), { ports: portsB, timeoutSeconds: 3, driver }),
  ]).finally(() => driver.close());

  // The errors, in cell order, each naming its cell; no HTML copy of a notebook with errors.
  assert.equal(failing.ok, false);
  assert.equal(failing.html, undefined);
  assert.deepEqual(failing.errors, ['cell 4 stderr: Error: printed by the cell', "cell 5 stderr: 1:7 - Type 'string' is not assignable to type 'number'."]);
  // Code cells are numbered 1, 2, … in order, the empty one too; the outputs are the cells' own.
  const nb = JSON.parse(readFileSync(failing.outputPath, 'utf8')) as NotebookJSON;
  assert.deepEqual(nb.cells.map((c) => c.execution_count), [1, 2, 3, 4, 5, 6, 7]);
  assert.equal(text(nb.cells[0].outputs?.[0].text), '42\n');
  assert.equal(text(nb.cells[1].outputs?.[0].data?.['image/svg+xml']), svg);
  assert.equal(text(nb.cells[3].outputs?.[0].text), 'a note on stderr\n');
  assert.ok(isTrusted(failing.outputPath), 'the executed copy is signed in the project\'s Jupyter');

  // The timed-out notebook fails with nbclient's reason, naming the cell's source.
  assert.equal(slow.ok, false);
  assert.match(slow.log, /CellTimeoutError[\s\S]*timed out[\s\S]*setTimeout\(r, 60_000\)/);
});

test('the HTML copy draws an SVG output as an <img> of exactly that SVG, at its size', () => {
  const html = readFileSync(notebookToHTML(join(dir, 'out', 'failing.ipynb'), join(dir, 'html')), 'utf8');
  const imgs = [...html.matchAll(/<img class="fedpg-static" src="data:image\/svg\+xml;base64,([^"]+)"( width="(\d+)" height="(\d+)")?>/g)];
  assert.equal(imgs.length, 1);
  assert.equal(Buffer.from(imgs[0][1], 'base64').toString('utf8'), svg);
  assert.deepEqual([imgs[0][3], imgs[0][4]], ['30', '20']);
  assert.ok(!/<svg[^>]*width="30"/.test(html), 'no inline copy of the SVG left for the sanitiser to strip');
  // The cells' outputs are in the page as nbconvert renders them.
  assert.match(html, /1:7 - Type &#39;string&#39; is not assignable/);
});

test('a request the driver cannot serve is a failure with its reason, not a hang', () => {
  assert.throws(() => notebookToHTML(join(dir, 'missing.ipynb'), join(dir, 'html')), /rendering .*missing\.ipynb to HTML failed:[\s\S]*No such file/);
});

test('npm run notebook executes a notebook of the workspace as the main job does, and names a failing cell with its message', () => {
  // A researcher's notebook: a figure, a frame, and (in the second one) a type error in its second code cell.
  const ws = join(dir, 'ws');
  mkdirSync(ws);
  const good = ["import { seriesFigure } from 'fedpg-lab/plot';\nimport { show } from 'fedpg-lab/notebook';\nimport { toFrame } from 'fedpg-lab/analysis';", "await show(seriesFigure([{ t: 1, y: 1 }, { t: 2, y: 3 }, { t: 3, y: 2 }], { x: 't', y: 'y', title: 'A figure' }));", "toFrame([{ round: 0, gap: 1 }, { round: 1, gap: 0.5 }]).head(1)"];
  writeFileSync(join(ws, 'mine.ipynb'), JSON.stringify(notebook(good)));
  writeFileSync(join(ws, 'broken.ipynb'), JSON.stringify(notebook(['const a = 1;', "const b: number = 'text';\nconsole.log(b);"])));
  const cmd = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'run-notebook.ts'), ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, FEDPG_BUDGET: 'ci' }, timeout: 300_000 });
  const ok = cmd(join(ws, 'mine.ipynb'), '--budget', 'ci');
  assert.equal(ok.status, 0, `${ok.stdout}\n${ok.stderr}`);
  // The default output folder mirrors the notebook's under build/.
  const out = join(ROOT, 'build', relative(ROOT, ws));
  const executed = join(out, 'mine.ipynb');
  assert.match(ok.stdout, new RegExp(`ok \\([\\d.]+ s; 1 figures[^\\n]*\\n  executed copy: ${relative(ROOT, executed).replace(/[.]/g, '\\.')}\\n  HTML copy: `));
  const nb = JSON.parse(readFileSync(executed, 'utf8')) as NotebookJSON;
  assert.deepEqual(nb.cells.map((c) => c.execution_count), [1, 2, 3]);
  assert.ok(isTrusted(executed));
  assert.ok(nb.cells[1].outputs?.some((o) => o.data?.['image/png']), 'the figure drawn as a PNG');
  assert.match(text(nb.cells[2].outputs?.find((o) => o.data?.['text/html'])?.data?.['text/html']), /<table class="fedpg-table"><caption[^>]*>DataFrame 1 rows × 2 columns/);
  assert.ok(existsSync(join(out, 'mine.html')));
  const failed = cmd(join(ws, 'broken.ipynb'), '--out', join(dir, 'broken-out'), '--no-html');
  assert.equal(failed.status, 1);
  assert.match(failed.stdout, /FAILED\n {2}In \[2\], line 1: Type 'string' is not assignable to type 'number'\.\n {8}const b: number = 'text';/);
  assert.ok(existsSync(join(dir, 'broken-out', 'broken.ipynb')) && !existsSync(join(dir, 'broken-out', 'broken.html')));
  const help = cmd('--help');
  assert.equal(help.status, 0);
  assert.match(help.stdout, /^usage: npm run notebook -- <notebook\.ipynb>/);
});
