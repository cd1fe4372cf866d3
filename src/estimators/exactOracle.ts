import { luFactor, luSolve, luSolveTransposed, singularError, type LU } from '../core/linalg';
import { createLuWorkspace, type LuWorkspace } from '../core/luKernel';
import { createExactGradientKernel, type ExactGradientKernel } from './exactGradientKernel';
import { softmaxLogRows } from '../core/softmax';
import { DENSE_SOLVE_LIMIT, fillIdentityMinusWeighted } from '../mdp/discountedSolve';
import { policyReward } from '../mdp/evaluate';
import type { TabularMDP } from '../mdp/problem';
import type { Transitions } from '../mdp/transitions';
import { exactGradient } from './exact';
import { createKrylovFactor, fillKrylovFactor, krylovFactorGradient, KrylovNotConverged, type KrylovPolicyFactor } from './krylovFactor';
import { acceptTheta, createThetaCache, type ThetaCache } from './thetaCache';

/**
 * What the exact gradient needs from θ alone, whatever the reward: π, log π, and the LU factorisation of
 * I − γP_π with the discounted occupancy d_ρ = (1−γ) ρᵀ(I − γP_π)⁻¹. Agents that share P (and ρ, γ) and
 * evaluate the same θ share it: the N anchors of a Fast-FedPG round are at θ̄, so one factorisation
 * serves all N of them and each agent solves only its own V = (I − γP_π)⁻¹ r_π.
 */
export interface DensePolicyFactor {
  readonly kind: 'dense';
  readonly S: number;
  readonly A: number;
  readonly gamma: number;
  readonly transitions: Transitions;
  readonly rho: Float64Array;
  /** The θ these tables belong to (validated on entry). */
  readonly theta: ThetaCache;
  readonly pi: Float64Array;
  readonly logPi: Float64Array;
  /** I − γP_π, then overwritten by its LU factors (row-major S×S). */
  readonly matrix: Float64Array;
  /** The factorisation of `matrix` (its `lu` is `matrix`); absent until the first θ. */
  lu: LU | undefined;
  readonly occupancy: Float64Array;
  /** Scratch of length S for an agent's V = M⁻¹ r_π (the oracles sharing the factor take turns). */
  readonly value: Float64Array;
  /**
   * The WebAssembly LU workspace that `matrix`, `occupancy`, `value`, θ's cache, `pi`, `logPi`, `reward`
   * and `gradient` are views on (core/luKernel.ts), holding a copy of P's compressed rows: I − γP_π is built,
   * factored and solved in place, and the per-agent part runs in `kernel` on the same memory. Null if
   * WebAssembly could not hold it; the tables are then ordinary arrays and TypeScript does the work.
   */
  readonly workspace: LuWorkspace | null;
  readonly kernel: ExactGradientKernel | null;
  /** The agent's R while factorGradient runs (copied in per call), and the gradient it writes. */
  readonly reward: Float64Array;
  readonly gradient: Float64Array;
  /** Byte offsets in the workspace of the tables above and of P's row starts, successors and probabilities. */
  readonly offsets: FactorOffsets;
}

/**
 * The θ-only part of the exact gradient, shared by the agents with the same P, ρ and γ: dense (LU of
 * I − γP_π) for S ≤ DENSE_SOLVE_LIMIT, Krylov (P_π in compressed rows, d_ρ by GMRES; estimators/krylovFactor.ts)
 * above, as evaluatePolicy chooses.
 */
export type PolicyFactor = DensePolicyFactor | KrylovPolicyFactor;

interface FactorOffsets {
  theta: number;
  pi: number;
  logPi: number;
  reward: number;
  gradient: number;
  occupancy: number;
  value: number;
  prob: number;
  rowStart: number;
  next: number;
}

/**
 * An empty factor for MDPs with these transitions, ρ and γ: dense for S ≤ DENSE_SOLVE_LIMIT, Krylov above
 * (which throws when WebAssembly cannot hold its O(nnz(P)) tables).
 */
export function createPolicyFactor(mdp: TabularMDP): PolicyFactor {
  return mdp.S <= DENSE_SOLVE_LIMIT ? createDensePolicyFactor(mdp) : createKrylovFactor(mdp);
}

/** An empty dense factor (S ≤ DENSE_SOLVE_LIMIT: an S×S matrix). */
function createDensePolicyFactor(mdp: TabularMDP): DensePolicyFactor {
  const { S, A, gamma, transitions, rho } = mdp;
  const d = S * A;
  const nnz = transitions.next.length;
  // After the LU workspace: θ, π, log π, R, the gradient and P's probabilities (f64), then its row starts
  // and successors (i32).
  const workspace = createLuWorkspace(S, 2, 8 * (5 * d + nnz) + 4 * (d + 1 + nnz));
  const y = workspace ? workspace.extra : 0;
  const x = y + 8 * d;
  const offsets: FactorOffsets = {
    theta: y,
    pi: x,
    logPi: x + 8 * d,
    reward: x + 16 * d,
    gradient: x + 24 * d,
    prob: x + 32 * d,
    rowStart: x + 32 * d + 8 * nnz,
    next: x + 32 * d + 8 * nnz + 4 * (d + 1),
    occupancy: workspace ? workspace.vectors[0].byteOffset : 0,
    value: workspace ? workspace.vectors[1].byteOffset : 0,
  };
  const f64 = (offset: number, length: number) => (workspace ? new Float64Array(workspace.buffer, offset, length) : new Float64Array(length));
  if (workspace) {
    f64(offsets.prob, nnz).set(transitions.prob);
    new Int32Array(workspace.buffer, offsets.rowStart, d + 1).set(transitions.rowStart);
    new Int32Array(workspace.buffer, offsets.next, nnz).set(transitions.next);
  }
  return {
    kind: 'dense',
    S, A, gamma, transitions, rho,
    theta: createThetaCache(d, f64(offsets.theta, d)),
    pi: f64(offsets.pi, d),
    logPi: f64(offsets.logPi, d),
    matrix: workspace ? workspace.matrix : new Float64Array(S * S),
    lu: undefined,
    occupancy: workspace ? workspace.vectors[0] : new Float64Array(S),
    value: workspace ? workspace.vectors[1] : new Float64Array(S),
    workspace,
    kernel: workspace ? createExactGradientKernel(workspace.memory) : null,
    reward: f64(offsets.reward, d),
    gradient: f64(offsets.gradient, d),
    offsets,
  };
}

/** Whether `factor` can serve `mdp`: the same transitions object, ρ and γ. */
export function factorFits(factor: PolicyFactor, mdp: TabularMDP): boolean {
  if (factor.transitions !== mdp.transitions || factor.gamma !== mdp.gamma || factor.S !== mdp.S || factor.A !== mdp.A) return false;
  if (factor.rho === mdp.rho) return true;
  for (let s = 0; s < factor.S; s++) if (factor.rho[s] !== mdp.rho[s]) return false;
  return true;
}

/**
 * Bring `factor` to θ (validated: length, every entry finite; `theta[17] is NaN`). When θ is the one it
 * holds, nothing is recomputed. Otherwise, with the arithmetic of evaluatePolicy's dense path operation for
 * operation (so the results are the same to the bit):
 *   π, log π = softmax rows of θ;  M = I − γP_π with P_π(s, s') = Σ_a π(a|s) P(s'|s,a) (actions with
 *   π(a|s) = 0 skipped);  P·M = L·U by Doolittle elimination with partial pivoting;
 *   d_ρ = (1−γ) Mᵀ⁻¹ρ.
 */
export function preparePolicyFactor(factor: PolicyFactor, theta: ArrayLike<number>): void {
  if (!acceptTheta('theta', theta, factor.theta)) return;
  try {
    if (factor.kind === 'dense') fillFactor(factor);
    else fillKrylovFactor(factor);
  } catch (e) {
    factor.theta.filled = false; // the tables do not describe θ: refactor on the next call
    throw e;
  }
}

function fillFactor(factor: DensePolicyFactor): void {
  const { S, A, gamma, pi, logPi, matrix: m, occupancy, rho, workspace: ws, offsets, kernel } = factor;
  occupancy.set(rho);
  if (ws && kernel) {
    kernel.softmax(offsets.theta, offsets.pi, offsets.logPi, S, A);
    ws.identityMinusWeighted(A, offsets.rowStart, offsets.next, offsets.prob, offsets.pi, gamma);
    const singular = ws.factor();
    if (singular >= 0) throw singularError(singular);
    factor.lu = { n: S, lu: m, pivot: ws.pivot };
    ws.solveTransposed(0);
  } else {
    softmaxLogRows(factor.theta.theta, S, A, pi, logPi);
    fillIdentityMinusWeighted(m, factor.transitions, pi, gamma);
    factor.lu = luFactor(m, S);
    luSolveTransposed(factor.lu, occupancy);
  }
  for (let s = 0; s < S; s++) occupancy[s] *= 1 - gamma;
}

/**
 * J(θ) = ρᵀV and, into `out` unless it is null, ∇J(θ) (τ ≥ 0) of `mdp` (whose transitions, ρ and γ are
 * the factor's), from a factor prepared at θ, with evaluatePolicy's and gradientFromEvaluation's
 * arithmetic operation for operation:
 *   V = M⁻¹ r_π;  A(s,a) = R(s,a) + γ Σ_s' P(s'|s,a) V(s') − τ log π(a|s) − V(s);
 *   ∂J/∂θ(s,a) = d_ρ(s) π(a|s) A(s,a)/(1−γ).
 * In the factor's kernels when it has them (R copied in, the gradient copied out), else in TypeScript.
 */
export function factorGradient(f: PolicyFactor, mdp: TabularMDP, entropy: number, out: Float64Array | null): number {
  if (f.kind === 'krylov') return krylovFactorGradient(f, mdp, entropy, out);
  const { S, A, gamma, reward: R, rho } = mdp;
  const { pi, logPi, occupancy, value: V, kernel, workspace: ws } = f;
  const scale = 1 / (1 - gamma);
  if (kernel && ws) {
    const o = f.offsets;
    f.reward.set(R);
    kernel.policyReward(o.reward, o.pi, o.logPi, entropy, S, A, o.value);
    ws.solve(1);
    if (out) {
      kernel.gradient(o.reward, o.pi, o.logPi, o.occupancy, o.value, o.rowStart, o.next, o.prob, entropy, gamma, scale, S, A, o.gradient);
      out.set(f.gradient);
    }
  } else {
    luSolve(f.lu as LU, policyReward(R, pi, logPi, entropy, S, A, V));
    if (out) {
      const { rowStart, next, prob } = mdp.transitions;
      for (let s = 0, k = 0; s < S; s++) {
        const vs = V[s];
        const ds = occupancy[s];
        for (let a = 0; a < A; a++, k++) {
          let nx = 0;
          const end = rowStart[k + 1];
          for (let j = rowStart[k]; j < end; j++) nx += prob[j] * V[next[j]];
          const q = R[k] + gamma * nx;
          const adv = q - entropy * logPi[k] - vs;
          out[k] = ds * pi[k] * adv * scale;
        }
      }
    }
  }
  let J = 0;
  for (let s = 0; s < S; s++) J += rho[s] * V[s];
  return J;
}

/**
 * An agent's exact gradient oracle ∇J_i(θ) (τ ≥ 0), writing into `out`. It works in buffers allocated once
 * and, through `factor`, shares the θ-only work with every other agent whose oracle holds the same factor
 * (dense LU for S ≤ DENSE_SOLVE_LIMIT, Krylov above); the numbers are exactGradient's to the bit (tested).
 * Should GMRES miss its bound on the Krylov path, that call is exactGradient's (Gauss–Seidel fallback).
 */
export function createExactGradientOracle(mdp: TabularMDP, entropy: number, factor?: PolicyFactor | null): (theta: ArrayLike<number>, out: Float64Array) => void {
  const f = factor && factorFits(factor, mdp) ? factor : createPolicyFactor(mdp);
  return (theta, out) => {
    try {
      preparePolicyFactor(f, theta);
      factorGradient(f, mdp, entropy, out);
    } catch (e) {
      if (!(e instanceof KrylovNotConverged)) throw e;
      out.set(exactGradient(mdp, theta, { entropy }));
    }
  };
}
