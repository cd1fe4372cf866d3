/**
 * Paired statistics over the unit of replication (a Garnet: one seed or one problemSeed) for the sections
 * that compare algorithms on the same problems: each ratio or difference is formed within a unit, and the
 * interval is over units.
 */
import { meanCI } from '../../src/index';
import { type ClaimEvidence, logMeanCI, type Row } from '../../src/analysis';

/** Rows keyed by their unit (`seed` unless said), one value each; an error if a unit appears twice. */
export function byUnit(rows: readonly Row[], value: (r: Row) => number, unit = 'seed'): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) {
    const k = String(r[unit]);
    if (out.has(k)) throw new Error(`report: two rows for ${unit} ${k}`);
    out.set(k, value(r));
  }
  return out;
}

/**
 * Geometric mean over units of the within-unit ratio a/b, with its log-space t-interval at `level`, as claim
 * evidence (logScale): values below `floor` count as `floor` (round-off).
 */
export function pairedRatio(a: Map<string, number>, b: Map<string, number>, level: number, what: string, floor = 1e-16): ClaimEvidence & { n: number } {
  const units = [...a.keys()].filter((k) => b.has(k));
  const ci = logMeanCI(units.map((k) => Math.max(a.get(k)!, floor) / Math.max(b.get(k)!, floor)), level);
  return { estimate: ci.mean, lo: ci.lo, hi: ci.hi, level, se: ci.logSE, df: ci.n - 1, logScale: true, n: ci.n, statistic: `${what}: geometric mean over ${ci.n} paired Garnets, ${Math.round(level * 100)}% log-space t-interval` };
}

/** Mean over units of the within-unit difference a − b, with its t-interval, as claim evidence. */
export function pairedDifference(a: Map<string, number>, b: Map<string, number>, level: number, what: string): ClaimEvidence & { n: number } {
  const units = [...a.keys()].filter((k) => b.has(k));
  const ci = meanCI(units.map((k) => a.get(k)! - b.get(k)!), level);
  return { estimate: ci.mean, lo: ci.lo, hi: ci.hi, level, se: ci.se, df: units.length - 1, n: units.length, statistic: `${what}: mean over ${units.length} paired Garnets, ${Math.round(level * 100)}% t-interval` };
}

/** A positive quantity's geometric mean over units with its log-space t-interval, for tables. */
export function geometric(values: readonly number[], level: number, floor = 1e-16): { mean: number; lo: number; hi: number; n: number } {
  const ci = logMeanCI(values.map((v) => Math.max(v, floor)), level);
  return { mean: ci.mean, lo: ci.lo, hi: ci.hi, n: ci.n };
}

/** The step size of a row as text: a number, or a schedule object (stored as JSON) by its kind. */
export function stepLabel(step: unknown): string {
  const s = typeof step === 'string' ? (JSON.parse(step) as Record<string, unknown>) : step;
  if (typeof s === 'number') return `η = ${s}`;
  const o = s as Record<string, unknown>;
  if (o.kind === 'planned-sqrt') return `η_T = min(${o.etaMax}, ${o.scale}·√(N/(HT)))`;
  return JSON.stringify(o);
}

/** Every column of the rows, in order of first appearance (rows of one table may carry different extras). */
export function allColumns(rows: readonly Row[]): string[] {
  const seen: string[] = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!seen.includes(k)) seen.push(k);
  return seen;
}
