import type { RateFit } from '../analysis/rateFit';
import type { Speedup } from '../analysis/speedup';
import { type AxesOptions, baseLayout, colour, type Figure, type Trace } from './figure';

/** One fitted series of a rate figure. */
export interface RateSeries {
  name: string;
  fit: RateFit;
}

/**
 * The points a rate was fitted to (markers) and the fitted line (dashed), one colour per series; the
 * legend reads "name: slope b ± half-width of its 95% CI". `reference` adds a grey line of a theoretical
 * slope through the first series' first fitted point (e.g. −1 for Theorem 1).
 */
export function rateFigure(series: readonly RateSeries[], o: AxesOptions & { reference?: { slope: number; label: string } } = {}): Figure {
  const data: Trace[] = [];
  series.forEach(({ name, fit }, i) => {
    const c = colour(i);
    const half = (fit.slopeCI[1] - fit.slopeCI[0]) / 2;
    data.push({ type: 'scatter', mode: 'markers', x: fit.points.map((p) => p.x), y: fit.points.map((p) => p.y), name, legendgroup: name, showlegend: false, marker: { color: c, size: 7 } });
    data.push({
      type: 'scatter',
      mode: 'lines',
      x: fit.line.x,
      y: fit.line.y,
      name: `${name}: slope ${fit.slope.toFixed(2)} ± ${half.toFixed(2)}`,
      legendgroup: name,
      line: { color: c, width: 2, dash: 'dash' },
    });
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
  return { data, layout: baseLayout({ logX: log, logY: true, legend: 'bottom-left', ...o }) };
}

/** One series of a speedup figure (e.g. one oracle or batch size). */
export interface SpeedupSeries {
  name: string;
  speedup: Speedup;
}

/**
 * The speedup value(N_min)/value(N) at a fixed budget against N, with the interval implied by the CI of
 * value(N) (value(N_min)/hi … value(N_min)/lo), and the ideal line (N/N_min)^(−idealExponent): N-fold for
 * Theorem 1 (idealExponent −1), √N-fold for Theorem 2 (−½). The legend gives each fitted exponent ± CI.
 */
export function speedupFigure(series: readonly SpeedupSeries[], o: AxesOptions & { idealExponent: number; idealLabel?: string }): Figure {
  const data: Trace[] = [];
  let Ns: number[] = [];
  series.forEach(({ name, speedup }, i) => {
    const c = colour(i);
    const base = speedup.rows[0].value.mean;
    const rows = speedup.rows;
    Ns = rows.map((r) => r.N);
    const e = speedup.exponent;
    const label = e ? `${name}: N^${e.exponent.toFixed(2)} ± ${((e.ci[1] - e.ci[0]) / 2).toFixed(2)}` : name;
    data.push({
      type: 'scatter',
      mode: 'lines+markers',
      x: Ns,
      y: rows.map((r) => r.speedup),
      name: label,
      line: { color: c, width: 2 },
      marker: { color: c, size: 7 },
      error_y: {
        type: 'data',
        symmetric: false,
        array: rows.map((r) => (r.value.lo > 0 ? base / r.value.lo - r.speedup : 0)),
        arrayminus: rows.map((r) => (Number.isFinite(r.value.hi) ? r.speedup - base / r.value.hi : 0)),
        color: c,
        thickness: 1.2,
        width: 3,
      },
    });
  });
  if (Ns.length > 0) {
    data.push({ type: 'scatter', mode: 'lines', x: Ns, y: Ns.map((N) => (N / Ns[0]) ** -o.idealExponent), name: o.idealLabel ?? `ideal (N^${-o.idealExponent})`, line: { color: '#888', dash: 'dot', width: 1.5 } });
  }
  return { data, layout: baseLayout({ logX: true, logY: true, xTitle: 'agents N', yTitle: 'speedup over the smallest N', legend: 'top-left', ...o }) };
}
