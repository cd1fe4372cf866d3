import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fitRate, summarizeSeeds } from '../src/index';
import { type Row, speedup } from '../src/analysis';
import { closeRenderer, exportFigure, figureHTML, renderFigure, tableHTML } from '../src/notebook';
import { baseLayout, convergenceFigure, driftFigure, heatmapFigure, histogramFigure, PALETTE, rateFigure, seriesFigure, settingsLabel, speedupFigure, mergeStatistics, logTicks } from '../src/plot';
import { UNTITLED_FIGURE } from '../src/notebook';
import { boxIsFree, compactLegend, factorLegend, KEY_GREY, legendSampleProblems, segmentMeetsBox, withAlpha } from '../src/plot';
import type { Figure } from '../src/plot';

after(() => closeRenderer());

/** A figure's data with numbers rounded to 6 significant digits, for snapshot comparisons. */
const rounded = (x: unknown): unknown => (typeof x === 'number' ? Number(x.toPrecision(6)) : Array.isArray(x) ? x.map(rounded) : x && typeof x === 'object' ? Object.fromEntries(Object.entries(x).map(([k, v]) => [k, rounded(v)])) : x);

test('seriesFigure: one line per series, CI band in reverse order, no invented band edge on a log axis, legend labels', () => {
  const rows: Row[] = [
    { a: 'x', t: 2, y: 1, lo: 0.5, hi: 1.5 },
    { a: 'x', t: 1, y: 2, lo: -1, hi: 3 },
    { a: 'y', t: 1, y: 4, lo: 3, hi: 5 },
  ];
  const fig = seriesFigure(rows, { x: 't', y: 'y', lo: 'lo', hi: 'hi', series: ['a'], logY: true, title: 'T', subtitle: 'N=2' });
  assert.equal(fig.data.length, 4, 'a band and a line per series');
  // The point at t = 1 has lo = −1 ≤ 0 on a log axis: its interval is not drawn (the band closes on y = 2) and the statistic says so.
  assert.deepEqual(rounded(fig.data[0]), rounded({ type: 'scatter', mode: 'lines', x: [1, 2, 2, 1], y: [2, 1.5, 0.5, 2], fill: 'toself', fillcolor: withAlpha(PALETTE[0], 0.18), line: { width: 0 }, hoverinfo: 'skip', showlegend: false, legendgroup: 'a = x', name: 'a = x CI' }));
  assert.match(String(fig.meta?.statistic), /1 interval\(s\) reaching ≤ 0 not drawn/);
  assert.deepEqual(fig.data[1].x, [1, 2]);
  assert.equal(fig.data[1].name, 'a = x');
  assert.notEqual((fig.data[1].line as { dash: string }).dash, (fig.data[3].line as { dash: string }).dash, 'series differ in dash, not only in colour');
  assert.equal((fig.layout.yaxis as Record<string, unknown>).type, 'log');
  assert.match((fig.layout.title as { text: string }).text, /^T<br>.*N=2/);
});

test('seriesFigure says which points it does not draw: no finite value, or ≤ 0 on a log axis, by series and x range', () => {
  // A ratio that becomes 0/0 once the gap reaches round-off (from t = 4 on), and a second series with a zero.
  const rows: Row[] = [1, 2, 3, 4, 5, 6].flatMap((t) => [{ s: 'τ = 1', t, y: t < 4 ? 1 / t : NaN }, { s: 'τ = 0', t, y: t === 2 ? 0 : t }]);
  const fig = seriesFigure(rows, { x: 't', y: 'y', series: ['s'], label: (k) => String(k.s), logY: true, xTitle: 'round t', statistic: 'one run each' });
  assert.equal(fig.meta?.statistic, 'one run each; τ = 1: 3 of 6 points not drawn (no finite value), round t 4–6; τ = 0: 1 of 6 points not drawn (no finite value or ≤ 0 on the log axis), round t 2');
  // The points stay in the traces (as gaps, null in JSON), so a hover never shows an invented value.
  assert.deepEqual(fig.data[0].y, [1, 0.5, 1 / 3, NaN, NaN, NaN]);
  const clean = seriesFigure(rows.filter((r) => Number.isFinite(r.y as number) && (r.y as number) > 0), { x: 't', y: 'y', series: ['s'], logY: true });
  assert.equal(clean.meta?.statistic, undefined, 'nothing to say when everything is drawn');
});

test('convergenceFigure reads the _mean/_lo/_hi columns of summarizeSeeds; one seed draws no band', () => {
  const rows: Row[] = [0, 1].flatMap((seed) => [1, 2, 3].map((round) => ({ job: `j${seed}`, seed, config: 0, round, algorithm: 'fast-fedpg', gap: 1 / round + seed * 0.01 })));
  const two = convergenceFigure(summarizeSeeds(rows, { values: ['gap'] }), { x: 'round', y: 'gap', series: ['algorithm'] });
  assert.equal(two.data.length, 2);
  assert.deepEqual(rounded(two.data[1].y), rounded([1.005, 0.505, 1 / 3 + 0.005]));
  const one = convergenceFigure(summarizeSeeds(rows.filter((r) => r.seed === 0), { values: ['gap'] }), { x: 'round', y: 'gap', series: ['algorithm'] });
  assert.equal(one.data.length, 1);
});

test('rateFigure and speedupFigure: legends carry the fitted slope ± CI half-width; the ideal line is N^(−exponent)', () => {
  const rows: Row[] = [10, 20, 40, 80].map((x) => ({ round: x, gap: 2 / x }));
  const fit = fitRate(rows, { x: 'round', y: 'gap' });
  const fig = rateFigure([{ name: 'N = 1', fit }], { reference: { slope: -1, label: 'slope −1' } });
  assert.equal(fig.data.length, 4, 'points, fitted line, legend entry, reference');
  // The legend entry draws no point: it is the series' line with its marker, as the plot shows them.
  assert.deepEqual(fig.data.map((t) => t.showlegend !== false), [false, false, true, true]);
  assert.equal(fig.data[2].name, 'N = 1: slope \u22121.00 ± 0.00', 'a real minus sign');
  assert.deepEqual([fig.data[2].x, fig.data[2].mode, fig.data[2].marker, fig.data[2].line], [[null], 'lines+markers', fig.data[0].marker, fig.data[1].line]);
  assert.deepEqual(rounded(fig.data[3].y), rounded([0.2, 0.1, 0.05, 0.025]));
  const sp = speedup([1, 2, 4].flatMap((N) => [0, 1].map((seed) => ({ job: `${N}${seed}`, seed, agents: N, round: 10, gap: (1 + seed * 0.1) / N }))), { y: 'gap' });
  const sf = speedupFigure([{ name: 'sampled', speedup: sp }], { idealExponent: -1 });
  assert.deepEqual(rounded(sf.data[0].y), [1, 2, 4]);
  assert.deepEqual(sf.data[1].y, [1, 2, 4]);
  // gap ∝ N^−1, so the speedup rises ∝ N^(+1): the legend gives the speedup's exponent with its sign.
  assert.equal(String(sf.data[0].name), 'sampled: speedup ∝ N<sup>1.00 ± 0.00</sup>');
});

test('heatmapFigure: a shared symmetric colour scale and one subplot per table; drift and histogram figures', () => {
  const fig = heatmapFigure([Float64Array.of(1, -2, 0, 0.5), Float64Array.of(0, 0, 3, 0)], 2, 2, { names: ['a', 'b'] });
  assert.equal(fig.data.length, 2);
  for (const t of fig.data) assert.deepEqual([t.zmin, t.zmax], [-3, 3]);
  assert.deepEqual(fig.data[0].z, [[1, -2], [0, 0.5]]);
  assert.deepEqual([fig.data[0].xaxis, fig.data[1].xaxis], ['x', 'x2']);
  assert.deepEqual((fig.layout.annotations as { text: string }[]).map((a) => a.text), ['a', 'b']);
  const drift = driftFigure([{ name: 'fast', driftPerStep: [Float64Array.of(1, 2, 3)] }]);
  assert.deepEqual(drift.data[0].x, [1, 2, 3]);
  const hist = histogramFigure([{ name: 'e', values: [1e-15, 1e-16, 0] }]);
  assert.deepEqual(rounded(hist.data[0].x), [-15, -16], 'log10 of the positive values');
});

test('settingsLabel writes the symbols of docs/paper.md', () => {
  assert.equal(settingsLabel({ agents: 4, localSteps: 10, batch: 20, entropy: 0.1, gamma: 0.9, seed: 1, skip: undefined }), 'N=4 · H=10 · M=20 · τ=0.1 · γ=0.9 · seed=1');
});

// Colour-vision-deficiency simulation (Machado, Oliveira & Fernandes 2009, severity 1, on linear sRGB), then
// CIELAB (D65) and the CIE76 distance ΔE. Independent of the plot code.
const CVD: Record<string, number[][]> = {
  protanopia: [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
  deuteranopia: [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.01182, 0.04294, 0.968881]],
  tritanopia: [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.3039]],
};
function simulatedLab(hex: string, m: number[][]): number[] {
  const n = Number.parseInt(hex.slice(1), 16);
  const rgb = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((v) => (v / 255 <= 0.04045 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4));
  const c = m.map((row) => Math.min(1, Math.max(0, row[0] * rgb[0] + row[1] * rgb[1] + row[2] * rgb[2])));
  const X = 0.4124 * c[0] + 0.3576 * c[1] + 0.1805 * c[2];
  const Y = 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  const Z = 0.0193 * c[0] + 0.1192 * c[1] + 0.9505 * c[2];
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
  const [fx, fy, fz] = [f(X / 0.95047), f(Y), f(Z / 1.08883)];
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}
/** The closest pair of a palette under each simulated deficiency: min ΔE. */
function closestPair(palette: readonly string[]): number {
  let best = Infinity;
  for (const m of Object.values(CVD)) {
    for (let i = 0; i < palette.length; i++) {
      for (let j = i + 1; j < palette.length; j++) {
        const a = simulatedLab(palette[i], m);
        const b = simulatedLab(palette[j], m);
        best = Math.min(best, Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]));
      }
    }
  }
  return best;
}

test('the series colours are Okabe–Ito’s, stay distinct under simulated colour blindness, and are what figures draw', () => {
  // Okabe & Ito (2008), as tabulated by Wong, Nature Methods 8:441 (2011): black, orange, sky blue, bluish
  // green, yellow, blue, vermillion, reddish purple.
  const okabeIto = ['#000000', '#E69F00', '#56B4E9', '#009E73', '#F0E442', '#0072B2', '#D55E00', '#CC79A7'];
  assert.deepEqual([...PALETTE].sort(), [...okabeIto].sort());
  // Every pair of the 8 stays ≥ 12 ΔE apart under protanopia, deuteranopia and tritanopia (measured minimum
  // 16.1, sky blue vs bluish green under tritanopia). The check discriminates: Plotly's default colorway and
  // D3's category10 fall to 1.6 and 4.6 (red–green pairs under protanopia).
  assert.ok(closestPair(PALETTE) >= 12, `closest pair ΔE ${closestPair(PALETTE)}`);
  assert.ok(closestPair(['#636efa', '#EF553B', '#00cc96', '#ab63fa', '#FFA15A', '#19d3f3', '#FF6692', '#B6E880']) < 12);
  assert.ok(closestPair(['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f']) < 12);
  // What a figure draws: series i takes colour i (cycling after 8), its CI band the same colour at 18%
  // opacity (#0072B2 = rgb(0,114,178)), and Plotly's colorway (for traces without a colour) in that order.
  const rows: Row[] = Array.from({ length: 9 }, (_, s) => [1, 2].map((t) => ({ s, t, y: t + s, lo: t + s - 0.5, hi: t + s + 0.5 }))).flat();
  const fig = seriesFigure(rows, { x: 't', y: 'y', lo: 'lo', hi: 'hi', series: ['s'] });
  const lines = fig.data.filter((d) => d.fill === undefined).map((d) => (d.line as { color: string }).color);
  assert.deepEqual(lines, ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442', '#0072B2']);
  assert.equal(fig.data[0].fillcolor, 'rgba(0,114,178,0.18)');
  assert.deepEqual(baseLayout({}).colorway, lines.slice(0, 8));
});

test('tableHTML escapes text, right-aligns and rounds numbers, and counts rows it leaves out', () => {
  const html = tableHTML([{ name: '<b>', x: 1 / 3, n: 2 }, { name: 'ok', x: 1e-9, n: 3 }], { digits: 3, maxRows: 1 });
  assert.match(html, /<td style="text-align:left">&lt;b&gt;<\/td><td style="text-align:right">0\.333<\/td><td style="text-align:right">2<\/td>/);
  assert.match(html, /… 1 more rows/);
});

test('figureHTML queues the draw until plotly.js has loaded, and escapes </script> in the data', () => {
  const html = figureHTML({ data: [{ type: 'scatter', x: [1], y: [2], name: '</script>' }], layout: { width: 300 } }, 'p1');
  assert.match(html, /<div id="p1" class="fedpg-plot" style="width:300px;"><\/div>/);
  assert.ok(!html.includes('</script>"'));
  assert.match(html, /window\.__fedpgQueue/);
});

test('an exported SVG contains the traces and legend it should; PNG and PDF are what they claim', async () => {
  const rows: Row[] = ['a', 'b'].flatMap((s, i) => [1, 2, 3].map((t) => ({ s, t, y: (i + 1) * t })));
  const fig = seriesFigure(rows, { x: 't', y: 'y', series: ['s'], label: (k) => `series ${k.s}`, title: 'Export check' });
  const svg = (await renderFigure(fig, 'svg')) as string;
  assert.match(svg, /^<svg/);
  assert.equal((svg.match(/class="trace scatter/g) ?? []).length, 2);
  for (const text of ['series a', 'series b', 'Export check']) assert.ok(svg.includes(text), `SVG shows "${text}"`);
  assert.equal((svg.match(/<path class="js-line"/g) ?? []).length, 4, "two drawn lines and their two legend samples");
  const png = (await renderFigure(fig, 'png', { scale: 1 })) as Buffer;
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.equal(png.readUInt32BE(16), 640, 'PNG width = layout width × scale');
  const pdf = (await renderFigure(fig, 'pdf')) as Buffer;
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  assert.equal(pdfTitle(pdf), UNTITLED_FIGURE, 'a PDF rendered without metadata is not titled "about:blank"');
});

/** The Title of a PDF's document information (Chromium writes (ASCII) or <FEFF…>, UTF-16BE in hex). */
function pdfTitle(pdf: Buffer): string {
  const text = pdf.toString('latin1');
  const hex = /\/Title <FEFF([0-9A-Fa-f]*)>/.exec(text);
  if (hex) return Buffer.from(hex[1], 'hex').swap16().toString('utf16le');
  return /\/Title \(((?:[^)\\]|\\.)*)\)/.exec(text)?.[1].replace(/\\(.)/g, '$1') ?? '';
}

test('exportFigure titles its files from the figure (SVG <title>, PDF Title), else from the file name', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fedpg-export-'));
  try {
    const titled = seriesFigure([{ t: 1, y: 1 }, { t: 2, y: 2 }], { x: 't', y: 'y', title: 'Gap J* − J(θ̄)', subtitle: 'garnet · γ=0.9', statistic: 'one seed' });
    assert.equal(pdfTitle(readFileSync(await exportFigure(titled, join(dir, 'gap.pdf')))), 'Gap J* − J(θ̄)');
    assert.match(readFileSync(await exportFigure(titled, join(dir, 'gap.svg')), 'utf8'), /^<svg[^>]*><title>Gap J\* − J\(θ̄\)<\/title><desc>Statistic: one seed\. Provenance: garnet · γ=0\.9\.<\/desc>/);
    const untitled = seriesFigure([{ t: 1, y: 1 }, { t: 2, y: 2 }], { x: 't', y: 'y' });
    assert.equal(pdfTitle(readFileSync(await exportFigure(untitled, join(dir, 'my-figure.pdf')))), 'my-figure');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('mergeStatistics joins descriptions that differ only in their seed count', () => {
  assert.equal(mergeStatistics(['geometric mean over 3 seeds, 95% log-space t-interval', 'geometric mean over 4 seeds, 95% log-space t-interval']), 'geometric mean over 3–4 seeds, 95% log-space t-interval');
  assert.equal(mergeStatistics(['geometric mean over 1 seed, no interval (one seed)']), 'geometric mean over 1 seed, no interval (one seed)');
  assert.equal(mergeStatistics(['a over 2 seeds', 'b over 2 seeds']), 'a over 2 seeds; b over 2 seeds');
});

test('logTicks: design values when given, decades (every k-th) over wide ranges, multiples within a decade; legend geometry', () => {
  assert.deepEqual(logTicks([0, 1.3], [1, 2, 4, 8, 16]), { tickvals: [1, 2, 4, 8, 16], ticktext: ['1', '2', '4', '8', '16'] });
  const wide = logTicks([-16.2, 0.3], null);
  assert.deepEqual(wide.tickvals.map((v) => Math.round(Math.log10(v))), [-15, -12, -9, -6, -3, 0], 'every 3rd decade of 17, ending at 10⁰');
  assert.equal(wide.ticktext[0], '10<sup>\u221215</sup>');
  assert.deepEqual(logTicks([Math.log10(0.6), Math.log10(3.3)], null).tickvals, [1, 2, 3]);
  // Two design values (H = 1, 5): the round values between them as well.
  assert.deepEqual(logTicks([-0.05, 0.75], [1, 5]).tickvals, [1, 2, 5]);
  // Two decades (0.02 … 4.5) would label only 0.1 and 1: 1–2–5 multiples instead.
  assert.deepEqual(logTicks([Math.log10(0.018), Math.log10(4.5)], null).tickvals, [0.02, 0.05, 0.1, 0.2, 0.5, 1, 2]);
  for (const [a, b] of [[-3.9, -1.2], [0.01, 0.3], [-0.2, 0.2], [-5.5, -2.6]]) assert.ok(logTicks([a, b], null).tickvals.length >= 3, `[${a}, ${b}]: at least three ticks`);
  // A box and a segment: the diagonal of the plot crosses a centred box and misses a corner box off it.
  assert.equal(segmentMeetsBox([0, 0, 100, 100], { x0: 40, x1: 60, y0: 40, y1: 60 }), true);
  assert.equal(segmentMeetsBox([0, 0, 100, 100], { x0: 70, x1: 95, y0: 5, y1: 30 }), false);
  assert.equal(boxIsFree({ x0: 70, x1: 95, y0: 5, y1: 30 }, { points: [[80, 50]], segments: [[0, 0, 100, 100]], polygons: [[[60, 0], [100, 0], [100, 40]]] }), false, 'inside a band');
});

test('print metadata: the SVG carries <title>/<desc>; the PNG iTXt chunks are well formed (CRC by zlib) and hold the UTF-8 caption', async () => {
  const { crc32 } = await import('node:zlib');
  const fig = seriesFigure([{ t: 1, y: 1 }, { t: 2, y: 2 }], { x: 't', y: 'y', title: 'J* − J(θ̄)' });
  const metadata = { title: 'J* − J(θ̄) against T', description: 'Statistic: geometric mean over 4 seeds <&>' };
  const svg = (await renderFigure(fig, 'svg', { metadata })) as string;
  assert.match(svg, /^<svg[^>]*><title>J\* − J\(θ̄\) against T<\/title><desc>Statistic: geometric mean over 4 seeds &lt;&amp;&gt;<\/desc>/);
  const png = (await renderFigure(fig, 'png', { scale: 1, metadata })) as Buffer;
  const texts: Record<string, string> = {};
  for (let at = 8; at < png.length; ) {
    const len = png.readUInt32BE(at);
    const type = png.subarray(at + 4, at + 8).toString('latin1');
    const data = png.subarray(at + 8, at + 8 + len);
    assert.equal(png.readUInt32BE(at + 8 + len), crc32(png.subarray(at + 4, at + 8 + len)), `CRC of ${type}`);
    if (type === 'iTXt') {
      const k = data.indexOf(0);
      texts[data.subarray(0, k).toString('latin1')] = data.subarray(k + 5).toString('utf8');
    }
    at += 12 + len;
  }
  assert.deepEqual(texts, { Title: metadata.title, Description: metadata.description });
});

test('print legends: details leave for the caption, crossed variables factor into colour and style keys, samples show the data\'s markers', () => {
  // compactLegend: "name: detail" → "name", the full entries returned for the caption.
  const rate: Figure = { data: [{ type: 'scatter', mode: 'lines', name: 'N = 1: slope −1.00 ± 0.02', x: [1], y: [1] }, { type: 'scatter', mode: 'lines', name: 'ideal', x: [1], y: [1] }], layout: {} };
  assert.deepEqual(compactLegend(rate), ['N = 1: slope −1.00 ± 0.02']);
  assert.deepEqual(rate.data.map((t) => t.name), ['N = 1', 'ideal']);
  // Two algorithms (dash and marker) × three H (colour): six entries become 3 colour keys + 2 grey style keys.
  const trace = (algorithm: string, H: number, colour: string, dash: string, symbol: string) => ({ type: 'scatter', mode: 'lines+markers', name: `${algorithm}, H = ${H}`, x: [1, 2], y: [1, 2], line: { color: colour, dash }, marker: { color: colour, symbol } });
  const crossed: Figure = { data: ['#0072B2', '#D55E00', '#009E73'].flatMap((c, i) => [trace('Fast-FedPG', [1, 5, 10][i], c, 'solid', 'circle'), trace('FedAvg-PG', [1, 5, 10][i], c, 'dash', 'diamond-open')]), layout: {} };
  assert.equal(factorLegend(crossed), true);
  const shown = crossed.data.filter((t) => t.showlegend !== false);
  assert.deepEqual(shown.map((t) => t.name), ['H = 1', 'H = 5', 'H = 10', 'Fast-FedPG', 'FedAvg-PG']);
  // Colour keys: a solid line in the colour (its markers are of two symbols: none shown); style keys: grey, the dash and the marker.
  assert.deepEqual(shown.map((t) => [(t.line as { color: string }).color, (t.line as { dash: string }).dash, (t.marker as { symbol?: string } | undefined)?.symbol ?? null]), [
    ['#0072B2', 'solid', null], ['#D55E00', 'solid', null], ['#009E73', 'solid', null], [KEY_GREY, 'solid', 'circle'], [KEY_GREY, 'dash', 'diamond-open'],
  ]);
  assert.ok(shown.every((t) => Array.isArray(t.x) && t.x.length === 1 && t.x[0] === null), 'keys draw no point');
  assert.deepEqual(legendSampleProblems(crossed), []);
  // A legend whose names share nothing within a colour does not factor, and is left as it was.
  const unrelated: Figure = { data: [trace('a', 1, '#111111', 'solid', 'circle'), { ...trace('b', 2, '#111111', 'dash', 'square'), name: 'b' }, trace('c', 3, '#222222', 'solid', 'circle')], layout: {} };
  const before = JSON.stringify(unrelated);
  assert.equal(factorLegend(unrelated), false);
  assert.equal(JSON.stringify(unrelated), before);
  // legendSampleProblems: a group drawn as markers whose legend entry is its line; Plotly's default mode (markers under 20 points).
  const mismatch: Figure = { data: [
    { type: 'scatter', mode: 'markers', name: 'N = 1', legendgroup: 'g', showlegend: false, x: [1, 2], y: [1, 2], marker: { symbol: 'square' } },
    { type: 'scatter', mode: 'lines', name: 'N = 1: slope −1', legendgroup: 'g', x: [1, 2], y: [1, 2] },
    { type: 'scatter', name: 'few points, no mode', x: [1, 2], y: [1, 2], marker: { symbol: 'x' } },
  ], layout: {} };
  assert.deepEqual(legendSampleProblems(mismatch), ['legend entry "N = 1: slope −1" shows a line, but its data are drawn as markers (square)']);
});
