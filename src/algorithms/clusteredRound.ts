import { aggregate, meanOf } from './aggregate';
import type { RoundContext } from './algorithm';
import type { AgentRound } from './algorithm';
import { localUpdate } from './localUpdate';

/** Who trains which model: a hard assignment (agent i trains model k_i) or soft weights w_ik ≥ 0 (rows sum to 1). */
export type Membership = { assignment: readonly number[] } | { weights: readonly (readonly number[])[] };

/** What a clustered round leaves: the new models, each agent's part, each model's c̄_k (null if nobody trained it), and the local phases run. */
export interface ClusterRounds {
  models: Float64Array[];
  /** Agent i's local phase (soft weights: the phase for its largest weight). */
  agents: AgentRound[];
  anchorMeans: (Float64Array | null)[];
  /** Local phases run: N with a hard assignment, Σ_k |{i : w_ik > 0}| with soft weights. */
  phases: number;
}

/** c̄_k and the server step of one cluster: plain means (hard), or means weighted by w_ik / Σ_i w_ik (soft). */
interface ClusterMeans {
  anchorMean(anchors: readonly Float64Array[]): Float64Array;
  step(model: Float64Array, locals: readonly Float64Array[], serverStep: number): Float64Array;
}

const PLAIN: ClusterMeans = { anchorMean: meanOf, step: aggregate };

function weightedMeans(w: readonly number[]): ClusterMeans {
  const total = w.reduce((s, x) => s + x, 0);
  return {
    anchorMean(anchors) {
      const mean = new Float64Array(anchors[0].length);
      anchors.forEach((c, j) => c.forEach((x, q) => (mean[q] += (w[j] * x) / total)));
      return mean;
    },
    step(model, locals, serverStep) {
      const step = new Float64Array(model.length);
      locals.forEach((theta, j) => theta.forEach((x, q) => (step[q] += (w[j] * (x - model[q])) / total)));
      return model.map((x, q) => x + serverStep * step[q]);
    },
  };
}

/**
 * Fast-FedPG's round in one cluster (Zhu, Heath & Mitra 2024, Algorithm 1) over its members C_k from the
 * cluster's model θ_k: c_i = ĝ_i(θ_k) (stream `anchor`), c̄_k their mean, H local steps with the
 * correction c̄_k − c_i (streams `step:ℓ`; with `reuseAnchor` the first gradient is c_i), then the server
 * step θ_k + α_g · mean_i (θ_{i,H} − θ_k).
 */
function clusterPhase(ctx: RoundContext, model: Float64Array, members: readonly number[], means: ClusterMeans, reuseAnchor: boolean): { model: Float64Array; agents: AgentRound[]; anchorMean: Float64Array } {
  const anchors = members.map((i) => ctx.gradient(i, model, 'anchor', new Float64Array(ctx.size)));
  const anchorMean = means.anchorMean(anchors);
  const agents = members.map((i, j) => {
    const c = anchors[j];
    const r = localUpdate(ctx, i, model, { correction: anchorMean.map((cm, q) => cm - c[q]), firstGradient: reuseAnchor ? c : null });
    r.anchor = c;
    return r;
  });
  return { model: means.step(model, agents.map((a) => a.thetaLocal), ctx.serverStep), agents, anchorMean };
}

/**
 * The clustered round: Fast-FedPG's round run in every cluster k over its members, from the cluster's
 * model θ_k. With a hard assignment C_k = {i : k_i = k} and plain means,
 *   c_i = ĝ_i(θ_k),  c̄_k = (1/|C_k|) Σ_{i∈C_k} c_i,  θ_{i,ℓ+1} = θ_{i,ℓ} + η_t (ĝ_i(θ_{i,ℓ}) − c_i + c̄_k),
 *   θ_k ← θ_k + (α_g/|C_k|) Σ_{i∈C_k} (θ_{i,H} − θ_k);
 * with soft weights every cluster runs over {i : w_ik > 0} with means weighted by w_ik/Σ_i w_ik, and
 * agent i's phases for different models use its same streams `anchor` and `step:ℓ` (common random numbers:
 * each model's estimate is unbiased; they are correlated across models). A model without members is
 * returned unchanged. Fast-FedPG's round is the one-cluster case (every agent in cluster 0): the built-in
 * calls this function, so IFCA, CFL and Ditto run Fast-FedPG to the bit inside their clusters. Does not
 * count messages (the caller knows what it sent).
 */
export function clusteredRound(ctx: RoundContext, models: readonly Float64Array[], membership: Membership, reuseAnchor: boolean): ClusterRounds {
  const N = ctx.agents;
  const agents: AgentRound[] = new Array(N);
  const anchorMeans: (Float64Array | null)[] = [];
  const soft = 'weights' in membership ? membership.weights : null;
  const own = soft ? soft.map((w) => w.indexOf(Math.max(...w))) : null;
  let phases = 0;
  const next = models.map((model, k) => {
    const members = soft ? Array.from({ length: N }, (_, i) => i).filter((i) => soft[i][k] > 0) : (membership as { assignment: readonly number[] }).assignment.flatMap((a, i) => (a === k ? [i] : []));
    if (members.length === 0) {
      anchorMeans.push(null);
      return model;
    }
    const phase = clusterPhase(ctx, model, members, soft ? weightedMeans(members.map((i) => soft[i][k])) : PLAIN, reuseAnchor);
    anchorMeans.push(phase.anchorMean);
    members.forEach((i, j) => {
      if (!own || own[i] === k) agents[i] = phase.agents[j];
    });
    phases += members.length;
    return phase.model;
  });
  return { models: next, agents, anchorMeans, phases };
}
