import { FedPGError } from '../core/errors';
import { mean, ols, standardError, studentTQuantile } from '../core/stats';
import { bootstrapUnits } from './unitBootstrap';
import { type Frame, groupBy, numberAt, type Row, toRows } from './frame';

/** Options of `fitPerUnit`. */
export interface UnitFitOptions {
  /** The regressor: a column ('round', 'agents', …) or a function of a row. */
  x: string | ((row: Row) => number);
  /** The response column ('gap', 'gradNormSqAvg', …); fitted as ln y. */
  y: string;
  /** The column naming the independent unit of replication (default 'seed': one Garnet and one set of streams). */
  unit?: string;
  /**
   * A column grouping units (e.g. 'problemSeed' when several seeds run on each problem instance): the units'
   * slopes are averaged within each group first, and the interval is taken over groups (a two-stage fit:
   * the group is then the unit of replication).
   */
  group?: string;
  /** 'log-log' (default): ln y = a + b ln x, y ∝ x^b; 'semi-log': ln y = a + b x. */
  scale?: 'log-log' | 'semi-log';
  /** Keep points with from ≤ x ≤ to. */
  from?: number;
  to?: number;
  /** Keep points with y > above (default 0, so ln y exists; e.g. 1e-11 leaves out round-off). */
  above?: number;
  /** Level of the interval (default 0.95). */
  level?: number;
  /** 't' (default): Student-t over units; 'bootstrap': seeded percentile bootstrap over units. */
  interval?: 't' | 'bootstrap';
  /** Bootstrap resamples (default 4000) and seed. */
  resamples?: number;
  seed?: number;
}

/** One unit's own fit. */
export interface UnitSlope {
  unit: number | string;
  slope: number;
  intercept: number;
  /** Points fitted. */
  points: number;
}

/** The per-unit fit of a rate, summarised over units. */
export interface UnitFit {
  /** Mean of the units' (or groups') slopes. */
  slope: number;
  /** Its standard error over units (the spread of the slopes / √n). */
  se: number;
  lo: number;
  hi: number;
  level: number;
  /** Degrees of freedom of the t-interval (units − 1; NaN for a bootstrap). */
  df: number;
  /** Units (or groups) the interval is over. */
  units: number;
  /** What one unit is ('seed', 'problemSeed', …). */
  unit: string;
  /** Units left out because fewer than 3 of their points were usable, with the reason. */
  excluded: { unit: number | string; reason: string }[];
  perUnit: UnitSlope[];
  scale: 'log-log' | 'semi-log';
  /** The x range the units' points span (after `from`, `to` and `above`). */
  window: { from: number; to: number };
  /** The mean fitted curve exp(mean intercept + mean slope·u) at the x values fitted, for figures. */
  line: { x: number[]; y: number[] };
  /** "mean of per-seed OLS slopes over 8 seeds, 95% t-interval (7 df)". */
  statistic: string;
}

function xOf(x: UnitFitOptions['x']): (row: Row) => number {
  return typeof x === 'function' ? x : (row) => numberAt(row, x);
}

/**
 * A rate fitted per unit of replication, with the interval over units (the two-stage "summary statistics"
 * approach of repeated-measures analysis): for each unit u (a seed: one problem instance and one set of
 * random streams),
 *   ln y_{u,j} = a_u + b_u · φ(x_{u,j}),   φ = ln (log-log) or identity (semi-log),  by OLS over the unit's points;
 * then b̄ = (1/n) Σ_u b_u with the Student-t interval b̄ ± t_{(1+level)/2, n−1} s_b/√n (or a percentile
 * bootstrap over units). Points of one unit share random numbers (streams are keyed by seed, run, round and
 * agent, so the runs of one seed at different T or N are correlated); that correlation stays inside b_u, and
 * the units are independent, so the interval is valid without modelling it. Several rows of one unit at the
 * same x are averaged (in ln y) before the fit. With `group`, b̄ is first taken within each group and the
 * interval is over groups. Units with fewer than 3 usable points are left out and listed in `excluded`.
 */
export function fitPerUnit(frame: Frame, options: UnitFitOptions): UnitFit {
  const scale = options.scale ?? 'log-log';
  const unitColumn = options.unit ?? 'seed';
  const level = options.level ?? 0.95;
  const above = options.above ?? 0;
  const getX = xOf(options.x);
  const u = (x: number) => (scale === 'log-log' ? Math.log(x) : x);
  const rows = toRows(frame).filter((r) => {
    const x = getX(r);
    return (options.from === undefined || x >= options.from) && (options.to === undefined || x <= options.to);
  });
  const perUnit: (UnitSlope & { group: number | string })[] = [];
  const excluded: UnitFit['excluded'] = [];
  let xMin = Infinity;
  let xMax = -Infinity;
  const xs = new Set<number>();
  for (const { key, rows: unitRows } of groupBy(rows, [unitColumn])) {
    const id = key[unitColumn] as number | string;
    const points = groupBy(unitRows.map((r) => ({ x: getX(r), y: numberAt(r, options.y) })), ['x'])
      .map((g) => ({ x: g.key.x as number, ys: g.rows.map((p) => p.y as number) }))
      .filter((p) => p.ys.every((y) => y > above && Number.isFinite(y)) && Number.isFinite(p.x) && (scale === 'semi-log' || p.x > 0))
      .map((p) => ({ x: p.x, lnY: mean(p.ys.map(Math.log)) }));
    if (points.length < 3) {
      excluded.push({ unit: id, reason: `${points.length} usable point(s) with ${options.y} > ${above}` });
      continue;
    }
    const fit = ols(points.map((p) => u(p.x)), points.map((p) => p.lnY));
    for (const p of points) {
      xMin = Math.min(xMin, p.x);
      xMax = Math.max(xMax, p.x);
      xs.add(p.x);
    }
    const group = options.group ? (unitRows[0][options.group] as number | string) : id;
    perUnit.push({ unit: id, group, slope: fit.slope, intercept: fit.intercept, points: points.length });
  }
  const groups = groupBy(perUnit as unknown as Row[], ['group']).map((g) => ({
    slope: mean(g.rows.map((r) => r.slope as number)),
    intercept: mean(g.rows.map((r) => r.intercept as number)),
  }));
  const n = groups.length;
  if (n === 0) throw new FedPGError(`fitPerUnit: no ${unitColumn} has 3 usable points of ${options.y} (${excluded.map((e) => `${e.unit}: ${e.reason}`).join('; ')})`);
  const slopes = groups.map((g) => g.slope);
  const slope = mean(slopes);
  const unitName = options.group ?? unitColumn;
  const plural = n === 1 ? unitName : `${unitName}s`;
  const fitWord = scale === 'log-log' ? 'log–log' : 'semi-log';
  let se = NaN;
  let lo = NaN;
  let hi = NaN;
  let df = NaN;
  let statistic: string;
  if ((options.interval ?? 't') === 'bootstrap') {
    const b = bootstrapUnits(slopes.map((_, i) => i), (idx) => mean(idx.map((i) => slopes[i])), { level, resamples: options.resamples, seed: options.seed });
    lo = b.lo;
    hi = b.hi;
    se = n > 1 ? standardError(slopes) : NaN;
    statistic = `mean of per-${unitColumn} ${fitWord} OLS slopes${options.group ? ` averaged within each ${options.group}` : ''} over ${n} ${plural}, ${Math.round(level * 100)}% percentile bootstrap over ${plural} (${b.resamples} resamples)`;
  } else {
    if (n > 1) {
      se = standardError(slopes);
      df = n - 1;
      const h = studentTQuantile((1 + level) / 2, df) * se;
      lo = slope - h;
      hi = slope + h;
    }
    statistic = `mean of per-${unitColumn} ${fitWord} OLS slopes${options.group ? ` averaged within each ${options.group}` : ''} over ${n} ${plural}, ${n > 1 ? `${Math.round(level * 100)}% t-interval (${df} df)` : 'no interval (one unit)'}`;
  }
  const intercept = mean(groups.map((g) => g.intercept));
  const lineX = [...xs].sort((a, b) => a - b);
  return {
    slope,
    se,
    lo,
    hi,
    level,
    df,
    units: n,
    unit: unitName,
    excluded,
    perUnit: perUnit.map(({ group: _g, ...rest }) => rest),
    scale,
    window: { from: xMin, to: xMax },
    line: { x: lineX, y: lineX.map((x) => Math.exp(intercept + slope * u(x))) },
    statistic,
  };
}
