/**
 * The bench's baselines of exact evaluation at scale, shared by bench/run.ts and bench/sparseCurve.ts: fedpg-lab
 * timed in a fresh process (bench/measure.ts), NumPy and SciPy from Debian's Python (bench/numpy_baseline.py,
 * bench/scipy_baseline.py) on the same MDP handed over as raw files.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { averageMDP, garnet, type TabularMDP } from '../dist/index';

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

export function scipy(job: Record<string, unknown>): Record<string, unknown> {
  const r = spawnSync(PYTHON, [join(__dirname, 'scipy_baseline.py')], { input: JSON.stringify(job), encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`SciPy baseline failed (is python3-scipy installed? bash scripts/setup.sh):\n${r.stderr}`);
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

/**
 * One row of the sparse-at-scale table: fedpg-lab's ∇J (fresh process) and SciPy's methods on the same
 * Garnet (S, A = 4, b = 5, γ). Also returned as numbers for bench/sparseCurve.ts.
 */
export function sparseScale(S: number, gamma: number, reps: number, methods = ['gmres', 'bicgstab', 'lgmres']): { line: string; ours: number; best: number; bestMethod: string; kernelBytes: number; problemBytes: number } {
  const mdp = averageMDP(garnet({ states: S, actions: 4, branching: 5, agents: 1, gamma, heterogeneity: 0, seed: 1, limits: { problemEntries: 1e9 } }));
  const theta = Float64Array.from({ length: S * 4 }, (_, k) => Math.sin(1 + k));
  const r = measureRaw({ kind: 'exact', S, A: 4, b: 5, gamma, reps });
  const files = mdpFiles(mdp, theta);
  const sc = scipy({ ...files, reps, direct_max: 0, methods }).methods as Record<string, { seconds: number; iterations: number[]; met: boolean }>;
  rmSync(dirname(files.next as string), { recursive: true, force: true });
  const entries = Object.entries(sc);
  const met = entries.filter(([, m]) => m.met);
  const [bestMethod, best] = (met.length ? met : entries).sort((a, b) => a[1].seconds - b[1].seconds)[0];
  const ours = r.seconds * 1000;
  const bestMs = best.seconds * 1000;
  const mb = (x: number) => (x / 2 ** 20).toFixed(0);
  const each = ['gmres', 'bicgstab', 'lgmres'].map((m) => (sc[m] ? `${fmt(sc[m].seconds * 1000)}${sc[m].met ? '' : ' (no)'}` : '–')).join(' / ');
  const line = `| ${S} | ${gamma} | ${fmt(ours)} | ${(r.iterations as unknown as number[]).join(', ')} | ${mb(r.bytes)} / ${mb(r.problemBytes)} | ${each} | ${fmt(bestMs)} (${bestMethod}${best.met ? '' : ', missed the guarantee'}) | ${fmt(bestMs / ours)}× | ${mark(ours <= bestMs)} |`;
  return { line, ours, best: bestMs, bestMethod, kernelBytes: r.bytes, problemBytes: r.problemBytes };
}

