import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createRng } from '../src/index';
import { checkFigureLayout, checkNotebookFigure, closeRenderer } from '../src/notebook';
import { biasCurvesFigure, fixedPointFigure, clusterRecoveryFigure, dittoTradeoffFigure, gapAgainstHeterogeneityFigure, type Figure, identityErrorFigure, linearRateFigure, paperFigure, PRESETS, rateInTFigure, speedupInNFigure, biasAgainstKappaFigure, virtualBoundFigure } from '../src/plot';
import { type Row } from '../src/analysis';

// The visual check: every shipped figure builder, on synthetic sweep rows shaped like the experiments'
// (so the test needs no sweep), drawn in one headless Chromium at both print presets and in notebook size.
// From the drawn SVG's bounding boxes: the legend covers no marker, line, error bar or CI band; axis titles
// clear their tick labels; every text prints at ≥ 8 pt. Then the same check must fail on figures made wrong.

after(() => closeRenderer());

const rng = createRng('figure-layout');
const noise = (s: number) => Math.exp(s * (2 * rng.double() - 1));

function biasRows(): Row[] {
  const rows: Row[] = [];
  let job = 0;
  for (const algorithm of ['fast-fedpg', 'fedavg-pg', 'minibatch-pg']) {
    for (const localSteps of [1, 5, 10, 20]) {
      for (const seed of [0, 1, 2, 3]) {
        job++;
        for (let round = 0; round <= 200; round += 5) {
          const bias = algorithm === 'fedavg-pg' && localSteps > 1 ? 0.003 * localSteps * noise(0.5) : 0;
          const rate = algorithm === 'minibatch-pg' ? 0.985 : algorithm === 'fast-fedpg' ? 0.99 - 0.002 * localSteps : 0.95;
          rows.push({ job: `b${job}`, config: `${algorithm}-${localSteps}`, seed, algorithm, localSteps, heterogeneity: 1, round, gap: bias + 0.3 * rate ** round * noise(0.3) });
        }
      }
    }
  }
  return rows;
}

function linearRows(): Row[] {
  const rows: Row[] = [];
  for (const algorithm of ['fast-fedpg', 'fedavg-pg']) {
    for (const localSteps of [1, 5, 10]) {
      for (const seed of [0, 1, 2]) {
        for (let round = 0; round <= 60; round++) {
          const fast = 0.1 * (1 - 0.08 * localSteps) ** round;
          const gap = algorithm === 'fast-fedpg' || localSteps === 1 ? fast : Math.max(fast, 1e-4 * localSteps);
          rows.push({ job: `l${algorithm}${localSteps}${seed}`, config: `${algorithm}-${localSteps}`, seed, algorithm, localSteps, round, gap: Math.max(gap * noise(0.2), 1e-17) });
        }
      }
    }
  }
  return rows;
}

function rateRows(): Row[] {
  const rows: Row[] = [];
  for (const [oracle, batch] of [['sampled', 1], ['sampled', 10], ['exact', 0]] as const) {
    for (const agents of [1, 2, 4, 8, 16]) {
      for (const rounds of [25, 50, 100, 200, 400, 800]) {
        for (const seed of [0, 1, 2, 3]) {
          const gap = oracle === 'exact' ? 1e-3 * rounds ** -1.6 * agents ** -1.5 : (5 / (agents * rounds)) * noise(0.4);
          rows.push({ job: `r${oracle}${batch}${agents}${rounds}${seed}`, seed, oracle, batch, agents, rounds, round: rounds, gap, gradNormSqAvg: gap * 30 * Math.sqrt(agents * rounds) });
        }
      }
    }
  }
  return rows;
}

// Cluster recovery (cluster-recovery.json): accuracy at the last round against M per h, exact-oracle levels and a bound.
function recoveryRows(): Row[] {
  const rows: Row[] = [];
  for (const heterogeneity of [0.25, 0.5, 1]) {
    for (const batch of [1, 2, 4, 8, 16, 32, 64, 128, 0]) {
      for (const seed of [0, 1, 2, 3, 4]) {
        const p = Math.min(1, (1 / 3) + heterogeneity * (0.3 + 0.08 * Math.log2(batch || 256)) * noise(0.2));
        const correct = Math.round(9 * p);
        rows.push({ job: `c${heterogeneity}${batch}${seed}`, config: `${heterogeneity}-${batch}`, seed, problemSeed: seed, clusterInit: 'random', heterogeneity, oracle: batch ? 'sampled' : 'exact', ...(batch ? { batch } : {}), round: 20, assignmentAccuracy: Math.max(3, correct) / 9, assignmentARI: (Math.max(3, correct) - 3) / 6 });
      }
    }
  }
  return rows;
}
const recoveryBound = [1, 2, 4, 8, 16, 32, 64, 128].map((batch) => ({ heterogeneity: 1, batch, accuracy: Math.max(0, 1 - 2 * Math.exp(-batch / 27)) }));

// Ditto over λ (ditto-tradeoff.json) and the matched-budget comparison (matched-budget.json).
function personalRows(): Row[] {
  const rows: Row[] = [];
  const approaches: Row[] = [
    ...[0, 0.01, 0.03, 0.1, 0.3, 1, 3, 10].map((lambda) => ({ algorithm: 'ditto', clusters: 3, personalization: JSON.stringify({ lambda }) })),
    { algorithm: 'fast-fedpg', clusters: 3 }, { algorithm: 'ifca', clusters: 3 },
  ];
  approaches.forEach((a, config) => {
    for (const heterogeneity of [0, 0.5, 1]) {
      for (const seed of [0, 1, 2]) {
        const lambda = typeof a.personalization === 'string' ? (JSON.parse(a.personalization).lambda as number) : a.algorithm === 'fast-fedpg' ? 1e3 : 0.05;
        const own = (0.05 + heterogeneity * lambda / (lambda + 0.1)) * noise(0.2);
        const global = (0.03 + 0.4 / (1 + 10 * lambda)) * noise(0.2);
        rows.push({ job: `p${config}${heterogeneity}${seed}`, config: `${config}-${heterogeneity}`, seed, ...a, heterogeneity, round: 60, agentGapMean: own, agentGlobalGapMean: global, gap: 0.03 * noise(0.2) });
      }
    }
  });
  return rows;
}

/** Rows shaped like virtualMDPErrorAgainstKappa's: bound ∝ κ, errors of first (h = 1) or second (h = 0) order. */
function virtualRows(): Row[] {
  return [0, 1].flatMap((heterogeneity) => [0.025, 0.05, 0.1, 0.2, 0.4, 0.8].map((kappa) => {
    const maxError = (heterogeneity === 1 ? 0.25 * kappa : 0.1 * kappa ** 1.6) * noise(0.3);
    return { heterogeneity, transitionHeterogeneity: kappa, bound: 48 * kappa, maxError, meanError: maxError / (3 * noise(0.5)), ratio: maxError / (48 * kappa), policies: 100, scale: 3 };
  }));
}

/** Rows shaped like transition-bias.json's: FedAvg-PG's floor ‖∇J‖² against κ for h ∈ {0, 0.5, 1}, 3 Garnets. */
function kappaBiasRows(): Row[] {
  const rows: Row[] = [];
  for (const heterogeneity of [0, 0.5, 1]) {
    for (const kappa of [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]) {
      for (const seed of [0, 1, 2]) {
        const floor = (heterogeneity === 0 ? 3e-5 * kappa ** 3.5 : 1e-3 * heterogeneity ** 2 * (1 + kappa)) * noise(1.5);
        for (const round of [0, 30, 60]) rows.push({ job: `k${heterogeneity}-${kappa}-${seed}`, seed, algorithm: 'fedavg-pg', heterogeneity, transitionHeterogeneity: kappa, round, gradNormSq: round === 60 ? floor : 1e-2 });
      }
    }
  }
  return rows;
}

/** Rows shaped like transition-rates.json's: (1/T) Σ ‖∇J‖² ∝ (NT)^(−½) at κ ∈ {0, 0.2, 0.5, 0.8}. */
function kappaRateRows(): Row[] {
  const rows: Row[] = [];
  for (const kappa of [0, 0.2, 0.5, 0.8]) {
    for (const agents of [1, 2, 4, 8]) {
      for (const rounds of [25, 50, 100]) {
        for (const seed of [0, 1, 2]) rows.push({ job: `kr${kappa}${agents}${rounds}${seed}`, seed, transitionHeterogeneity: kappa, agents, rounds, round: rounds, gradNormSqAvg: (0.2 / Math.sqrt(agents * rounds)) * noise(0.3) });
      }
    }
  }
  return rows;
}

// The provenance line the notebooks draw under a figure's title (experimentLabel), at its usual length.
const PROV = 'rate-theorem2 · quick budget · 5 seeds · fedpg-lab 0.1.0 @2ec5790';
const bias = biasRows();
const personal = personalRows();
const rates = rateRows();
const FIGURES: [string, Figure][] = [
  ['identity', identityErrorFigure(Array.from({ length: 120 }, (_, i) => ({ states: [5, 20, 50][i % 3], agents: [2, 8][i % 2], entropy: [0, 0.1][(i >> 2) % 2], exactError: 1e-16 * noise(3) })), { subtitle: PROV })],
  ['bias curves', biasCurvesFigure(bias, { localSteps: 20, heterogeneity: 1, subtitle: PROV })],
  ['fixed point', fixedPointFigure(bias, { heterogeneity: 1, subtitle: PROV })],
  ['linear rate', linearRateFigure(linearRows(), { subtitle: PROV })],
  ['rate in T', rateInTFigure(rates.filter((r) => r.oracle === 'sampled' && r.batch === 1), { y: 'gap', referenceSlope: -1, referenceLabel: 'slope −1', title: 'Theorem 1', subtitle: PROV, yTitle: 'J* − J(θ̄ᵀ)' })],
  ['speedup T1', speedupInNFigure(rates.filter((r) => r.batch !== 10), { y: 'gap', by: ['oracle'], idealExponent: -1, title: 'speedup', subtitle: PROV })],
  ['speedup T2', speedupInNFigure(rates, { y: 'gradNormSqAvg', by: ['oracle', 'batch'], idealExponent: -0.5, title: 'speedup', subtitle: PROV })],
  ['cluster recovery', clusterRecoveryFigure(recoveryRows(), { y: 'assignmentAccuracy', bound: recoveryBound, subtitle: PROV })],
  ['cluster recovery (ARI)', clusterRecoveryFigure(recoveryRows(), { chance: 0, subtitle: PROV })],
  ['cluster recovery (exact share)', clusterRecoveryFigure(recoveryRows(), { y: 'exactRecovery', subtitle: PROV })],
  ['ditto trade-off', dittoTradeoffFigure(personal.filter((r) => r.heterogeneity === 1), { subtitle: PROV })],
  ['own gap against h', gapAgainstHeterogeneityFigure(personal.filter((r) => r.algorithm !== 'ditto' || ['{"lambda":0.1}', '{"lambda":1}'].includes(r.personalization as string)), { y: 'agentGapMean', subtitle: PROV })],
  ['virtual bound', virtualBoundFigure(virtualRows(), { subtitle: PROV })],
  ['bias against κ', biasAgainstKappaFigure(kappaBiasRows(), { subtitle: PROV })],
  ['speedup under κ', speedupInNFigure(kappaRateRows(), { y: 'gradNormSqAvg', by: ['transitionHeterogeneity'], idealExponent: -0.5, title: 'Theorem 2 under κ: speedup', subtitle: PROV })],
];

test('every shipped figure, at the column and page presets and in notebook size with its title and subtitles: legend off the data and under 20% of the height, titles off the plot and the ticks, legend samples as the data, ≥ 3 ticks per axis, text ≥ 8 pt', async () => {
  const problems: string[] = [];
  for (const [name, figure] of FIGURES) {
    for (const preset of ['column', 'page', 'screen'] as const) {
      const fig = preset === 'screen' ? figure : paperFigure(figure, preset);
      // Notebook size has no print size: its text check is off (minPt 0); the print presets are checked at 8 pt.
      const check = preset === 'screen' ? await checkNotebookFigure(fig) : await checkFigureLayout(fig, { widthIn: PRESETS[preset].widthIn });
      problems.push(...check.problems.map((p) => `${name} (${preset}): ${p.kind}: ${p.detail}`));
      assert.ok(check.measured.axisTitles === 2 && check.measured.tickLabels >= 4, `${name} (${preset}): titles and ticks were measured`);
      if (preset !== 'screen') assert.ok(check.measured.smallestPt >= 8, `${name} (${preset}): smallest text ${check.measured.smallestPt} pt`);
      // In notebooks the title, the provenance and the statistic are drawn (at least two lines); on paper none.
      assert.ok(preset === 'screen' ? check.measured.titleLines >= 2 : check.measured.titleLines === 0, `${name} (${preset}): ${check.measured.titleLines} title lines measured`);
      if (name !== 'identity') assert.ok(check.measured.legend && check.measured.linePoints > 100, `${name} (${preset}): a legend and lines were measured`);
    }
  }
  assert.deepEqual(problems, []);
});

test('the check fails on a legend over the data, an axis title on its tick labels, and text below 8 pt', async () => {
  const plateau = paperFigure(FIGURES[2][1], 'column');
  // The legend forced into the middle of the plot, where FedAvg-PG's points and bars are.
  const covered: Figure = { ...plateau, layout: { ...plateau.layout, legend: { ...(plateau.layout.legend as object), orientation: 'v', x: 0.5, xanchor: 'center', y: 0.5, yanchor: 'middle' } } };
  const c1 = await checkFigureLayout(covered, { widthIn: 3.5 });
  assert.ok(c1.problems.some((p) => p.kind === 'legend-covers-data'), JSON.stringify(c1.problems));
  // Long tick labels and the y title pulled into them (no automargin, a fixed narrow margin, negative standoff).
  const curves = paperFigure(FIGURES[1][1], 'column');
  const y = curves.layout.yaxis as Record<string, unknown>;
  const clash: Figure = { ...curves, layout: { ...curves.layout, margin: { l: 40, r: 10, t: 60, b: 42 }, yaxis: { ...y, automargin: false, title: { ...(y.title as object), standoff: 0 } } } };
  const c2 = await checkFigureLayout(clash, { widthIn: 3.5 });
  assert.ok(c2.problems.some((p) => p.kind === 'title-overlaps-ticks'), JSON.stringify(c2.problems));
  // The notebook-size figure printed in a 3.5 in column: its 11 px legend prints at ≈ 4.3 pt.
  const c3 = await checkFigureLayout(FIGURES[1][1], { widthIn: 3.5 });
  assert.ok(c3.problems.some((p) => p.kind === 'text-too-small'));
  assert.ok(c3.measured.smallestPt < 6);
});

test('the check fails on a title over the plot, a legend that takes a third of a column figure, a line sample for markers, and two ticks', async () => {
  const [, speedupKappa] = FIGURES.find(([n]) => n === 'speedup under κ') as [string, Figure];
  // The title block centred in a top margin too small for its four lines (how figures were drawn before).
  const cramped: Figure = { ...speedupKappa, layout: { ...speedupKappa.layout, margin: { ...(speedupKappa.layout.margin as object), t: 70 }, title: { ...(speedupKappa.layout.title as object), y: 'auto', yanchor: 'auto' } } };
  const t = await checkNotebookFigure(cramped);
  assert.ok(t.problems.some((p) => p.kind === 'figure-title-overlaps'), JSON.stringify(t.problems));
  // The column figure with its six long entries above the plot, one per row, the figure grown to hold them.
  const rate = paperFigure(FIGURES.find(([n]) => n === 'rate in T')?.[1] as Figure, 'column');
  const tall: Figure = JSON.parse(JSON.stringify(rate));
  tall.data = (FIGURES.find(([n]) => n === 'rate in T')?.[1] as Figure).data.map((d) => ({ ...d, legendgroup: undefined }));
  Object.assign(tall.layout, { height: 259 + 130, legend: { ...(tall.layout.legend as object), orientation: 'v', x: 0, xanchor: 'left', y: 1.02, yanchor: 'bottom' } });
  const l = await checkFigureLayout(tall, { widthIn: 3.5 });
  assert.ok(l.problems.some((p) => p.kind === 'legend-too-tall') && l.measured.legendShare > 0.25, `${l.measured.legendShare}: ${JSON.stringify(l.problems)}`);
  // A rate figure as it was drawn: its legend entries are the fitted lines (line samples), the data markers.
  const lines: Figure = { ...rate, data: rate.data.filter((d) => !(Array.isArray(d.x) && d.x.length === 1 && d.x[0] === null)).map((d) => (d.mode === 'lines' && d.name !== 'slope −1' ? { ...d, showlegend: true } : d)) };
  const s = await checkFigureLayout(lines, { widthIn: 3.5 });
  assert.ok(s.problems.some((p) => p.kind === 'legend-sample'), JSON.stringify(s.problems));
  // A log axis labelled at two decades only.
  const two: Figure = { ...speedupKappa, layout: { ...speedupKappa.layout, yaxis: { ...(speedupKappa.layout.yaxis as object), tickvals: [1, 10], ticktext: ['1', '10'], range: [-0.3, 1.2] } } };
  const k = await checkNotebookFigure(two);
  assert.ok(k.problems.some((p) => p.kind === 'too-few-ticks' && /axis y/.test(p.detail)), JSON.stringify(k.problems));
  assert.equal(k.measured.ticksPerAxis.y, 2);
});
