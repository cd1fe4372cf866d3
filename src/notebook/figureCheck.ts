import type { Figure } from '../plot/figure';
import { plotlyPage, scheduleClose } from './chromium';

/** One problem a drawn figure has. */
export interface LayoutProblem {
  kind: 'legend-covers-data' | 'title-overlaps-ticks' | 'text-too-small' | 'text-clipped';
  detail: string;
}

/** What `checkFigureLayout` measured. */
export interface LayoutCheck {
  problems: LayoutProblem[];
  /** Counts of what was measured (so a test can tell that the check looked at something). */
  measured: { legend: boolean; linePoints: number; markers: number; errorBars: number; fills: number; axisTitles: number; tickLabels: number; texts: number; smallestPt: number };
}

// The check runs inside the page (plain JavaScript: the package is compiled without DOM types).
const IN_PAGE_CHECK = `async ({ fig, widthIn, minPt, tol }) => {
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
        const titles = Array.from(div.querySelectorAll('.xtitle, .ytitle')).filter((t) => (t.textContent ?? '').trim() !== '');
        const ticks = Array.from(div.querySelectorAll('.xtick text, .ytick text')).filter((t) => (t.textContent ?? '').trim() !== '');
        for (const t of titles) for (const k of ticks) if (meets(shrink(t.getBoundingClientRect()), shrink(k.getBoundingClientRect()))) problems.push({ kind: 'title-overlaps-ticks', detail: \`axis title "\${t.textContent}" overlaps tick label "\${k.textContent}"\` });
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
        const measured = { legend: legend !== null, linePoints, markers, errorBars, fills, axisTitles: titles.length, tickLabels: ticks.length, texts, smallestPt };
        P.purge(div);
        div.remove();
        return { problems, measured };
      }`;

/**
 * Draw a figure with plotly.js in headless Chromium and check, from the drawn SVG elements' bounding boxes:
 * - the legend (`.legend`) covers no data: no marker (`.points path`) or error bar (`.errorbar path`) box
 *   meets it, no point sampled every 1.5 px along a line (`.js-line`) falls in it, and no CI band
 *   (`.js-fill`) contains a point of a grid over it;
 * - no axis title (`.xtitle`, `.ytitle`) overlaps a tick label (`.xtick text`, `.ytick text`);
 * - every text lies inside the figure (nothing is cut off at its edges);
 * - every text and tspan prints at ≥ `minPt` points when the figure (laid out `layout.width` px wide) is
 *   printed `widthIn` inches wide.
 * Boxes are shrunk by `tolerance` px (default 0.5) so that touching is not overlapping.
 */
export async function checkFigureLayout(figure: Figure, options: { widthIn: number; minPt?: number; tolerance?: number }): Promise<LayoutCheck> {
  const page = await plotlyPage();
  try {
    const args = { fig: { data: figure.data, layout: figure.layout }, widthIn: options.widthIn, minPt: options.minPt ?? 8, tol: options.tolerance ?? 0.5 };
    return (await page.evaluate(`(${IN_PAGE_CHECK})(${JSON.stringify(args)})`)) as LayoutCheck;
  } finally {
    scheduleClose();
  }
}
