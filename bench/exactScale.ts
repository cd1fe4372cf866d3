/**
 * The bench's baselines of exact evaluation at scale, shared by bench/run.ts and bench/sparseCurve.ts: fedpg-lab
 * timed in a fresh process (bench/measure.ts), NumPy and SciPy from Debian's Python (bench/numpy_baseline.py,
 * bench/scipy_baseline.py) on the same MDP handed over as raw files.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TabularMDP } from '../dist/index';

export const fmt = (x: number, d = 3) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(d));
export const mark = (ok: boolean) => (ok ? 'met' : '**missed**');

/** Seconds from bench/measure.ts run in a fresh Node.js process. */
export function measureRaw(job: Record<string, unknown>): Record<string, number> {
  const r = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=8192', '--import', 'tsx', join(__dirname, 'measure.ts'), JSON.stringify(job)], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`bench/measure.ts failed for ${JSON.stringify(job)}:\n${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, number>;
}

/** Debian's Python (python3-numpy, python3-scipy from scripts/setup.sh), not a pyenv or venv shim on PATH. */
export const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

export function numpy(job: Record<string, unknown>): Record<string, unknown> {
  const r = spawnSync(PYTHON, [join(__dirname, 'numpy_baseline.py')], { input: JSON.stringify(job), encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`NumPy baseline failed (is python3-numpy installed? bash scripts/setup.sh):\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

export function scipyVersion(): string {
  return spawnSync(PYTHON, ['-c', 'import scipy; print(scipy.__version__)'], { encoding: 'utf8' }).stdout.trim() || 'missing';
}

/** The MDP as raw little-endian files for the Python baselines (JSON would be hundreds of MB at S = 10⁵). */
export function mdpFiles(mdp: TabularMDP, theta: Float64Array): Record<string, unknown> {
  const { S, A } = mdp;
  const { rowStart, next, prob } = mdp.transitions;
  const b = rowStart[1] - rowStart[0];
  for (let r = 0; r < S * A; r++) if (rowStart[r + 1] - rowStart[r] !== b) throw new Error('bench MDPs have b successors in every row');
  const dir = mkdtempSync(join(tmpdir(), 'fedpg-bench-mdp-'));
  const file = (name: string, a: Int32Array | Float64Array) => {
    const path = join(dir, name);
    writeFileSync(path, Buffer.from(a.buffer, a.byteOffset, a.byteLength));
    return path;
  };
  return { S, A, b, gamma: mdp.gamma, next: file('next', next), prob: file('prob', prob), R: file('R', Float64Array.from(mdp.reward)), theta: file('theta', theta), rho: file('rho', mdp.rho) };
}

function median(xs: number[]): number {
  const t = [...xs].sort((a, b) => a - b);
  return t.length % 2 ? t[(t.length - 1) / 2] : (t[t.length / 2 - 1] + t[t.length / 2]) / 2;
}

/** SciPy methods of the sparse tables: every Krylov solver that can be asked for the guarantee's residual. */
export const SCIPY_METHODS = ['bicgstab', 'tfqmr', 'qmr', 'gmres', 'lgmres'];

/** One measured point of the sparse-at-scale comparison (bench/run.ts's table, bench/sparseCurve.ts's curve). */
export interface SparseScale {
  S: number;
  gamma: number;
  /** fedpg-lab: median CPU ms of its calls in the pairs. */
  ours: number;
  iterations: number[];
  gmres: { value: number; occupancy: number };
  /** Bytes of fedpg-lab's Krylov tables, of the problem's, and the RSS of its process after a collection. */
  kernelBytes: number;
  problemBytes: number;
  rssBytes: number;
  /** Each SciPy method: median CPU ms of its first calls, whether it met the guarantee, its iterations. */
  methods: Record<string, { ms: number; met: boolean; iterations: number[] }>;
  /** The fastest method that met the guarantee (the fastest of all if none did), and its median in the pairs. */
  best: string;
  bestMs: number;
  /** Each pair's SciPy-best time over fedpg-lab's: median, lowest and highest. */
  pairRatio: { median: number; min: number; max: number; pairs: number };
}

/**
 * fedpg-lab's ∇J and SciPy's methods on the same Garnet (S, A = 4, b = 5, γ), timed side by side by
 * bench/sideBySide.ts: `reps` calls of every method of `methods`, then `pairs` pairs of one fedpg-lab call
 * and one call of SciPy's best.
 */
export function sparseScale(S: number, gamma: number, options: { reps: number; pairs: number; methods?: string[] }): SparseScale {
  const { reps, pairs, methods = SCIPY_METHODS } = options;
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'sideBySide.ts'), JSON.stringify({ S, gamma, reps, pairs, methods })], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`bench/sideBySide.ts failed for S = ${S}, γ = ${gamma}:\n${r.stderr}`);
  const out = JSON.parse(r.stdout) as {
    ours: { bytes: number; problemBytes: number; rssBytes: number; iterations: number[]; gmres: { value: number; occupancy: number } };
    scipy: { methods: Record<string, { iterations: number[]; met: boolean }> };
    times: Record<string, number[]>;
    best: string;
    pairs: { ours: number; scipy: number }[];
  };
  const ratios = out.pairs.map((p) => p.scipy / p.ours);
  return {
    S, gamma,
    ours: median(out.pairs.map((p) => p.ours)),
    iterations: out.ours.iterations,
    gmres: out.ours.gmres,
    kernelBytes: out.ours.bytes,
    problemBytes: out.ours.problemBytes,
    rssBytes: out.ours.rssBytes,
    methods: Object.fromEntries(methods.map((m) => [m, { ms: median(out.times[m]), ...out.scipy.methods[m] }])),
    best: out.best,
    bestMs: median(out.pairs.map((p) => p.scipy)),
    pairRatio: { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios), pairs: ratios.length },
  };
}

/** The row of bench/run.ts's sparse table for one point. */
export function sparseScaleLine(p: SparseScale): string {
  const mb = (x: number) => (x / 2 ** 20).toFixed(0);
  const each = SCIPY_METHODS.map((m) => (p.methods[m] ? `${fmt(p.methods[m].ms)}${p.methods[m].met ? '' : ' (no)'}` : '–')).join(' / ');
  const its = `${p.iterations.join(', ')}${p.gmres.value || p.gmres.occupancy ? ` (GMRES ${p.gmres.value}, ${p.gmres.occupancy})` : ''}`;
  const ratio = `${fmt(p.pairRatio.median)}× (${fmt(p.pairRatio.min)}–${fmt(p.pairRatio.max)})`;
  return `| ${p.S} | ${p.gamma} | ${fmt(p.ours)} | ${its} | ${mb(p.kernelBytes)} / ${mb(p.problemBytes)} | ${each} | ${fmt(p.bestMs)} (${p.best}${p.methods[p.best].met ? '' : ', missed the guarantee'}) | ${ratio} | ${mark(p.pairRatio.median >= 1)} |`;
}
