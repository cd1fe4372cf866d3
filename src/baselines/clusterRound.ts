import { aggregate, type AgentRound, localUpdate, meanOf, type RoundContext } from '../algorithms/plugin';

/** What one round of per-cluster Fast-FedPG leaves: the new models, each agent's part, each cluster's c̄_k (null if empty). */
export interface ClusterRounds {
  models: Float64Array[];
  agents: AgentRound[];
  anchorMeans: (Float64Array | null)[];
}

/**
 * Fast-FedPG's round (Zhu, Heath & Mitra 2024, Algorithm 1) run separately in every cluster k over its members
 * C_k = {i : assignment[i] = k}, from the cluster's model θ_k: c_i = ĝ_i(θ_k) (stream `anchor`),
 * c̄_k = (1/|C_k|) Σ_{i∈C_k} c_i, H local steps with correction c̄_k − c_i (streams `step:ℓ`),
 * θ_k ← θ_k + (α_g/|C_k|) Σ_{i∈C_k} (θ_{i,H} − θ_k). A model without members is returned unchanged. With one
 * cluster holding every agent this is the built-in's round to the bit (same helpers, same order of sums).
 * Does not count messages (the caller knows what it sent).
 */
export function clusterRounds(ctx: RoundContext, models: readonly Float64Array[], assignment: readonly number[]): ClusterRounds {
  const agents: AgentRound[] = new Array(ctx.agents);
  const anchorMeans: (Float64Array | null)[] = [];
  const next = models.map((model, k) => {
    const members = assignment.flatMap((a, i) => (a === k ? [i] : []));
    if (members.length === 0) {
      anchorMeans.push(null);
      return model;
    }
    const anchors = members.map((i) => ctx.gradient(i, model, 'anchor', new Float64Array(ctx.size)));
    const mean = meanOf(anchors);
    anchorMeans.push(mean);
    members.forEach((i, j) => {
      const c = anchors[j];
      const correction = mean.map((cm, q) => cm - c[q]);
      const r = localUpdate(ctx, i, model, { correction, firstGradient: ctx.reuseAnchor ? c : null });
      r.anchor = c;
      agents[i] = r;
    });
    return aggregate(model, members.map((i) => agents[i].thetaLocal), ctx.serverStep);
  });
  return { models: next, agents, anchorMeans };
}

/**
 * Soft-assignment variant of `clusterRounds`: every cluster k runs Fast-FedPG over the agents with weight
 * w_ik > 0, with weighted means, c̄_k = Σ_i w_ik c_i / Σ_i w_ik and θ_k ← θ_k + α_g Σ_i w_ik (θ_{i,H} − θ_k) / Σ_i w_ik
 * (anchors c_i = ĝ_i(θ_k), corrections c̄_k − c_i). Agent i's local phases for the different models use its
 * same streams `anchor` and `step:ℓ` (common random numbers: each model's estimate is unbiased; they are
 * correlated across models). `agents[i]` reports the phase for agent i's largest weight. Returns, per agent
 * and cluster, the number of phases run.
 */
export function softClusterRounds(ctx: RoundContext, models: readonly Float64Array[], weights: readonly (readonly number[])[]): ClusterRounds & { phases: number } {
  const N = ctx.agents;
  const agents: AgentRound[] = new Array(N);
  const own = weights.map((w) => w.indexOf(Math.max(...w)));
  let phases = 0;
  const anchorMeans: (Float64Array | null)[] = [];
  const next = models.map((model, k) => {
    const members = Array.from({ length: N }, (_, i) => i).filter((i) => weights[i][k] > 0);
    if (members.length === 0) {
      anchorMeans.push(null);
      return model;
    }
    const total = members.reduce((s, i) => s + weights[i][k], 0);
    const anchors = members.map((i) => ctx.gradient(i, model, 'anchor', new Float64Array(ctx.size)));
    const mean = new Float64Array(ctx.size);
    members.forEach((i, j) => anchors[j].forEach((x, q) => (mean[q] += (weights[i][k] * x) / total)));
    anchorMeans.push(mean);
    const step = new Float64Array(ctx.size);
    members.forEach((i, j) => {
      const c = anchors[j];
      const r = localUpdate(ctx, i, model, { correction: mean.map((cm, q) => cm - c[q]), firstGradient: ctx.reuseAnchor ? c : null });
      r.anchor = c;
      if (own[i] === k) agents[i] = r;
      r.thetaLocal.forEach((x, q) => (step[q] += (weights[i][k] * (x - model[q])) / total));
      phases++;
    });
    return model.map((x, q) => x + ctx.serverStep * step[q]);
  });
  return { models: next, agents, anchorMeans, phases };
}
