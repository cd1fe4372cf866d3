import { fitAxes } from './axes';
import { type Figure, FONT } from './figure';
import { legendEntries, legendSize, placeLegend, plotArea } from './legend';
import { factorLegend } from './legendKey';
import { plainText } from './notation';

/**
 * Print presets. A figure is laid out in CSS pixels at 96 px per inch, so a 3.5 in column is 336 px wide
 * and a font of s px prints at s·72/96 pt: 11.33 px is 8.5 pt. Every text of a preset (tick labels,
 * legend, axis titles) uses `fontPt`, so nothing prints below 8 pt.
 */
export interface Preset {
  name: 'column' | 'page';
  widthIn: number;
  heightIn: number;
  /** Size of every text at print size, in points. */
  fontPt: number;
}

/** One column (3.5 in) and two columns (7 in) of a two-column conference paper. */
export const PRESETS: Readonly<Record<'column' | 'page', Preset>> = {
  column: { name: 'column', widthIn: 3.5, heightIn: 2.7, fontPt: 8.5 },
  page: { name: 'page', widthIn: 7, heightIn: 3.0, fontPt: 9 },
};

/** The smallest text size any preset prints, in points. */
export const MIN_PRINT_PT = 8.1;

/** CSS pixels per inch (Chromium's layout and PDF unit). */
export const PX_PER_INCH = 96;

/**
 * Plotly draws <sup> and <sub> at 70% of the text's size; at print size that would fall below the preset's
 * minimum, so their content gets an explicit size of `minPx` pixels (still smaller than the text, and raised).
 */
export function printableScripts(html: string, minPx: number): string {
  return html.replace(/<(sup|sub)>(.*?)<\/\1>/g, (_, tag: string, inner: string) => `<${tag}><span style="font-size:${minPx.toFixed(2)}px">${inner}</span></${tag}>`);
}

/** The layout size in pixels and the font size in pixels of a preset. */
export function presetPixels(p: Preset): { width: number; height: number; fontPx: number } {
  return { width: Math.round(p.widthIn * PX_PER_INCH), height: Math.round(p.heightIn * PX_PER_INCH), fontPx: (p.fontPt * PX_PER_INCH) / 72 };
}

/** Points at print size of a text of `px` pixels in a figure laid out `layoutWidth` px wide and printed `widthIn` inches wide. */
export function printedPoints(px: number, layoutWidth: number, widthIn: number): number {
  return (px * widthIn * 72) / layoutWidth;
}

/**
 * Finish a builder's figure (notebooks): axes fitted to the data, log axes at decades or design values,
 * the legend placed where it covers no data (outside to the right when no corner is free, the figure then
 * widened by the legend, up to 900 px).
 */
export function finishFigure(figure: Figure, options: { legend?: string; designX?: boolean | readonly number[] } = {}): Figure {
  figure.meta = { ...figure.meta, legend: options.legend ?? 'auto', designX: options.designX };
  fitAxes(figure, { designX: options.designX });
  const placed = placeLegend(figure, { outside: 'right', force: options.legend === 'auto' ? undefined : options.legend });
  if (placed === 'outside') {
    // Beside the axes: widen the figure by the legend (up to a notebook's 900 px) so the plot keeps its width.
    const font = ((figure.layout.legend as { font?: { size?: number } }).font?.size ?? 11) as number;
    figure.layout.width = Math.min(900, (figure.layout.width as number) + legendSize(legendEntries(figure), font).width + 12);
  }
  return figure;
}

/**
 * Height of a horizontal legend of these entries wrapped into rows of at most `width` px, as Plotly lays it
 * out: each entry as wide as `legendSize` estimates it (generously: a wrap Plotly makes that the estimate
 * missed would leave the legend taller than the room made for it), a row 1.3 em + 4.5 px (what Plotly
 * draws at 8.5 pt: 18.7 px), 10 px of padding.
 */
export function legendRowsHeight(entries: readonly string[], fontPx: number, width: number): number {
  let rows = 1;
  let used = 0;
  for (const e of entries) {
    const w = legendSize([e], fontPx).width;
    if (used > 0 && used + w > width) {
      rows++;
      used = 0;
    }
    used += w;
  }
  return rows * (1.3 * fontPx + 4.5) + 10;
}

/** The largest share of a print figure's height its legend may take above the plot (checkFigureLayout's default). */
export const MAX_LEGEND_SHARE = 0.2;

/**
 * Shorten legend entries "name: detail" (a fitted slope, a speedup exponent) to "name"; returns the full
 * entries (plain text), which go to the figure's caption (`meta.legendNotes`), or [] when none has a detail.
 */
export function compactLegend(figure: Figure): string[] {
  const notes: string[] = [];
  for (const t of figure.data) {
    if (t.showlegend === false || typeof t.name !== 'string' || !t.name.includes(': ')) continue;
    notes.push(plainText(t.name));
    t.name = t.name.slice(0, t.name.indexOf(': '));
  }
  return notes;
}

/**
 * The print version of a figure: the preset's size, every text at the preset's font size, thinner lines,
 * no title (it goes to the caption and the file's metadata: `figure.meta`), the axes re-fitted and the
 * legend placed again for the new size (outside above the axes when no corner is free; the figure then
 * grows by the legend's height, so the plot area keeps the preset's size; a legend that would still take more
 * than MAX_LEGEND_SHARE of the height makes the plot taller, up to a square).
 */
export function paperFigure(figure: Figure, preset: Preset | 'column' | 'page'): Figure {
  const p = typeof preset === 'string' ? PRESETS[preset] : preset;
  const { width, height, fontPx } = presetPixels(p);
  const fig: Figure = JSON.parse(JSON.stringify(figure));
  const layout = fig.layout;
  const font = { family: FONT.family, size: fontPx, color: FONT.color };
  Object.assign(layout, { width, height, font, title: { text: '' }, margin: { l: 56, r: 10, t: 10, b: 42 } });
  for (const key of Object.keys(layout).filter((k) => /^[xy]axis\d*$/.test(k))) {
    const axis = layout[key] as Record<string, unknown>;
    const title = (axis.title ?? {}) as Record<string, unknown>;
    Object.assign(axis, { tickfont: { size: fontPx }, title: { ...title, font: { size: fontPx }, standoff: 4 }, automargin: true, ticklen: 3 });
    if (axis.range && axis.autorange === false) delete axis.range;
  }
  layout.legend = { ...(layout.legend as Record<string, unknown>), font: { size: fontPx }, borderwidth: 0, bgcolor: 'rgba(255,255,255,0.9)', itemwidth: 30, tracegroupgap: 0 };
  for (const t of fig.data) {
    const line = t.line as Record<string, unknown> | undefined;
    if (line && typeof line.width === 'number' && line.width > 0) line.width = Math.min(line.width, 1.6);
    const marker = t.marker as Record<string, unknown> | undefined;
    if (marker && typeof marker.size === 'number') marker.size = Math.min(marker.size, 5);
    const cb = (t as { colorbar?: Record<string, unknown> }).colorbar;
    if (cb) Object.assign(cb, { tickfont: { size: fontPx }, title: { ...(cb.title as Record<string, unknown>), font: { size: fontPx } } });
  }
  const annotations = layout.annotations as Record<string, unknown>[] | undefined;
  if (annotations) for (const a of annotations) a.font = { size: fontPx };
  fitAxes(fig, { designX: figure.meta?.designX });
  // Every legend entry in a group of its own (a trace of a group keeps it): Plotly then lays a horizontal
  // legend out entry by entry at its own width, as legendRowsHeight counts, where ungrouped entries would
  // each take the widest one's width.
  fig.data.forEach((t, i) => {
    if (t.legendgroup === undefined && t.showlegend !== false) t.legendgroup = `entry ${i}`;
  });
  const legend = figure.meta?.legend;
  const force = legend === 'auto' || legend === undefined ? undefined : legend;
  let placed = placeLegend(fig, { outside: 'above', force });
  // Above the axes the legend makes the figure taller (the plot keeps the preset's size), by at most
  // MAX_LEGEND_SHARE of the whole: else its entries' details go to the caption, then a legend that crosses
  // two variables is factored into a key per colour and per style (legendKey.ts), and if it is still too
  // tall it goes beside the plot when that leaves the plot 60% of the width (else it stays above, and the
  // layout check says so).
  const above = () => legendRowsHeight(legendEntries(fig), fontPx, plotArea(layout).W);
  const tooTall = () => placed === 'outside' && above() > (MAX_LEGEND_SHARE / (1 - MAX_LEGEND_SHARE)) * height;
  if (tooTall() && force === undefined) {
    const notes = compactLegend(fig);
    if (notes.length > 0) {
      fig.meta = { ...fig.meta, legendNotes: notes };
      placed = placeLegend(fig, { outside: 'above' });
    }
  }
  if (tooTall() && force === undefined) {
    const factored: Figure = JSON.parse(JSON.stringify(fig));
    if (factorLegend(factored) && legendRowsHeight(legendEntries(factored), fontPx, plotArea(layout).W) < above()) {
      fig.data = factored.data;
      placed = placeLegend(fig, { outside: 'above' });
    }
  }
  const beside = legendSize(legendEntries(fig), fontPx).width;
  if (tooTall() && beside <= 0.4 * width) {
    Object.assign(layout.legend as Record<string, unknown>, { orientation: 'v', x: 1.02, xanchor: 'left', y: 1, yanchor: 'top' });
    (layout.margin as Record<string, number>).r = Math.ceil(beside) + 10;
  } else if (placed === 'outside') {
    // A legend that is still too tall (many entries, none of them shorter) makes the plot taller instead, up
    // to a square, so that it takes MAX_LEGEND_SHARE of the whole; beyond that it stays too tall and the
    // layout check says so.
    const plotHeight = tooTall() && force === undefined ? Math.min(width, Math.ceil(above() * ((1 - MAX_LEGEND_SHARE) / MAX_LEGEND_SHARE))) : height;
    layout.height = Math.max(height, plotHeight) + above();
  }
  const minPx = (MIN_PRINT_PT * PX_PER_INCH * width) / (p.widthIn * 72 * PX_PER_INCH);
  const fix = (v: unknown) => (typeof v === 'string' ? printableScripts(v, minPx) : v);
  for (const t of fig.data) t.name = fix(t.name);
  for (const key of Object.keys(layout).filter((k) => /^[xy]axis\d*$/.test(k))) {
    const axis = layout[key] as Record<string, unknown>;
    const title = axis.title as Record<string, unknown>;
    title.text = fix(title.text);
    if (Array.isArray(axis.ticktext)) axis.ticktext = axis.ticktext.map(fix);
  }
  return fig;
}
