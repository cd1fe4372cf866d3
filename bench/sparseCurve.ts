/**
 * `npx tsx bench/sparseCurve.ts [S …]`: the sparse exact gradient's cost against S (Garnet A = 4, b = 5,
 * γ = 0.9), fedpg-lab against SciPy's best Krylov solver (BiCGSTAB and TFQMR, the fastest SciPy methods at
 * S = 10⁴–10⁵ in bench/run.ts's table; BiCGSTAB alone above 10⁵), each point measured side by side by
 * bench/sideBySide.ts, up to the largest S whose fedpg-lab process fits in 2 GiB: after each point the RSS
 * per state of the process holding the problem and computing gradients (after a collection) predicts
 * where 2 GiB is reached, and the last point is that S (two significant digits), checked by its own RSS.
 * Prints the Markdown table of docs/performance.md, writes the numbers to bench/sparse-curve.json and the
 * plot to docs/images/sparse-exact-cost.png (a Plotly figure rendered by fedpg-lab's own exporter,
 * Chromium); `--plot` redraws the plot from bench/sparse-curve.json without measuring. Needs `npm run
 * build` and scripts/setup.sh's Debian packages (python3-scipy, chromium).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportFigure } from '../dist/notebook/export';
import { fmt, sparseScale } from './exactScale';

const LIMIT = 2 * 2 ** 30;
const plotOnly = process.argv.includes('--plot');
const sizes = process.argv.slice(2).map(Number).filter((x) => x > 0);
const JSON_PATH = join(__dirname, 'sparse-curve.json');
const GRID = sizes.length ? sizes : [1000, 3000, 10000, 30000, 100000, 300000, 1000000];

interface Row {
  S: number;
  ours: number;
  scipy: number;
  method: string;
  met: boolean;
  ratio: number;
  ratioMin: number;
  ratioMax: number;
  pairs: number;
  kernelMB: number;
  problemMB: number;
  rssMB: number;
}

function measurePoint(S: number): Row {
  const large = S > 100000;
  const p = sparseScale(S, 0.9, { reps: large ? 1 : 2, pairs: S >= 1000000 ? 3 : large ? 5 : 9, methods: large ? ['bicgstab'] : ['bicgstab', 'tfqmr'] });
  return {
    S,
    ours: p.ours,
    scipy: p.bestMs,
    method: p.best,
    met: p.methods[p.best].met,
    ratio: p.pairRatio.median,
    ratioMin: p.pairRatio.min,
    ratioMax: p.pairRatio.max,
    pairs: p.pairRatio.pairs,
    kernelMB: p.kernelBytes / 2 ** 20,
    problemMB: p.problemBytes / 2 ** 20,
    rssMB: p.rssBytes / 2 ** 20,
  };
}

/** Two significant digits, rounded down. */
const floor2 = (x: number) => {
  const e = 10 ** (Math.floor(Math.log10(x)) - 1);
  return Math.floor(x / e) * e;
};

async function main(): Promise<void> {
  const rows = plotOnly ? (JSON.parse(readFileSync(JSON_PATH, 'utf8')) as { rows: Row[] }).rows : measureAll();
  if (!plotOnly) writeFileSync(JSON_PATH, `${JSON.stringify({ date: new Date().toISOString().slice(0, 10), gamma: 0.9, rows }, null, 1)}\n`);
  await plot(rows);
}

function measureAll(): Row[] {
  const rows: Row[] = [];
  console.log('| S | fedpg-lab (ms) | SciPy best (ms) | SciPy / fedpg-lab, pairs (lowest–highest) | kernel MB | problem MB | process RSS MB |');
  console.log('|---|---|---|---|---|---|---|');
  const print = (r: Row) =>
    console.log(`| ${r.S} | ${fmt(r.ours)} | ${fmt(r.scipy)} (${r.method}${r.met ? '' : ', missed the guarantee'}) | ${fmt(r.ratio)}× (${fmt(r.ratioMin)}–${fmt(r.ratioMax)}, ${r.pairs} pairs) | ${r.kernelMB.toFixed(0)} | ${r.problemMB.toFixed(0)} | ${r.rssMB.toFixed(0)} |`);
  let limitS = Infinity;
  for (const S of GRID) {
    if (S > limitS) break;
    const row = measurePoint(S);
    rows.push(row);
    print(row);
    if (!sizes.length && rows.length >= 2) {
      const [a, b] = [rows[0], row];
      const perState = ((b.rssMB - a.rssMB) * 2 ** 20) / (b.S - a.S);
      limitS = floor2(b.S + (LIMIT - b.rssMB * 2 ** 20) / perState);
    }
  }
  if (!sizes.length && Number.isFinite(limitS) && limitS > rows[rows.length - 1].S) {
    // The largest S predicted to fit; stepped down by 10 % while its measured RSS is above 2 GiB.
    for (let S = limitS; ; S = floor2(0.9 * S)) {
      const row = measurePoint(S);
      print(row);
      if (row.rssMB * 2 ** 20 <= LIMIT) {
        rows.push(row);
        break;
      }
      console.log(`(S = ${S}: ${row.rssMB.toFixed(0)} MB, above 2 GiB)`);
    }
  }
  return rows;
}

/** The log–log plot of both sides' medians against S. */
async function plot(rows: Row[]): Promise<void> {
  const series = (name: string, y: number[], color: string) => ({ type: 'scatter', mode: 'lines+markers', name, x: rows.map((r) => r.S), y, line: { color } });
  const figure = {
    data: [
      series('fedpg-lab (Krylov kernel)', rows.map((r) => r.ours), '#0072B2'),
      series('SciPy best (BiCGSTAB / TFQMR)', rows.map((r) => r.scipy), '#D55E00'),
    ],
    layout: {
      title: { text: 'Exact ∇J, sparse Garnet (A = 4, b = 5, γ = 0.9): CPU ms per gradient' },
      xaxis: { title: { text: 'S (states); last point: the largest S whose process fits in 2 GiB' }, type: 'log' },
      yaxis: { title: { text: 'CPU ms per ∇J (median of the side-by-side pairs)' }, type: 'log' },
      legend: { x: 0.02, y: 0.98 },
      width: 720,
      height: 460,
    },
  };
  mkdirSync(join(__dirname, '..', 'docs', 'images'), { recursive: true });
  await exportFigure(figure, join(__dirname, '..', 'docs', 'images', 'sparse-exact-cost.png'), { scale: 2 });
}

void main();
