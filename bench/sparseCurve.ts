/**
 * `npx tsx bench/sparseCurve.ts [S …]`: the sparse exact gradient's cost against S (Garnet A = 4, b = 5,
 * γ = 0.9), fedpg-lab against SciPy's BiCGSTAB (the fastest SciPy method at S = 10⁴–10⁵ in bench/run.ts's
 * table), up to the largest S whose problem and Krylov tables fit in 2 GB. Prints the Markdown table of
 * docs/performance.md, writes the numbers to bench/sparse-curve.json and the plot to
 * docs/figures/sparse-exact-cost.png (a Plotly figure rendered by fedpg-lab's own exporter, Chromium).
 * Needs `npm run build` and scripts/setup.sh's Debian packages (python3-scipy, chromium).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportFigure } from '../dist/notebook/export';
import { fmt, sparseScale } from './exactScale';

const LIMIT = 2 * 2 ** 30;
const sizes = process.argv.slice(2).map(Number).filter((x) => x > 0);
const S_LIST = sizes.length ? sizes : [1000, 3000, 10000, 30000, 100000, 300000, 1000000, 1500000];

async function main(): Promise<void> {
  const rows: { S: number; ours: number; scipy: number; method: string; kernelMB: number; problemMB: number }[] = [];
  console.log('| S | fedpg-lab (ms) | SciPy BiCGSTAB (ms) | SciPy / fedpg-lab | kernel MB | problem MB |');
  console.log('|---|---|---|---|---|---|');
  for (const S of S_LIST) {
    // Memory needed: the problem's tables (≈ 34 bytes per entry of P with its alias table, b·A per state)
    // and the kernel's (P, P_π, 25 vectors): checked before building it.
    const estimate = S * 4 * 5 * (24 + 24) + S * 8 * 32;
    if (estimate > LIMIT) {
      console.log(`(S = ${S}: ≈ ${(estimate / 2 ** 20).toFixed(0)} MB, above 2 GB: stop)`);
      break;
    }
    const r = sparseScale(S, 0.9, S >= 300000 ? 1 : 3, ['bicgstab']);
    const row = { S, ours: r.ours, scipy: r.best, method: r.bestMethod, kernelMB: r.kernelBytes / 2 ** 20, problemMB: r.problemBytes / 2 ** 20 };
    rows.push(row);
    console.log(`| ${S} | ${fmt(row.ours)} | ${fmt(row.scipy)} | ${fmt(row.scipy / row.ours)}× | ${row.kernelMB.toFixed(0)} | ${row.problemMB.toFixed(0)} |`);
  }
  writeFileSync(join(__dirname, 'sparse-curve.json'), `${JSON.stringify({ date: new Date().toISOString().slice(0, 10), rows }, null, 1)}\n`);
  const series = (name: string, y: number[], color: string) => ({ type: 'scatter', mode: 'lines+markers', name, x: rows.map((r) => r.S), y, line: { color } });
  const figure = {
    data: [series('fedpg-lab (Krylov kernel)', rows.map((r) => r.ours), '#0072B2'), series('SciPy BiCGSTAB', rows.map((r) => r.scipy), '#D55E00')],
    layout: {
      title: { text: 'Exact ∇J, sparse Garnet (A = 4, b = 5, γ = 0.9): CPU ms per gradient' },
      xaxis: { title: { text: 'S (states)' }, type: 'log' },
      yaxis: { title: { text: 'ms per ∇J' }, type: 'log' },
      width: 640,
      height: 420,
    },
  };
  mkdirSync(join(__dirname, '..', 'docs', 'figures'), { recursive: true });
  await exportFigure(figure, join(__dirname, '..', 'docs', 'figures', 'sparse-exact-cost.png'));
}

void main();
