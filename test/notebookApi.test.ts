import assert from 'node:assert/strict';
import { mkdtempSync, copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { chromium } from 'playwright-core';
import { createRun, garnet, summarizeSeeds, type RunConfig } from '../src/index';
import { terminalProgress } from '../src/experiments';
import { toFrame, toRows, type Row } from '../src/analysis';
import { historyFigure, seriesFigure, settingsLabel } from '../src/plot';
import { agentTables, closeRenderer, compareAlgorithms, figureHTML, stateActionTable, tableHTML, enableFrameDisplay } from '../src/notebook';
import { ROOT } from '../scripts/notebooks';
import { displayRows, tableColumns } from '../src/notebook';
import { formatProgress } from '../src/experiments';

after(() => closeRenderer());

const problem = garnet({ states: 6, actions: 3, branching: 2, agents: 3, gamma: 0.9, heterogeneity: 1, seed: 11 });
const base = { localSteps: 4, stepSize: 0.5, oracle: { kind: 'exact' } as const, entropy: 0.1, seed: 1 };

test('settingsLabel(problem, config) is read from the objects: the generator seed, γ, H, η, K, M, τ and the run seed', () => {
  const sampled = settingsLabel(problem, { ...base, oracle: { kind: 'sampled', horizon: 30, batch: 20 } });
  assert.equal(sampled, `${problem.name} · γ=0.9 · H=4 · η=0.5 · K=30 · M=20 · τ=0.1 · run seed 1`);
  assert.match(problem.name, /seed11$/, 'the problem name carries the generator seed');
  const run = createRun(problem, { ...base, algorithm: 'fedavg-pg', stepSize: { kind: 'decaying', eta0: 1, t0: 10 } });
  assert.equal(settingsLabel(run.problem, run.config), `${problem.name} · γ=0.9 · H=4 · η decaying(eta0=1,t0=10) · exact gradients · τ=0.1 · run seed 1`);
  assert.equal(settingsLabel(problem), `${problem.name} · γ=0.9`);
  // Validated like createRun's config: a bad field is named.
  assert.throws(() => settingsLabel(problem, { ...base, localSteps: 0 }), /localSteps/);
  // The record form still labels grid points with the symbol table.
  assert.equal(settingsLabel({ agents: 4, stepSize: 0.5 }), 'N=4 · η=0.5');
});

test('seriesFigure takes a Danfo frame and its rows alike', () => {
  const rows: Row[] = [1, 2, 3, 4].map((t) => ({ t, y: 1 / t, s: t % 2 ? 'odd' : 'even' }));
  const fromRows = seriesFigure(rows, { x: 't', y: 'y', series: ['s'] });
  const fromFrame = seriesFigure(toFrame(rows), { x: 't', y: 'y', series: ['s'] });
  assert.deepEqual(fromFrame, fromRows);
  // Legend entries are display names of the key (plot/notation.ts): 's = odd', and algorithm ids print as their names.
  assert.deepEqual(fromRows.data.map((d) => d.name), ['s = odd', 's = even']);
  assert.equal(seriesFigure(rows.map((r) => ({ ...r, algorithm: 'fast-fedpg' })), { x: 't', y: 'y', series: ['algorithm'] }).data[0].name, 'Fast-FedPG');
});

test('historyFigure(run) plots the run\'s own history with its settings; several runs share the axes', () => {
  const fast = createRun(problem, { ...base, algorithm: 'fast-fedpg' });
  const avg = createRun(problem, { ...base, algorithm: 'fedavg-pg' });
  for (let t = 0; t < 5; t++) {
    fast.step();
    avg.step();
  }
  const one = historyFigure(fast);
  assert.equal(one.data.length, 1);
  assert.deepEqual(one.data[0].x, fast.history.map((h) => h.round));
  assert.deepEqual(one.data[0].y, fast.history.map((h) => h.gap));
  assert.match((one.layout.title as { text: string }).text, new RegExp(settingsLabel(fast.problem, fast.config).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  const two = historyFigure([fast, avg], { y: 'J' });
  assert.deepEqual(two.data.map((d) => d.name), ['Fast-FedPG', 'FedAvg-PG']);
  assert.deepEqual(two.data[1].y, avg.history.map((h) => h.J));
});

test('compareAlgorithms runs every config for every seed: its rows are createRun\'s numbers, its summary their seed mean', () => {
  const configs: RunConfig[] = [
    { ...base, algorithm: 'fast-fedpg', oracle: { kind: 'sampled', horizon: 10, batch: 2 } },
    { ...base, algorithm: 'fedavg-pg', oracle: { kind: 'sampled', horizon: 10, batch: 2 } },
  ];
  const cmp = compareAlgorithms(problem, configs, { rounds: 6, seeds: [3, 4], every: 2 });
  assert.equal(cmp.rows.length, 2 * 2 * 4, '2 configs × 2 seeds × rounds 0, 2, 4, 6');
  // An independent run with the same config and seed gives the same gaps.
  const again = createRun(problem, { ...configs[1], seed: 4 });
  for (let t = 0; t < 6; t++) again.step();
  const mine = cmp.rows.filter((r) => r.label === 'FedAvg-PG' && r.seed === 4 && r.round === 6)[0];
  assert.equal(mine.gap, again.history.at(-1)?.gap);
  assert.deepEqual(cmp.summary, summarizeSeeds(cmp.rows, { values: ['gap'], by: ['label', 'round'], log: true }));
  assert.deepEqual(cmp.final.map((r) => r.config), ['Fast-FedPG', 'FedAvg-PG']);
  assert.equal(cmp.figure.data.filter((d) => d.fill === 'toself').length, 2, 'a CI band per config');
  assert.deepEqual(toRows(cmp.frame), cmp.rows);
  // The legend names the configs (not "label = …"); the statistic is named once, by the statistic line, and
  // the final table's columns say the same: a geometric mean for the gap, an arithmetic one for J.
  assert.deepEqual(cmp.figure.data.filter((d) => d.showlegend !== false).map((d) => d.name), ['Fast-FedPG', 'FedAvg-PG']);
  assert.equal(cmp.figure.meta?.statistic, 'geometric mean over 2 seeds, 95% log-space t-interval');
  assert.doesNotMatch(String(cmp.figure.meta?.title), /mean|CI/);
  assert.deepEqual(Object.keys(cmp.final[0]), ['config', 'seeds', 'gap (geometric mean)', '95% CI low', '95% CI high']);
  const onJ = compareAlgorithms(problem, configs, { rounds: 2, seeds: 2, y: 'J' });
  assert.equal(onJ.figure.meta?.statistic, 'arithmetic mean over 2 seeds, 95% t-interval');
  assert.ok('J (mean)' in onJ.final[0]);
  assert.throws(() => compareAlgorithms(problem, configs, { rounds: 0 }), /rounds/);
});

test('agentTables: per-agent S × A tables with state and action labels, entry (s, a) = v[s·A + a]', () => {
  const run = createRun(problem, { ...base, algorithm: 'fast-fedpg', oracle: { kind: 'sampled', horizon: 10, batch: 2 }, detail: 'full' });
  const trace = run.step();
  const anchors = agentTables(trace, problem, 'anchors');
  assert.equal(anchors.length, 3);
  assert.equal(anchors[1].rows.length, problem.S);
  assert.deepEqual(Object.keys(anchors[1].rows[0]), ['state', 'a0', 'a1', 'a2']);
  assert.equal(anchors[1].rows[4].a2, trace.anchors?.[1][4 * 3 + 2]);
  const g = agentTables(trace, problem, { gradients: 3 });
  assert.equal(g[2].rows[5].a0, trace.gradients?.[2][3][5 * 3]);
  assert.throws(() => agentTables(trace, problem, { gradients: 4 }), /0 … 3/);
  assert.throws(() => stateActionTable([1, 2], problem), /length 2/);
  const summary = createRun(problem, { ...base, algorithm: 'fast-fedpg' }).step();
  assert.throws(() => agentTables(summary, problem, 'anchors'), /detail/);
});

test('tableHTML takes records such as trace.agents', () => {
  const trace = createRun(problem, { ...base, algorithm: 'fast-fedpg' }).step();
  const html = tableHTML(trace.agents);
  assert.equal((html.match(/<tr>/g) ?? []).length, 1 + 3);
  assert.match(html, /<th>anchorNorm<\/th>/);
});

test('a Danfo frame printed at the top level is shown as a table; its printed text is one line; derived frames and columns too', async () => {
  const { inspect } = await import('node:util');
  const danfo = await import('danfojs-node');
  const frame = toFrame([{ a: 1, b: 'x' }, { a: 2, b: 'y' }, { a: 3, b: 'z' }]);
  enableFrameDisplay(danfo.DataFrame, danfo.Series);
  assert.equal(inspect(frame), 'DataFrame 3 rows × 2 columns');
  assert.equal(inspect({ f: frame }), '{ f: DataFrame 3 rows × 2 columns }');
  // Frames Danfo derives are instances of danfojs-base's classes, not danfojs-node's: they are shown too.
  assert.notEqual(Object.getPrototypeOf(frame.head(1)), Object.getPrototypeOf(frame));
  assert.equal(inspect(frame.head(1)), 'DataFrame 1 rows × 2 columns');
  const queried = frame.query(frame['a'].gt(1));
  assert.equal(inspect(queried), 'DataFrame 2 rows × 2 columns');
  assert.equal(inspect(frame['a']), 'Series a, 3 values');
  // The rows a derived frame is shown as carry its row labels when they are not 0 … n−1.
  assert.deepEqual(displayRows(queried as never, 'DataFrame'), [{ index: 1, a: 2, b: 'y' }, { index: 2, a: 3, b: 'z' }]);
  assert.deepEqual(displayRows(frame['a'] as never, 'Series'), [{ a: 1 }, { a: 2 }, { a: 3 }]);
});

test("result frames: df['round'] is the round column (Danfo's round method is typed away), through head, query and sortValues", () => {
  const rows = [0, 1, 2, 3].map((round) => ({ round, gap: 1 / (round + 1) }));
  const df = toFrame(rows);
  assert.deepEqual(df['round'].values, [0, 1, 2, 3]);
  assert.equal(df['round'].max(), 3);
  assert.deepEqual(df.head(2)['round'].values, [0, 1]);
  assert.deepEqual(df.query(df['gap'].lt(0.4))['round'].values, [2, 3]);
  assert.deepEqual(df.sortValues('gap').round.values, [3, 2, 1, 0]);
  const run = createRun(problem, { ...base, algorithm: 'fast-fedpg' });
  const { history, agents } = run.runFor(3);
  assert.deepEqual(history['round'].values, [0, 1, 2, 3]);
  assert.deepEqual([...new Set(agents['round'].values as number[])], [0, 1, 2, 3]);
});

test("result frames type-check as researchers write them: df['round'].max() compiles on a ResultFrame and not on Danfo's own DataFrame type", () => {
  // tsc on a snippet: the same expressions compile for a ResultFrame and fail for a DataFrame (whose `round` is a method).
  const ts = require('typescript') as typeof import('typescript');
  const root = join(__dirname, '..');
  const file = join(root, 'build', `.frame-types-${process.pid}.ts`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, [
    "import { garnet } from '../src/index';",
    "import { compareAlgorithms } from '../src/notebook';",
    "import { toFrame } from '../src/analysis';",
    "import { type ResultFrame } from '../src/internals';",
    "import type { DataFrame } from 'danfojs-node';",
    '// Configs without a seed are what compareAlgorithms takes (its seeds replace theirs).',
    "compareAlgorithms(garnet({ states: 3, actions: 2, branching: 2, agents: 2, gamma: 0.9, heterogeneity: 1, seed: 1 }), [{ algorithm: 'fast-fedpg', stepSize: 0.5 }], { rounds: 1 });",
    'const df: ResultFrame = toFrame([{ round: 0, gap: 1 }]);',
    "export const a: number = df['round'].max();",
    "export const b = df.head(1)['round'].values;",
    "export const c = df.query(df['gap'].gt(0.5)).round.min();",
    'const plain = df as DataFrame;',
    "export const d = plain['round'].max();",
  ].join('\n'));
  try {
    const program = ts.createProgram([file], { strict: true, noEmit: true, skipLibCheck: true, esModuleInterop: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, types: ['node'] });
    const errors = ts.getPreEmitDiagnostics(program).filter((e) => e.file?.fileName === file).map((e) => `${e.file!.getLineAndCharacterOfPosition(e.start!).line + 1}: ${ts.flattenDiagnosticMessageText(e.messageText, ' ')}`);
    assert.equal(errors.length, 1, errors.join('\n'));
    assert.match(errors[0], /^13: Property 'max' does not exist on type '\(dp: number/);
  } finally {
    rmSync(file, { force: true });
  }
});

test('tables leave out the columns with no value in any row and say so under the table', () => {
  const trace = createRun(problem, { ...base, algorithm: 'fast-fedpg' }).step();
  // FastFedPG has no per-agent gap (only personalised methods do): NaN in every row.
  assert.ok(trace.agents.every((a) => Number.isNaN(a.gap)));
  const html = tableHTML(trace.agents);
  assert.doesNotMatch(html, /<th>gap<\/th>/);
  assert.match(html, /<p>gap: no value in any row \(NaN\), not shown\.<\/p>/);
  assert.match(tableHTML(trace.agents, { keepEmpty: true }), /<th>gap<\/th>/);
  assert.deepEqual(tableColumns([{ a: 1, b: NaN, c: null as never }, { a: NaN, b: NaN, c: 2 }]), { columns: ['a', 'c'], dropped: ['b'] });
});

test('progress: the percentage is labelled as work, next to the job count; a sweep with nothing to run prints no bar', () => {
  const line = formatProgress({ done: 118, failed: 0, total: 240, fraction: 0.8, elapsedMs: 62_000, etaMs: 15_000 });
  assert.match(line, / 80% of the work · 118\/240 jobs · elapsed 1m02s · ETA 15s$/);
  let written = '';
  const stream = { isTTY: false, write: (s: string) => ((written += s), true) } as unknown as NodeJS.WriteStream;
  const loaded = terminalProgress(stream);
  loaded({ done: 240, failed: 0, total: 240, fraction: 1, elapsedMs: 0, etaMs: NaN });
  assert.equal(written, '');
  const running = terminalProgress(stream);
  running({ done: 0, failed: 0, total: 2, fraction: 0, elapsedMs: 0, etaMs: NaN });
  running({ done: 2, failed: 0, total: 2, fraction: 1, elapsedMs: 1000, etaMs: 0 });
  assert.equal(written.trim().split('\n').length, 2);
});

test('a figure in the served mode loads plotly.js once from <base>/nbextensions/fedpg-lab/ and draws; without the file it says why', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fedpg-served-'));
  mkdirSync(join(dir, 'nbextensions', 'fedpg-lab'), { recursive: true });
  copyFileSync(join(ROOT, 'dist', 'plotly.min.js'), join(dir, 'nbextensions', 'fedpg-lab', 'plotly.min.js'));
  const fig = seriesFigure([1, 2, 3].map((t) => ({ t, y: t * t })), { x: 't', y: 'y' });
  const figures = [figureHTML(fig, 'one', { served: true }), figureHTML(fig, 'two', { served: true })];
  assert.ok(figures.every((h) => h.length < 10_000), 'each output holds the figure, not the 4.9 MB bundle');
  writeFileSync(join(dir, 'page.html'), `<!doctype html><html><head><meta charset="utf-8"></head><body data-base-url="file://${dir}/">${figures.join('\n')}</body></html>`);
  writeFileSync(join(dir, 'missing.html'), `<!doctype html><html><head></head><body data-base-url="file://${dir}/nowhere/">${figures[0]}</body></html>`);
  const browser = await chromium.launch({ executablePath: process.env.FEDPG_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--allow-file-access-from-files'] });
  try {
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`file://${join(dir, 'page.html')}`);
    await page.waitForFunction("document.querySelectorAll('.fedpg-plot .main-svg').length >= 2", undefined, { timeout: 30_000 });
    assert.equal(requests.filter((u) => u.endsWith('/nbextensions/fedpg-lab/plotly.min.js')).length, 1, 'plotly.js requested once');
    await page.goto(`file://${join(dir, 'missing.html')}`);
    await page.waitForFunction("/could not be loaded/.test(document.body.textContent || '')", undefined, { timeout: 30_000 });
  } finally {
    await browser.close();
  }
});
