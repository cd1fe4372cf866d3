import { kernelModule, wasmApi } from '../core/wasmModule';
import { createWalkKernel, type WalkKernel } from './walkKernel';

/**
 * The WebAssembly kernel of the exact oracle's per-agent part (estimators/exactGradient.wat, assembled into
 * dist/estimators/exactGradient.wasm by `npm run build`): r_π and the gradient from V, with
 * factorGradient's float operations in its order, so the same bits. An instance works on the memory of
 * one policy factor's LU workspace (core/luKernel.ts), which it imports; every argument that names a
 * table is its byte offset there.
 */
export interface ExactGradientKernel {
  /** π and log π = row-wise softmax of θ and its log, as softmaxLogRows. */
  softmax(theta: number, pi: number, logPi: number, S: number, A: number): void;
  /** out(s) = Σ_a π(a|s)(R(s,a) − τ log π(a|s)), actions with π(a|s) = 0 skipped. */
  policyReward(R: number, pi: number, logPi: number, entropy: number, S: number, A: number, out: number): void;
  /** out(s,a) = d_ρ(s) π(a|s) (R(s,a) + γ Σ_s' P(s'|s,a) V(s') − τ log π(a|s) − V(s)) · scale. */
  gradient(R: number, pi: number, logPi: number, occupancy: number, V: number, rowStart: number, next: number, prob: number, entropy: number, gamma: number, scale: number, S: number, A: number, out: number): void;
}

/** The walk kernel instance whose exp the instances import (one per thread). */
let expSource: WalkKernel | null = null;

/** An instance on `memory` (a WebAssembly.Memory: a workspace's `memory`). */
export function createExactGradientKernel(memory: object): ExactGradientKernel {
  expSource ??= createWalkKernel(65536);
  const { exports } = new (wasmApi().Instance)(kernelModule(__dirname, 'estimators', 'exactGradient'), { lu: { memory }, walk: { exp: expSource.exp }, math: { log: Math.log } });
  return {
    softmax: exports.softmax as ExactGradientKernel['softmax'],
    policyReward: exports.policyReward as ExactGradientKernel['policyReward'],
    gradient: exports.gradient as ExactGradientKernel['gradient'],
  };
}
