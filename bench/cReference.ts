/**
 * Compile and run the C reference estimator (bench/c/estimator.c) on a fedpg-lab MDP: gcc -O3 at bench
 * time (never at install), the MDP, θ and options passed as one binary message on stdin.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TabularMDP } from '../src/mdp/problem';

/** What the C program reports: seconds per estimate (with and without the per-θ setup), and B estimates' mean and variance. */
export interface CReferenceResult {
  seconds: number;
  secondsPrepared: number;
  batches: number;
  mean: number[];
  variance: number[];
}

/** The gcc command line, or null when gcc is missing. */
export function gccVersion(): string | null {
  const r = spawnSync('gcc', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n')[0] : null;
}

let compiled: string | null = null;

/** Path of the compiled reference (built once per process, into a temporary directory). */
export function compileCReference(): string {
  if (compiled) return compiled;
  const exe = join(mkdtempSync(join(tmpdir(), 'fedpg-c-')), 'estimator');
  const r = spawnSync('gcc', ['-O3', '-march=native', '-o', exe, join(__dirname, 'c', 'estimator.c'), '-lm'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`gcc failed on bench/c/estimator.c:\n${r.stderr}`);
  compiled = exe;
  return exe;
}

/** The little-endian message that estimator.c reads (layout in its header comment). */
export function encodeJob(mdp: TabularMDP, theta: ArrayLike<number>, K: number, M: number, reps: number, batches: number): Buffer {
  const { S, A, gamma, reward, rho } = mdp;
  const { rowStart, next, prob } = mdp.transitions;
  const parts = [
    Buffer.from(Int32Array.from([S, A, K, M, next.length, reps, batches]).buffer),
    Buffer.from(Float64Array.of(gamma).buffer),
    Buffer.from(Int32Array.from(rowStart).buffer),
    Buffer.from(Int32Array.from(next).buffer),
    Buffer.from(Float64Array.from(prob).buffer),
    Buffer.from(Float64Array.from(reward).buffer),
    Buffer.from(Float64Array.from(rho).buffer),
    Buffer.from(Float64Array.from(theta).buffer),
  ];
  return Buffer.concat(parts);
}

/** Time the C reference on (mdp, θ, K, M) and draw `batches` independent estimates for the mean check. */
export function runCReference(mdp: TabularMDP, theta: ArrayLike<number>, K: number, M: number, reps: number, batches: number): CReferenceResult {
  const r = spawnSync(compileCReference(), [], { input: encodeJob(mdp, theta, K, M, reps, batches), maxBuffer: 1 << 28, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bench/c/estimator.c failed:\n${r.stderr}`);
  return JSON.parse(r.stdout) as CReferenceResult;
}

/**
 * Largest |mean_k − truth_k| / √(variance_k / B) over coordinates: the worst z-score of B independent
 * estimates' mean against the exact ∇J_K. Coordinates no estimate touched (variance 0) must be exact.
 */
export function worstZOfBatches(mean: ArrayLike<number>, variance: ArrayLike<number>, batches: number, truth: ArrayLike<number>): number {
  let worst = 0;
  for (let k = 0; k < truth.length; k++) {
    const se = Math.sqrt(variance[k] / batches);
    const d = Math.abs(mean[k] - truth[k]);
    worst = Math.max(worst, se > 0 ? d / se : d > 1e-12 ? Infinity : 0);
  }
  return worst;
}
