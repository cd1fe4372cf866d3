import { EXPERIMENT_PARAMETERS } from '../core/parameters';
/**
 * Display names and notation for figures, captions and reports: the one place that turns code ids
 * ('fast-fedpg', 'agents') into what a paper prints (Fast-FedPG, N = 16) and writes numbers with a real
 * minus sign (U+2212) and exponents as superscripts. Two targets: 'html' (Plotly text and markdown, which
 * render `<sup>`) and 'text' (file metadata, console): N^(−0.90 ± 0.04).
 */

/** Where a string will be shown. */
export type TextTarget = 'html' | 'text';

/** The minus sign U+2212 (a hyphen-minus is not a minus in print). */
export const MINUS = '\u2212';

const ALGORITHM_NAMES: Record<string, string> = {
  'fast-fedpg': 'Fast-FedPG',
  'fedavg-pg': 'FedAvg-PG',
  'minibatch-pg': 'Minibatch PG',
  'local-pg': 'Local PG',
  scaffold: 'SCAFFOLD-PG',
  fednpg: 'FedNPG',
  'fedsvrpg-m': 'FedSVRPG-M',
  'local-momentum-pg': 'Local-momentum PG',
  ditto: 'Ditto',
  ifca: 'IFCA',
  cfl: 'CFL',
  'shared-personal': 'Shared + personal',
};

const ORACLE_NAMES: Record<string, string> = { sampled: 'GPOMDP', exact: 'exact gradient' };

/** Parameter symbols, from the project's symbol table. */
export const PARAMETER_SYMBOLS: Record<string, string> = {
  ...Object.fromEntries(Object.entries(EXPERIMENT_PARAMETERS).flatMap(([name, p]) => (p.symbol ? [[name, p.symbol]] : []))),
  round: 't',
};

/** The printed name of an algorithm id ('fast-fedpg' → 'Fast-FedPG'); unknown ids are returned as they are. */
export function algorithmName(id: string): string {
  return ALGORITHM_NAMES[id] ?? id;
}

/**
 * A number for print: `digits` decimals (fixed) or, with `significant`, that many significant digits;
 * negative numbers with U+2212. Very small or large magnitudes use a power of ten (3.2×10⁻⁵).
 */
export function formatNumber(x: number, options: { digits?: number; significant?: number; target?: TextTarget } = {}): string {
  if (Number.isNaN(x)) return 'n/a';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : `${MINUS}∞`;
  const target = options.target ?? 'html';
  const a = Math.abs(x);
  if (options.significant !== undefined && a !== 0 && (a < 1e-3 || a >= 1e5)) {
    const [m, e] = a.toExponential(Math.max(0, options.significant - 1)).split('e');
    const exp = Number(e);
    const body = target === 'html' ? `${m}×10<sup>${signed(exp)}</sup>` : `${m}e${exp < 0 ? MINUS : ''}${Math.abs(exp)}`;
    return x < 0 ? MINUS + body : body;
  }
  const s = options.significant !== undefined ? String(Number(a.toPrecision(options.significant))) : a.toFixed(options.digits ?? 2);
  return (x < 0 && Number(s) !== 0 ? MINUS : '') + s;
}

/** An integer or decimal with its sign written (U+2212 for negatives), for exponents. */
function signed(x: number, digits?: number): string {
  const s = digits === undefined ? String(Math.abs(x)) : Math.abs(x).toFixed(digits);
  return (x < 0 && Number(s) !== 0 ? MINUS : '') + s;
}

/**
 * A power law with its uncertainty, `base^(exponent ± half)`: 'N<sup>−0.90 ± 0.04</sup>' (html) or
 * 'N^(−0.90 ± 0.04)' (text). `half` is the half-width of the exponent's CI (omitted when not finite).
 */
export function powerLaw(base: string, exponent: number, half?: number, options: { digits?: number; target?: TextTarget } = {}): string {
  const d = options.digits ?? 2;
  const e = `${signed(exponent, d)}${half !== undefined && Number.isFinite(half) ? ` ± ${half.toFixed(d)}` : ''}`;
  return (options.target ?? 'html') === 'html' ? `${base}<sup>${e}</sup>` : `${base}^(${e})`;
}

/** 'N = 16', 'H = 5', 'Fast-FedPG' (algorithm), 'GPOMDP' or 'exact gradient' (oracle): one parameter as printed. */
export function parameterLabel(name: string, value: unknown): string {
  if (name === 'algorithm') return algorithmName(String(value));
  if (name === 'stepSize' && value !== null && (typeof value === 'object' || (typeof value === 'string' && value.startsWith('{')))) return stepSizeLabel(value);
  if (name === 'oracle') return ORACLE_NAMES[String(value)] ?? String(value);
  const v = typeof value === 'number' ? formatNumber(value, { significant: 4 }) : String(value);
  return `${PARAMETER_SYMBOLS[name] ?? name} = ${v}`;
}

/**
 * A step-size schedule as a legend names it, short enough for a column-width legend: "η = 0.5", "η planned" (a
 * planned schedule, which depends on N), "η fixed in N" (a planned schedule with forAgents: the same η for every
 * N), "η_t = 2/(1 + t/2.5)". Accepts the schedule object or its JSON (result rows hold the JSON).
 */
export function stepSizeLabel(value: unknown): string {
  const s = (typeof value === 'string' ? JSON.parse(value) : value) as Record<string, number | string>;
  const n = (x: unknown) => formatNumber(Number(x), { significant: 3 });
  switch (s.kind) {
    case 'constant':
      return `η = ${n(s.eta)}`;
    case 'decaying':
      return `η<sub>t</sub> = ${n(s.eta0)}/(1 + t/${n(s.t0)})`;
    case 'planned':
      return s.forAgents !== undefined ? 'η fixed in N' : 'η planned';
    case 'planned-sqrt':
      return s.forAgents !== undefined ? 'η fixed in N' : 'η planned';
    default:
      return `η ${JSON.stringify(s)}`;
  }
}

/** A series key as printed: 'Fast-FedPG, H = 5'. Keys whose value is undefined are skipped. */
export function seriesName(key: Record<string, unknown>): string {
  return Object.entries(key)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => parameterLabel(k, v))
    .join(', ');
}

/** Plain text of an HTML label (tags removed, <sup>x</sup> → ^(x)), for file metadata and alt text. */
export function plainText(html: string): string {
  return html
    .replace(/<br\s*\/?>/g, ' · ')
    .replace(/<sup>(.*?)<\/sup>/g, (_, s: string) => (/^[\w−.]+$/.test(s) ? `^${s}` : `^(${s})`))
    .replace(/<sub>(.*?)<\/sub>/g, '_$1')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
