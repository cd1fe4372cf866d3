import { defineAlgorithm, logSoftmaxRows, meanOf, stepSizeAt, ValidationError } from '../algorithms/plugin';
import { decentralisedStepBound, FEDNPG_MIXINGS, type Mixing, mixingMatrix, mixingSecondEigenvalue, neighbourCount } from './mixing';

/** FedNPG's state: every agent's log-policy, its Q-tracking estimate T_n and its last local Q_τ,n. */
export interface FedNPGState {
  /** log π_n^{(t)}, normalised per state (a valid softmax θ). */
  logPi: Float64Array[];
  /** T_n^{(t)}, agent n's estimate of the global Q_τ (null before round 1: set to Q_τ,n^{(0)}). */
  tracking: Float64Array[] | null;
  /** Q_τ,n^{π_n^{(t)}}, kept for the tracking update (null before round 1). */
  q: Float64Array[] | null;
}

/** W·x_n = Σ_{n'} W_{n,n'} x_{n'} for every agent; the server form uses the shifted mean (algorithms/aggregate.ts). */
function mix(W: readonly Float64Array[], server: boolean, xs: readonly Float64Array[]): Float64Array[] {
  if (server) {
    const mean = meanOf(xs);
    return xs.map(() => Float64Array.from(mean));
  }
  return W.map((row) => {
    const out = new Float64Array(xs[0].length);
    row.forEach((w, j) => {
      if (w !== 0) for (let k = 0; k < out.length; k++) out[k] += w * xs[j][k];
    });
    return out;
  });
}

/**
 * FedNPG with entropy regularisation and exact policy evaluation (Yang, Cen, Wei, Chen & Chi, "Federated
 * Natural Policy Gradient and Actor Critic Methods for Multi-task Reinforcement Learning", NeurIPS 2024,
 * arXiv:2311.00201, entropy-regularised FedNPG with Q-tracking), one iteration t per communication round:
 *   log π_n^{(t+1)} = Σ_{n'} W_{n,n'} [ (1 − ητ/(1−γ)) log π_{n'}^{(t)} + (η/(1−γ)) T_{n'}^{(t)} ] − log z_n^{(t)},
 *   T_n^{(t+1)}     = Σ_{n'} W_{n,n'} [ T_{n'}^{(t)} + Q_τ,n'^{(t+1)} − Q_τ,n'^{(t)} ],   T_n^{(0)} = Q_τ,n^{(0)},
 * where Q_τ,n^{(t)} = Q_τ^{π_n^{(t)}} is agent n's soft Q-function (its own reward, R_n + γ P V_τ,n),
 * z_n normalises each state's row, and 0 < η ≤ (1−γ)/τ. With W = 11ᵀ/N, T^{(t)} is the averaged MDP's
 * Q_τ^{π_t} (Q_τ is linear in R for a fixed π and shared P) and one iteration is centralised entropy-
 * regularised NPG (Cen, Cheng, Chen, Wei & Chi, Operations Research 2022):
 *   π_{t+1}(a|s) ∝ π_t(a|s)^{1−ητ/(1−γ)} exp(η Q_τ^{π_t}(s,a)/(1−γ)),
 * which for η = (1−γ)/τ is soft policy iteration, π_{t+1} ∝ exp(Q_τ^{π_t}/τ). τ = 0 gives vanilla FedNPG.
 *
 * Our choices (the paper's algorithm has no local steps and counts iterations, not samples):
 * - one iteration per round; H must be 1 (the two W-mixings are the communication of an iteration);
 * - exact oracle only (the tabular, exact-evaluation form); env steps 0;
 * - communication per round: two exchanges, each agent sending one vector per exchange (the mixed
 *   quantity: (1−ητ/(1−γ)) log π_n + (η/(1−γ)) T_n, then T_n + ΔQ_n). 'server': N up + N down per
 *   exchange, 4N vectors, 2 syncs; 'ring': one vector to each neighbour, 2·Σ_n deg(n) vectors, 2 syncs;
 * - the server policy θ̄ reported to the metrics is the normalised geometric mean of the agents' policies,
 *   θ̄ = (1/N) Σ_n log π_n (all agents agree with W = 11ᵀ/N after the first iteration);
 * - we store log π_n normalised (the paper's unnormalised log ξ_n differs by a per-state constant, which
 *   the mixing keeps per-state constant, so the policies are the same).
 */
export const fedNPG = defineAlgorithm<FedNPGState>({
  name: 'fednpg',
  description: 'FedNPG (Yang et al., NeurIPS 2024): entropy-regularised natural PG with Q-tracking over a mixing matrix W',
  options: {
    mixing: { type: 'enum', values: FEDNPG_MIXINGS, default: 'server', symbol: 'W', doc: "mixing matrix: 'server' (W = 11ᵀ/N) or 'ring' (neighbours n ± 1, weights 1/3)" },
    beyondTheorem: { type: 'boolean', default: false, doc: 'accept a decentralised W with η_0 above (1 − σ)²(1 − γ)/τ, where the convergence theorem does not apply (for demonstrating what happens there)' },
  },
  // One exact evaluation of Q_τ per agent per round (the exact oracle only).
  stepsPerRound: () => 1,
  validate(setup) {
    // Its update is on log π itself (the tabular closed form), so θ must be log π up to a per-state constant:
    // the tabular softmax or one-hot features (the same class). Other features would need Q-NPG with
    // compatible features (Agarwal et al. 2021), which this baseline does not implement.
    if (setup.policy.name !== 'tabular' && !setup.policy.features?.identity) throw new ValidationError('policy', setup.policy.label, `policy must be 'tabular' (or one-hot features) for fednpg (its update π⁺ ∝ π^{1−ητ/(1−γ)} exp(η Q_τ/(1−γ)) is the tabular softmax's closed form), got ${setup.policy.label}`);
    if (setup.oracleConfig.kind !== 'exact') throw new ValidationError('oracle', setup.oracleConfig.kind, `oracle must be 'exact' for fednpg (exact policy evaluation), got '${setup.oracleConfig.kind}'`);
    if (setup.localSteps !== 1) throw new ValidationError('localSteps', setup.localSteps, `localSteps must be 1 for fednpg (one NPG iteration per round, no local steps), got ${setup.localSteps}`);
    if (setup.serverStep !== 1) throw new ValidationError('serverStep', setup.serverStep, `serverStep must be 1 for fednpg (W does the averaging), got ${setup.serverStep}`);
    // η_0 is checked before any round, and so when an experiment file is read (the schedules' η_t is largest
    // at t = 0: constant, planned, or decaying); every round's η_t is checked again in the round.
    const eta = stepSizeAt(setup.stepSizeSchedule, 0, setup.agents, setup.localSteps);
    if (setup.entropy > 0 && eta * setup.entropy > (1 - setup.gamma) * (1 + 1e-12)) {
      throw new ValidationError('stepSize', eta, `stepSize η = ${eta} must be ≤ (1−γ)/τ = ${Number(((1 - setup.gamma) / setup.entropy).toPrecision(12))} for fednpg (γ = ${setup.gamma}, τ = ${setup.entropy})`);
    }
    const mixing = setup.options.mixing as Mixing;
    const sigma = mixingSecondEigenvalue(mixing, setup.agents);
    if (setup.entropy > 0 && sigma > 0 && setup.options.beyondTheorem !== true) {
      const bound = decentralisedStepBound(sigma, setup.gamma, setup.entropy);
      if (eta > bound * (1 + 1e-12)) {
        throw new ValidationError('stepSize', eta, `stepSize η = ${eta} is above the decentralised step bound (1−σ)²(1−γ)/τ = ${Number(bound.toPrecision(6))} for fednpg with mixing '${mixing}' (σ = ‖W − 11ᵀ/N‖₂ = ${Number(sigma.toPrecision(6))}, N = ${setup.agents}, γ = ${setup.gamma}, τ = ${setup.entropy}): FedNPG's convergence theorem over a graph needs a step that shrinks with the spectral gap 1 − σ; lower the step, use mixing 'server', or set beyondTheorem: true to run it anyway`);
      }
    }
  },
  init(setup) {
    const logPi = logSoftmaxRows(setup.initialTheta, setup.S, setup.A, new Float64Array(setup.size));
    return { logPi: Array.from({ length: setup.agents }, () => Float64Array.from(logPi)), tracking: null, q: null };
  },
  round(ctx, state) {
    const { agents: N, S, A, size, gamma, entropy: tau, stepSize: eta } = ctx;
    // Relative slack 1e-12: (1−γ)/τ itself (soft policy iteration) must pass despite the rounding of 1 − γ.
    if (tau > 0 && eta * tau > (1 - gamma) * (1 + 1e-12)) {
      throw new ValidationError('stepSize', eta, `stepSize η_t = ${eta} must be ≤ (1−γ)/τ = ${Number(((1 - gamma) / tau).toPrecision(12))} for fednpg (round ${ctx.round + 1})`);
    }
    const mixing = ctx.options.mixing as Mixing;
    const W = mixingMatrix(mixing, N);
    const server = mixing === 'server';
    const q = state.q ?? state.logPi.map((lp, n) => ctx.evaluate(n, lp).Q);
    const T = state.tracking ?? q.map((x) => Float64Array.from(x));
    const keep = 1 - (eta * tau) / (1 - gamma);
    const step = eta / (1 - gamma);
    const proposals = state.logPi.map((lp, n) => {
      const x = new Float64Array(size);
      for (let k = 0; k < size; k++) x[k] = keep * lp[k] + step * T[n][k];
      return x;
    });
    const logPi = mix(W, server, proposals).map((y) => logSoftmaxRows(y, S, A, new Float64Array(size)));
    const qNext = logPi.map((lp, n) => ctx.evaluate(n, lp).Q);
    const tracked = T.map((t, n) => t.map((x, k) => x + qNext[n][k] - q[n][k]));
    const tracking = mix(W, server, tracked);
    ctx.count({ messages: server ? 4 * N : 2 * neighbourCount(W), syncs: 2 });
    return { state: { logPi, tracking, q: qNext } };
  },
  thetaBar: (state) => meanOf(state.logPi),
});
