import type { RateFit } from '../analysis/rateFit';
import type { Speedup } from '../analysis/speedup';
import { type AxesOptions, baseLayout, colour, DASHES, type Figure, SYMBOLS, type Trace } from './figure';
import { formatNumber, powerLaw } from './notation';
import { finishFigure } from './presets';

/** One fitted series of a rate figure. */
export interface RateSeries {
  name: string;
  fit: RateFit;
}

/** "slope −0.91 ± 0.06" (real minus; the CI's half-width), with the fitted window when a plateau was left out. */
export function slopeLabel(fit: RateFit): string {
  const half = (fit.slopeCI[1] - fit.slopeCI[0]) / 2;
  const window = fit.plateauExcluded > 0 ? ` (fitted to ${formatNumber(fit.window.from, { significant: 3 })}–${formatNumber(fit.window.to, { significant: 3 })}, before the plateau)` : '';
  return `slope ${formatNumber(fit.slope)} ± ${half.toFixed(2)}${window}`;
}

/**
 * The points a rate was fitted to (markers) and the fitted line (dashed), one colour and marker per series;
 * the legend reads "name: slope b ± half-width of its CI". `reference` adds a grey line of a theoretical
 * slope through the first series' first fitted point (e.g. −1 for Theorem 1).
 */
export function rateFigure(series: readonly RateSeries[], o: AxesOptions & { reference?: { slope: number; label: string } } = {}): Figure {
  const data: Trace[] = [];
  series.forEach(({ name, fit }, i) => {
    const c = colour(i);
    const marker = { color: c, size: 7, symbol: SYMBOLS[i % SYMBOLS.length] };
    const line = { color: c, width: 2, dash: DASHES[(i % (DASHES.length - 1)) + 1] };
    data.push({ type: 'scatter', mode: 'markers', x: fit.points.map((p) => p.x), y: fit.points.map((p) => p.y), name, legendgroup: name, showlegend: false, marker });
    data.push({ type: 'scatter', mode: 'lines', x: fit.line.x, y: fit.line.y, name: `${name} fit`, legendgroup: name, showlegend: false, line });
    // The legend entry: a trace whose one point is missing (Plotly lists no trace without points) that draws
    // the series' marker on its line, as the plot shows them (the points' trace alone would give a marker
    // sample, the line's alone a line sample).
    data.push({ type: 'scatter', mode: 'lines+markers', x: [null], y: [null], name: `${name}: ${slopeLabel(fit)}`, legendgroup: name, line, marker, hoverinfo: 'skip' });
  });
  if (o.reference && series.length > 0 && series[0].fit.points.length > 0) {
    const first = series[0].fit;
    const x0 = first.points[0].x;
    const y0 = first.line.y[0];
    const xs = first.line.x;
    data.push({
      type: 'scatter',
      mode: 'lines',
      x: xs,
      y: xs.map((x) => (first.scale === 'log-log' ? y0 * (x / x0) ** o.reference!.slope : y0 * Math.exp(o.reference!.slope * (x - x0)))),
      name: o.reference.label,
      line: { color: '#888', width: 1.5, dash: 'dot' },
    });
  }
  const log = series[0]?.fit.scale !== 'semi-log';
  const stats = [...new Set(series.map((s) => s.fit.pointStatistic))];
  const statistic = o.statistic ?? `points: ${stats.join('; ')}; lines: OLS on logs, ${Math.round(100 * 0.95)}% t-interval of the slope`;
  const layout = baseLayout({ logX: log, logY: true, ...o, statistic });
  return finishFigure({ data, layout, meta: { title: o.title, provenance: o.subtitle, statistic } }, { legend: o.legend });
}

/** One series of a speedup figure (e.g. one oracle or batch size). */
export interface SpeedupSeries {
  name: string;
  speedup: Speedup;
}

/**
 * The speedup value(N_min)/value(N) at a fixed budget against N, with the interval implied by the CI of
 * value(N) (value(N_min)/hi … value(N_min)/lo; the base's own uncertainty is not included), and the ideal
 * line (N/N_min)^(−idealExponent): N-fold for Theorem 1 (idealExponent −1), √N-fold for Theorem 2 (−½).
 * The legend gives the exponent of the speedup itself, "speedup ∝ N^(0.71 ± 0.19)", with its sign: it is
 * minus the fitted exponent of value(N), so rising curves carry a positive exponent.
 */
export function speedupFigure(series: readonly SpeedupSeries[], o: AxesOptions & { idealExponent: number; idealLabel?: string }): Figure {
  const data: Trace[] = [];
  let Ns: number[] = [];
  const mid = (series.length - 1) / 2;
  series.forEach(({ name, speedup }, i) => {
    const c = colour(i);
    const base = speedup.rows[0].value.mean;
    const rows = speedup.rows;
    Ns = rows.map((r) => r.N);
    const shift = 10 ** (0.012 * (i - mid));
    const e = speedup.exponent;
    const label = e ? `${name}: speedup ∝ ${powerLaw('N', -e.exponent, (e.ci[1] - e.ci[0]) / 2)}` : name;
    data.push({
      type: 'scatter',
      mode: 'lines+markers',
      x: Ns.map((N) => N * shift),
      y: rows.map((r) => r.speedup),
      name: label,
      line: { color: c, width: 2, dash: DASHES[i % DASHES.length] },
      marker: { color: c, size: 7, symbol: SYMBOLS[i % SYMBOLS.length] },
      error_y: {
        type: 'data',
        symmetric: false,
        array: rows.map((r) => (r.value.lo > 0 ? base / r.value.lo - r.speedup : 0)),
        arrayminus: rows.map((r) => (Number.isFinite(r.value.hi) && r.value.hi > 0 ? r.speedup - base / r.value.hi : 0)),
        color: c,
        thickness: 1.2,
        width: 3,
      },
    });
  });
  if (Ns.length > 0) {
    data.push({ type: 'scatter', mode: 'lines', x: Ns, y: Ns.map((N) => (N / Ns[0]) ** -o.idealExponent), name: o.idealLabel ?? `ideal: ${powerLaw('N', -o.idealExponent)}`, line: { color: '#888', dash: 'dot', width: 1.5 } });
  }
  const stats = [...new Set(series.map((s) => s.speedup.statistic))];
  const statistic = o.statistic ?? `value(N): ${stats.join('; ')}; bars: value(N_min) / CI of value(N); exponents: OLS over all N shown, ± half-width of the 95% t-interval`;
  const layout = baseLayout({ logX: true, logY: true, xTitle: 'agents N', yTitle: 'speedup over the smallest N', ...o, statistic });
  return finishFigure({ data, layout, meta: { title: o.title, provenance: o.subtitle, statistic } }, { legend: o.legend, designX: Ns });
}
