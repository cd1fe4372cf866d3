import type { Figure } from '../plot/figure';
import { legendSampleProblems } from '../plot/legendSamples';
import { MAX_LEGEND_SHARE } from '../plot/presets';
import { plotlyPage, scheduleClose } from './chromium';

/** One problem a drawn figure has. */
export interface LayoutProblem {
  kind: 'legend-covers-data' | 'title-overlaps-ticks' | 'figure-title-overlaps' | 'legend-too-tall' | 'legend-sample' | 'too-few-ticks' | 'text-too-small' | 'text-clipped';
  detail: string;
}

/** What `checkFigureLayout` measured. */
export interface LayoutCheck {
  problems: LayoutProblem[];
  /** Counts of what was measured (so a test can tell that the check looked at something). */
  measured: {
    legend: boolean;
    linePoints: number;
    markers: number;
    errorBars: number;
    fills: number;
    axisTitles: number;
    tickLabels: number;
    texts: number;
    smallestPt: number;
    /** Lines of the figure's title (title, subtitle and statistic lines) that were checked. */
    titleLines: number;
    /** The legend's height as a share of the figure's, when it lies above or below the plot (else 0). */
    legendShare: number;
    /** Labelled ticks of each axis, by axis id ('x', 'y', 'x2', …). */
    ticksPerAxis: Record<string, number>;
  };
}

/** Options of `checkFigureLayout`. */
export interface LayoutCheckOptions {
  /** Inches the figure prints at (its layout width maps to this): the text size check's scale. */
  widthIn: number;
  /** Smallest text size at print size, in points (default 8; 0 switches the check off). */
  minPt?: number;
  /** Boxes are shrunk by this many px before overlap tests, so touching is not overlapping (default 0.5). */
  tolerance?: number;
  /**
   * Largest share of the figure's height a legend above or below the plot may take (default 0.22: print
   * presets aim at 20% from estimated text widths, `MAX_LEGEND_SHARE`; the drawn legend may take 2 points more).
   */
  maxLegendShare?: number;
  /** Fewest labelled ticks per axis (default 3; a category axis with fewer categories needs all of them). */
  minTicks?: number;
}

// The check runs inside the page (plain JavaScript: the package is compiled without DOM types).
const IN_PAGE_CHECK = `async ({ fig, widthIn, minPt, tol, maxLegendShare, minTicks }) => {
        const P = globalThis.Plotly;
        const div = document.createElement('div');
        document.body.appendChild(div);
        await P.newPlot(div, fig.data, fig.layout, { staticPlot: true });
        const problems = [];
        const shrink = (r) => ({ left: r.left + tol, right: r.right - tol, top: r.top + tol, bottom: r.bottom - tol });
        const meets = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
        const name = (el) => el.closest('.trace')?.getAttribute('class') ?? el.getAttribute('class') ?? '';
        const legendEl = div.querySelector('.legend');
        const legend = legendEl ? shrink(legendEl.getBoundingClientRect()) : null;
        let linePoints = 0;
        let markers = 0;
        let errorBars = 0;
        let fills = 0;
        if (legend) {
          for (const path of Array.from(div.querySelectorAll('.scatterlayer .js-line'))) {
            const ctm = path.getScreenCTM();
            const len = path.getTotalLength();
            if (!ctm || !(len > 0)) continue;
            for (let s = 0; s <= len; s += 1.5) {
              const p = path.getPointAtLength(s).matrixTransform(ctm);
              linePoints++;
              if (p.x > legend.left && p.x < legend.right && p.y > legend.top && p.y < legend.bottom) {
                problems.push({ kind: 'legend-covers-data', detail: \`a line of \${name(path)} passes under the legend at (\${p.x.toFixed(0)}, \${p.y.toFixed(0)})\` });
                break;
              }
            }
          }
          for (const m of Array.from(div.querySelectorAll('.scatterlayer .points path'))) {
            markers++;
            if (meets(shrink(m.getBoundingClientRect()), legend)) problems.push({ kind: 'legend-covers-data', detail: \`a marker of \${name(m)} is under the legend\` });
          }
          for (const e of Array.from(div.querySelectorAll('.scatterlayer .errorbar path'))) {
            errorBars++;
            if (meets(shrink(e.getBoundingClientRect()), legend)) problems.push({ kind: 'legend-covers-data', detail: \`an error bar of \${name(e)} is under the legend\` });
          }
          for (const f of Array.from(div.querySelectorAll('.scatterlayer .js-fill'))) {
            const ctm = f.getScreenCTM();
            if (!ctm || !f.getAttribute('d')) continue;
            fills++;
            const inv = ctm.inverse();
            let hit = false;
            for (let gx = 0; gx <= 8 && !hit; gx++) {
              for (let gy = 0; gy <= 4 && !hit; gy++) {
                const q = new DOMPoint(legend.left + ((legend.right - legend.left) * gx) / 8, legend.top + ((legend.bottom - legend.top) * gy) / 4).matrixTransform(inv);
                hit = f.isPointInFill(q);
              }
            }
            if (hit) problems.push({ kind: 'legend-covers-data', detail: \`the legend lies on the CI band of \${name(f)}\` });
          }
        }
        const titles = Array.from(div.querySelectorAll('.g-xtitle text, .g-ytitle text, .xtitle, .ytitle')).filter((t, i, all) => (t.textContent ?? '').trim() !== '' && all.indexOf(t) === i);
        const axes = Object.values(div._fullLayout).filter((a) => a && typeof a === 'object' && a._id && /^[xy]\\d*$/.test(a._id) && a.visible !== false && a.showticklabels !== false);
        const ticks = [];
        const ticksPerAxis = {};
        for (const a of axes) {
          const own = Array.from(div.querySelectorAll('.' + a._id + 'tick text')).filter((t) => (t.textContent ?? '').trim() !== '');
          ticks.push(...own);
          ticksPerAxis[a._id] = own.length;
          const categories = a.type === 'category' ? (a._categories ?? []).length : Infinity;
          const needed = Math.min(minTicks, categories);
          if (own.length < needed) problems.push({ kind: 'too-few-ticks', detail: \`axis \${a._id} (\${(a.title && a.title.text) || 'untitled'}) has \${own.length} labelled tick\${own.length === 1 ? '' : 's'}, fewer than \${needed}\` });
        }
        for (const t of titles) for (const k of ticks) if (meets(shrink(t.getBoundingClientRect()), shrink(k.getBoundingClientRect()))) problems.push({ kind: 'title-overlaps-ticks', detail: \`axis title "\${t.textContent}" overlaps tick label "\${k.textContent}"\` });
        // The figure's title, line by line (title, then the subtitle and statistic lines): off the plot area,
        // the tick labels, the axis titles and the legend.
        const svgBox = div.querySelector('.main-svg').getBoundingClientRect();
        const size = div._fullLayout._size;
        const plotArea = { left: svgBox.left + size.l, top: svgBox.top + size.t, right: svgBox.left + size.l + size.w, bottom: svgBox.top + size.t + size.h };
        const titleEl = div.querySelector('.g-gtitle .gtitle');
        const titleLines = titleEl ? (titleEl.querySelectorAll('tspan.line').length > 0 ? Array.from(titleEl.querySelectorAll('tspan.line')) : [titleEl]).filter((l) => (l.textContent ?? '').trim() !== '') : [];
        const legendBox = legendEl ? legendEl.getBoundingClientRect() : null;
        for (const line of titleLines) {
          const r = shrink(line.getBoundingClientRect());
          const text = (line.textContent ?? '').slice(0, 40);
          if (meets(r, plotArea)) problems.push({ kind: 'figure-title-overlaps', detail: \`title line "\${text}" lies on the plot area\` });
          for (const k of ticks) if (meets(r, shrink(k.getBoundingClientRect()))) problems.push({ kind: 'figure-title-overlaps', detail: \`title line "\${text}" overlaps tick label "\${k.textContent}"\` });
          for (const t of titles) if (meets(r, shrink(t.getBoundingClientRect()))) problems.push({ kind: 'figure-title-overlaps', detail: \`title line "\${text}" overlaps axis title "\${t.textContent}"\` });
          if (legendBox && meets(r, shrink(legendBox))) problems.push({ kind: 'figure-title-overlaps', detail: \`title line "\${text}" overlaps the legend\` });
        }
        // A legend above or below the plot (it spans the plot's columns outside its rows) takes the figure's height.
        let legendShare = 0;
        if (legendBox) {
          const besideRows = legendBox.bottom <= plotArea.top + tol || legendBox.top >= plotArea.bottom - tol;
          const overColumns = legendBox.left < plotArea.right && legendBox.right > plotArea.left;
          if (besideRows && overColumns) {
            legendShare = legendBox.height / svgBox.height;
            if (legendShare > maxLegendShare + 1e-9) problems.push({ kind: 'legend-too-tall', detail: \`the legend above or below the plot takes \${(100 * legendShare).toFixed(0)}% of the figure's height (at most \${(100 * maxLegendShare).toFixed(0)}%)\` });
          }
        }
        const width = fig.layout.width ?? div.getBoundingClientRect().width;
        let texts = 0;
        let smallestPt = Infinity;
        const frame = div.querySelector('.main-svg').getBoundingClientRect();
        for (const t of Array.from(div.querySelectorAll('text, tspan'))) {
          if ((t.textContent ?? '').trim() === '' || t.querySelector('tspan')) continue;
          const px = Number.parseFloat(getComputedStyle(t).fontSize);
          const pt = (px * widthIn * 72) / width;
          texts++;
          smallestPt = Math.min(smallestPt, pt);
          const r = t.getBoundingClientRect();
          if (r.left < frame.left - 0.5 || r.right > frame.right + 0.5 || r.top < frame.top - 0.5 || r.bottom > frame.bottom + 0.5) problems.push({ kind: 'text-clipped', detail: \`"\${(t.textContent ?? '').slice(0, 30)}" reaches outside the figure\` });
          if (pt < minPt - 1e-6) problems.push({ kind: 'text-too-small', detail: \`"\${(t.textContent ?? '').slice(0, 30)}" prints at \${pt.toFixed(2)} pt\` });
        }
        const measured = { legend: legend !== null, linePoints, markers, errorBars, fills, axisTitles: titles.length, tickLabels: ticks.length, texts, smallestPt, titleLines: titleLines.length, legendShare, ticksPerAxis };
        P.purge(div);
        div.remove();
        return { problems, measured };
      }`;

/**
 * Draw a figure with plotly.js in headless Chromium and check, from the drawn SVG elements' bounding boxes:
 * - the legend (`.legend`) covers no data: no marker (`.points path`) or error bar (`.errorbar path`) box
 *   meets it, no point sampled every 1.5 px along a line (`.js-line`) falls in it, and no CI band
 *   (`.js-fill`) contains a point of a grid over it;
 * - no axis title (`.xtitle`, `.ytitle`) overlaps a tick label (`.xtick text`, `.ytick text`, …);
 * - no line of the figure's title (the title, subtitle and statistic lines drawn in notebooks) lies on the
 *   plot area, a tick label, an axis title or the legend;
 * - a legend above or below the plot takes at most `maxLegendShare` of the figure's height (default 22%;
 *   beside the plot or inside it, it takes none);
 * - every legend entry's sample shows a marker when its data are drawn as markers (plot/legendSamples.ts);
 * - every axis has at least `minTicks` labelled ticks (default 3);
 * - every text lies inside the figure (nothing is cut off at its edges);
 * - every text and tspan prints at ≥ `minPt` points when the figure (laid out `layout.width` px wide) is
 *   printed `widthIn` inches wide.
 * Boxes are shrunk by `tolerance` px (default 0.5) so that touching is not overlapping.
 */
export async function checkFigureLayout(figure: Figure, options: LayoutCheckOptions): Promise<LayoutCheck> {
  const page = await plotlyPage();
  try {
    const args = { fig: { data: figure.data, layout: figure.layout }, widthIn: options.widthIn, minPt: options.minPt ?? 8, tol: options.tolerance ?? 0.5, maxLegendShare: options.maxLegendShare ?? MAX_LEGEND_SHARE + 0.02, minTicks: options.minTicks ?? 3 };
    const check = (await page.evaluate(`(${IN_PAGE_CHECK})(${JSON.stringify(args)})`)) as LayoutCheck;
    check.problems.push(...legendSampleProblems(figure).map((detail) => ({ kind: 'legend-sample' as const, detail })));
    return check;
  } finally {
    scheduleClose();
  }
}

/** The layout check of a figure as a notebook shows it (640 px wide on screen: no print size, so no text-size check). */
export function checkNotebookFigure(figure: Figure): Promise<LayoutCheck> {
  return checkFigureLayout(figure, { widthIn: ((figure.layout.width as number | undefined) ?? 640) / 96, minPt: 0 });
}
