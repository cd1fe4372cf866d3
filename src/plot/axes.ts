import type { Figure, Trace } from './figure';
import { formatNumber } from './notation';

/** A trace's coordinates as numbers; a missing point (null, as Plotly takes it) is NaN, not Number(null) = 0. */
export function coordinates(t: Trace, axis: 'x' | 'y'): number[] {
  return ((t[axis] as unknown[]) ?? []).map((v) => (v === null || v === undefined ? NaN : Number(v)));
}

/** The numbers a trace draws on one axis: points, band edges and error-bar ends. */
export function traceValues(t: Trace, axis: 'x' | 'y'): number[] {
  const v = coordinates(t, axis);
  const out = [...v];
  const err = t[`error_${axis}`] as { array?: number[]; arrayminus?: number[]; visible?: boolean } | undefined;
  if (err && err.visible !== false && err.array) {
    v.forEach((c, i) => {
      out.push(c + (err.array?.[i] ?? 0));
      out.push(c - (err.arrayminus?.[i] ?? err.array?.[i] ?? 0));
    });
  }
  return out.filter(Number.isFinite);
}

/**
 * The range an axis needs for every drawn value, in Plotly's units (log₁₀ on log axes), padded by `pad`
 * of its span on each side (markers and error-bar caps stay inside). Null when there is nothing to draw.
 */
export function dataRange(values: readonly number[], log: boolean, pad = 0.05): [number, number] | null {
  const u = (log ? values.filter((v) => v > 0).map(Math.log10) : [...values]).filter(Number.isFinite);
  if (u.length === 0) return null;
  let lo = Math.min(...u);
  let hi = Math.max(...u);
  if (hi - lo < 1e-12) {
    lo -= log ? 0.5 : Math.abs(lo) * 0.1 + 1;
    hi += log ? 0.5 : Math.abs(hi) * 0.1 + 1;
  }
  const span = hi - lo;
  return [lo - pad * span, hi + pad * span];
}

/**
 * Ticks of a log axis, as `tickvals`/`ticktext`, always at least three labelled ones (two decade labels
 * leave the reader to guess the scale): at the plotted values when there are few of them (≤ 8 distinct
 * design values such as N = 1, 2, 4, 8, 16; with round values of the range added when there are only one
 * or two), else at decades when the range holds three or more (every k-th
 * so that at most `maxTicks` are labelled), else at 1–2–5 multiples (1–2–3–5 or every integer multiple
 * when they give fewer than three). Labels are numbers
 * with a real minus, or 10<sup>k</sup> when a decade lies outside 10⁻²…10³.
 */
export function logTicks(range: [number, number], plotted: readonly number[] | null, maxTicks = 6): { tickvals: number[]; ticktext: string[] } {
  const [lo, hi] = range;
  if (plotted && plotted.length > 0) {
    // Design values label the axis; two of them (H = 1, 5) get the round values between them as well.
    const design = [...new Set(plotted)];
    const vals = design.length >= 3 ? design : [...new Set([...design, ...logTicks(range, null, maxTicks).tickvals])];
    vals.sort((a, b) => a - b);
    return { tickvals: vals, ticktext: vals.map((v) => formatNumber(v, { significant: 3 })) };
  }
  const first = Math.ceil(lo - 1e-9);
  const last = Math.floor(hi + 1e-9);
  const decades = last - first + 1;
  if (decades >= 3) {
    const step = Math.max(1, Math.ceil(decades / maxTicks));
    const ks: number[] = [];
    for (let k = last; k >= first; k -= step) ks.unshift(k);
    const power = ks.some((k) => k < -2 || k > 3);
    return { tickvals: ks.map((k) => 10 ** k), ticktext: ks.map((k) => (power ? `10<sup>${formatNumber(k, { digits: 0 })}</sup>` : formatNumber(10 ** k, { significant: 1 }))) };
  }
  // Under three decades (at most 8 multiples): 1–2–5 multiples, else 1–2–3–5, else every integer multiple.
  const multiplesIn = (ms: readonly number[]) => {
    const vals: number[] = [];
    for (let k = Math.floor(lo) - 1; k <= Math.ceil(hi); k++) for (const m of ms) vals.push(Number((m * 10 ** k).toPrecision(12)));
    return vals.filter((v) => Math.log10(v) >= lo - 1e-9 && Math.log10(v) <= hi + 1e-9);
  };
  const coarse = multiplesIn([1, 2, 5]);
  const finer = multiplesIn([1, 2, 3, 5]);
  const every = multiplesIn([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const inside = coarse.length >= 3 ? coarse : finer.length >= 3 ? finer : every.length >= 3 ? every : linearTicks(10 ** lo, 10 ** hi);
  return { tickvals: inside, ticktext: inside.map((v) => formatNumber(v, { significant: 2 })) };
}

/** Three to six evenly spaced round values (steps 1, 2 or 5 × 10^k) in [a, b]: ticks of a log axis spanning less than a factor of 3. */
export function linearTicks(a: number, b: number): number[] {
  const raw = (b - a) / 4;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((st) => Math.floor(b / st) - Math.ceil(a / st) + 1 <= 6) ?? 10 * p;
  const vals: number[] = [];
  for (let k = Math.ceil(a / step - 1e-9); k * step <= b * (1 + 1e-12); k++) vals.push(Number((k * step).toPrecision(12)));
  return vals;
}

/**
 * Fix each axis's range to the drawn data (so legend placement knows where the data are) and give log axes
 * decade or design-value ticks. `designX`: label a log x axis at the plotted x values when there are at most
 * 8 of them (default true), or at the values given (when points are dodged sideways off their design values).
 */
export function fitAxes(figure: Figure, options: { designX?: boolean | readonly number[] } = {}): void {
  const layout = figure.layout;
  for (const axis of ['x', 'y'] as const) {
    const spec = layout[`${axis}axis`] as Record<string, unknown> | undefined;
    if (!spec) continue;
    const traces = figure.data.filter((t) => (t.type ?? 'scatter') === 'scatter' && (t[`${axis}axis`] ?? axis) === axis);
    if (traces.length === 0 || traces.length !== figure.data.filter((t) => (t[`${axis}axis`] ?? axis) === axis).length) continue;
    const log = spec.type === 'log';
    const range = dataRange(traces.flatMap((t) => traceValues(t, axis)), log);
    if (!range) continue;
    spec.range = range;
    spec.autorange = false;
    if (log) {
      const markers = traces.filter((t) => String(t.mode ?? '').includes('markers') || t.error_y);
      const xs = axis === 'x' && (options.designX ?? true) ? [...new Set(markers.flatMap((t) => coordinates(t, 'x').filter(Number.isFinite)))] : [];
      const given = Array.isArray(options.designX) ? [...(options.designX as number[])] : null;
      const plotted = axis === 'x' && given ? given : xs.length > 0 && xs.length <= 8 && traces.every((t) => coordinates(t, 'x').every((x) => xs.includes(x) || !Number.isFinite(x) || t.hoverinfo === 'skip')) ? xs : null;
      Object.assign(spec, logTicks(range, plotted), { tickmode: 'array', minor: { showgrid: false, ticks: '' } });
    }
  }
}
