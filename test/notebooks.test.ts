import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { chromium } from 'playwright-core';
import { loadRows, rateReport } from '../src/index';
import { executeNotebook, listNotebooks, type NotebookRun, notebookToHTML } from '../scripts/notebooks';

// Every notebook runs headless with the tslab kernel at the small 'ci' budget, in order (06 reuses the sweep
// results that 02, 04 and 05 wrote). Results and figures go to a temporary folder, never into the checkout.
const tmp = mkdtempSync(join(tmpdir(), 'fedpg-nb-'));
const env = { FEDPG_BUDGET: 'ci', FEDPG_RESULTS: join(tmp, 'results'), FEDPG_FIGURES: join(tmp, 'figures') };
const outDir = join(tmp, 'executed');
const runs = new Map<string, NotebookRun>();

function run(name: string): NotebookRun {
  const path = listNotebooks().find((p) => p.endsWith(`/${name}.ipynb`));
  assert.ok(path, `notebooks/${name}.ipynb exists`);
  const r = executeNotebook(path, outDir, env);
  assert.ok(r.ok, `${name} failed:\n${r.errors.join('\n')}\n${r.log.split('\n').slice(-20).join('\n')}`);
  runs.set(name, r);
  return r;
}

test('committed notebooks carry no outputs or execution counts', () => {
  const names = listNotebooks().map((p) => p.split('/').pop());
  assert.deepEqual(names, ['00-package-smoke.ipynb', '01-step-through-rounds.ipynb', '02-averaged-mdp-identity.ipynb', '03-assumptions.ipynb', '04-heterogeneity-bias.ipynb', '05-rates-and-speedup.ipynb', '06-paper-figures.ipynb']);
  for (const path of listNotebooks()) {
    const nb = JSON.parse(readFileSync(path, 'utf8')) as { cells: { cell_type: string; outputs?: unknown[]; execution_count?: number | null }[] };
    nb.cells.forEach((cell, i) => {
      if (cell.cell_type !== 'code') return;
      assert.equal(cell.outputs?.length ?? 0, 0, `${path} cell ${i} has outputs`);
      assert.equal(cell.execution_count ?? null, null, `${path} cell ${i} has an execution count`);
    });
  }
});

test('00-package-smoke imports the package by name and checks the identity', () => {
  const r = run('00-package-smoke').results as { identityError: number; envSteps: number; gradFinite: boolean; Jstar: number; rounds: number; anchors: number; gapAfter: number };
  assert.ok(r.identityError <= 1e-12, `identity error ${r.identityError}`);
  assert.equal(r.envSteps, 20 * 100);
  assert.equal(r.gradFinite, true);
  assert.ok(Number.isFinite(r.Jstar) && r.Jstar > 0);
  assert.equal(r.rounds, 3);
  assert.equal(r.anchors, 4);
  assert.ok(r.gapAfter > 0 && r.gapAfter < r.Jstar);
  // show() in its three modes: the loader and the figure as HTML, the Plotly MIME bundle, an SVG image.
  const nb = JSON.parse(readFileSync(runs.get('00-package-smoke')?.outputPath as string, 'utf8')) as { cells: { outputs?: { data?: Record<string, unknown> }[] }[] };
  const data = nb.cells.at(-1)?.outputs?.map((o) => o.data ?? {}) ?? [];
  assert.deepEqual(data.map((d) => Object.keys(d)), [['text/html'], ['text/html'], ['application/vnd.plotly.v1+json'], ['image/svg+xml']]);
  assert.match(String(data[0]['text/html']), /window\.define = undefined/, 'plotly.js is loaded with require.js hidden');
  assert.equal(((data[2]['application/vnd.plotly.v1+json'] as { data: unknown[] }).data).length, 1);
  assert.match(String(data[3]['image/svg+xml']), /^<svg[^>]*class="main-svg"/);
});

test('01-step-through-rounds: corrections sum to zero, full traces, Fast-FedPG ends far below FedAvg-PG', () => {
  const r = run('01-step-through-rounds').results as { agents: number; anchors: number; gradientsPerAgent: number; correctionSum: number; driftFast: number[]; driftAvg: number[]; gapFast: number; gapAvg: number };
  assert.equal(r.anchors, r.agents);
  assert.equal(r.gradientsPerAgent, 10);
  assert.ok(r.correctionSum < 1e-12, `Σ_i (c̄ − c_i) = ${r.correctionSum}`);
  assert.ok([...r.driftFast, ...r.driftAvg].every((d) => d > 0 && Number.isFinite(d)));
  assert.ok(r.gapFast < r.gapAvg / 10, `gaps ${r.gapFast} vs ${r.gapAvg}`);
});

test('01 rendered to HTML draws its Plotly figures in headless Chromium (no network)', async () => {
  const html = notebookToHTML(runs.get('01-step-through-rounds')?.outputPath ?? run('01-step-through-rounds').outputPath, join(tmp, 'html'));
  const browser = await chromium.launch({ executablePath: process.env.FEDPG_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] });
  try {
    const page = await browser.newPage();
    await page.goto(`file://${html}`);
    await page.waitForSelector('.fedpg-plot .main-svg', { timeout: 30_000 });
    // Per figure div: [heatmap images, scatter traces] that Plotly drew into its SVG.
    const drawn = await page.locator('.fedpg-plot').evaluateAll((divs) => divs.map((d) => [d.querySelectorAll('svg.main-svg image').length, d.querySelectorAll('svg.main-svg .scatterlayer .trace').length]));
    assert.deepEqual(drawn, [[4, 0], [4, 0], [0, 8], [0, 2]], 'two heatmaps of 4 agents, drift lines of 4 agents × 2 algorithms, gap curves of 2 algorithms');
  } finally {
    await browser.close();
  }
});

test('02-averaged-mdp-identity: exact to round-off, and unbiased in expectation', () => {
  const r = run('02-averaged-mdp-identity').results as { problems: number; maxExactError: number; within: number; meanZ2: number; coordinates: number };
  assert.ok(r.problems >= 12);
  assert.ok(r.maxExactError <= 1e-12, `max error ${r.maxExactError}`);
  // 120 coordinates of z ≈ N(0,1) from R = 200 repetitions; rows of ĝ sum to zero so only ≈ S(A−1) = 90 are
  // free: mean z² has sd ≈ √(2/90) ≈ 0.15 and the share within ±1.96 an sd ≈ √(0.05·0.95/90) ≈ 0.023.
  assert.equal(r.coordinates, 120);
  assert.ok(Math.abs(r.meanZ2 - 1) < 0.45, `mean z² ${r.meanZ2}`);
  assert.ok(Math.abs(r.within - 0.95) < 0.07, `within ±1.96: ${r.within}`);
});

test('03-assumptions: smoothness below the bound, variance ∝ 1/M, bias rate log γ, PL ratio bounded only with τ > 0', () => {
  const r = run('03-assumptions').results as { smoothnessRatio: number; varianceSlopeCI: [number, number]; varianceSlope: number; truncationRate: number; logGamma: number; ratioTau1Max: number; ratioTau1First: number; ratioTau0First: number; ratioTau0Last: number };
  assert.ok(r.smoothnessRatio > 0 && r.smoothnessRatio <= 1);
  assert.ok(r.varianceSlopeCI[0] <= -1 && -1 <= r.varianceSlopeCI[1], `variance slope ${r.varianceSlope} CI ${r.varianceSlopeCI}`);
  assert.ok(Math.abs(r.truncationRate - r.logGamma) < 0.01, `rate ${r.truncationRate} vs ${r.logGamma}`);
  assert.ok(r.ratioTau1Max < 10 * r.ratioTau1First, 'τ = 1: the ratio stays within a decade of its start');
  assert.ok(r.ratioTau0Last > 3 * r.ratioTau0First, 'τ = 0: the ratio keeps growing');
});

test('04-heterogeneity-bias: FedAvg-PG plateaus far above Fast-FedPG; identical agents and H = 1 coincide', () => {
  const r = run('04-heterogeneity-bias').results as { fastPlateau: number; fedavgPlateau: number; identicalAgentsGapDiff: number; H1Diff: number };
  assert.ok(r.fedavgPlateau > 10 * r.fastPlateau, `plateaus ${r.fedavgPlateau} vs ${r.fastPlateau}`);
  assert.ok(r.identicalAgentsGapDiff < 1e-12);
  assert.ok(r.H1Diff < 1e-12);
});

test('05-rates-and-speedup: the numbers it shows are the analysis of its results', () => {
  const r = run('05-rates-and-speedup').results as { t1Slopes: { oracle: string; slope: number }[]; t1Speedups: { oracle: string; exponent: number }[]; t2Slopes: { oracle: string; batch: number | null; slope: number }[]; linear: { algorithm: string; H: number; contraction: number }[] };
  assert.equal(r.t1Slopes.length, 2 * 3);
  for (const s of r.t1Slopes) assert.ok(s.slope < -0.4, `Theorem 1 slope ${s.slope} (${s.oracle})`);
  for (const s of r.t1Speedups) assert.ok(s.exponent < 0, `more agents, smaller gap (${s.oracle}: ${s.exponent})`);
  assert.equal(r.t2Slopes.length, 3 * 3);
  for (const s of r.t2Slopes.filter((x) => x.oracle === 'exact')) assert.ok(s.slope < -0.3 && s.slope > -0.8, `Theorem 2 exact slope ${s.slope}`);
  // The notebook's tables are the package's analysis of the saved results: recompute them here.
  const again = rateReport(loadRows(join(env.FEDPG_RESULTS, 'rate-theorem1', 'ci')), { y: 'gap' });
  assert.deepEqual(r.t1Slopes.map((x) => x.slope), again.slopes.map((x) => x.slope));
  const contraction = (a: string, H: number) => r.linear.find((x) => x.algorithm === a && x.H === H)?.contraction as number;
  assert.ok(contraction('fast-fedpg', 10) < contraction('fast-fedpg', 5) && contraction('fast-fedpg', 5) < contraction('fast-fedpg', 1) && contraction('fast-fedpg', 1) < 1);
  assert.ok(Math.abs(contraction('fast-fedpg', 1) - contraction('fedavg-pg', 1)) < 1e-9);
});

test('06-paper-figures exports the figure set at both print presets, with captions, metadata and a clean layout check', () => {
  const r = run('06-paper-figures').results as { outDir: string; files: string[]; problems: { detail: string }[]; traces: Record<string, number> };
  assert.equal(r.outDir, join(tmp, 'figures', 'ci'));
  assert.equal(r.files.length, 8 * 2 * 3, '8 figures × 2 presets × SVG, PDF, PNG');
  for (const f of r.files) assert.ok(existsSync(join(r.outDir, f)), f);
  assert.deepEqual(r.problems, [], 'legend off the data, titles off the ticks, text ≥ 8 pt');
  // Traces at the ci budget (one seed: no bands): histogram 1; curves 3 algorithms; plateau 3; linear 2×3;
  // rate fits 3 N × (points + line) + reference; speedups series + ideal.
  assert.deepEqual(r.traces, { 'fig1-identity': 1, 'fig2-bias-curves': 3, 'fig3-bias-plateau': 3, 'fig4-exact-linear': 6, 'fig5-theorem1-rate': 7, 'fig6-theorem1-speedup': 3, 'fig7-theorem2-rate': 7, 'fig8-theorem2-speedup': 4 });
  assert.equal(readFileSync(join(r.outDir, 'page', 'fig5-theorem1-rate.pdf')).subarray(0, 5).toString(), '%PDF-');
  assert.deepEqual([...readFileSync(join(r.outDir, 'column', 'fig5-theorem1-rate.png')).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  const svg = readFileSync(join(r.outDir, 'column', 'fig5-theorem1-rate.svg'), 'utf8');
  assert.match(svg, /^<svg[^>]*><title>Theorem 1: J\* − J\(θ̄ᵀ\) against T<\/title><desc>[^<]*Provenance: rate-theorem1 · ci budget/);
  assert.ok(!/class="gtitle"[^>]*>[^<]/.test(svg), 'no title drawn on the print version');
  const captions = readFileSync(join(r.outDir, 'CAPTIONS.md'), 'utf8');
  assert.match(captions, /\*\*fig3-bias-plateau\*\*.*Statistic: geometric mean over 1 seed, no interval \(one seed\)/);
  assert.match(captions, /\*\*fig1-identity\*\*.*histogram over \d+ problems \(\d+ settings × 3 seeds\)/);
});
