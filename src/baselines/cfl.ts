import { checkClusterState, clusteredRound, defineAlgorithm, FAST_FEDPG_OPTIONS, fastFedPGSteps, meanOf } from '../algorithms/plugin';
import { bestBipartition } from './split';

/** CFL's state: the cluster models, each agent's cluster (all 0 until the first split) and θ̄. */
export interface CFLState {
  /** θ̄: the model while there is one cluster, else the mean over agents of their cluster's model. */
  thetaBar: Float64Array;
  models: Float64Array[];
  assignment: number[];
}

const norm = (x: Float64Array) => Math.sqrt(x.reduce((s, v) => s + v * v, 0));

/**
 * Clustered federated learning (Sattler, Müller & Samek, "Clustered Federated Learning: Model-Agnostic
 * Distributed Multitask Optimization Under Privacy Constraints", IEEE TNNLS 2020) with Fast-FedPG inside each
 * cluster and its anchors as the agents' update directions. Round t: Fast-FedPG's round in every cluster
 * (`clusteredRound`); then a cluster C_k with at least 2 members is split in two when its members are near a
 * stationary point of their joint objective while some are not near their own,
 *   ‖c̄_k‖ < ε₁  and  max_{i∈C_k} ‖c_i‖ > ε₂,
 * and the best bipartition (`bestBipartition`: minimal largest cross cosine similarity of the anchors c_i)
 * separates them, max_{i∈A, j∈B} cos(c_i, c_j) < α_split. Both halves start from the cluster's new model;
 * the half without the cluster's smallest agent gets the next index. At most `maxClusters` clusters. Until
 * the first split the run is Fast-FedPG to the bit. Communication: Fast-FedPG's 4N vectors and 2
 * synchronisations (the anchors used for the split are those Fast-FedPG already sends).
 */
export const cfl = defineAlgorithm<CFLState>({
  name: 'cfl',
  description: 'Clustered FL (Sattler et al. 2020): split a cluster by anchor-gradient cosine similarity at a stationary point; Fast-FedPG inside clusters',
  options: {
    ...FAST_FEDPG_OPTIONS,
    splitMeanNorm: { type: 'number', min: 0, minExclusive: true, default: 0.01, symbol: 'ε₁', doc: 'split only when the cluster\'s mean anchor ‖c̄_k‖ < ε₁ (near a stationary point)' },
    splitMaxNorm: { type: 'number', min: 0, default: 0.1, symbol: 'ε₂', doc: 'split only when some member\'s anchor ‖c_i‖ > ε₂ (not stationary for it)' },
    splitSimilarity: { type: 'number', min: -1, max: 1, default: 0, symbol: 'α_split', doc: 'split only when the best bipartition\'s largest cross cosine similarity is below α_split' },
    maxClusters: { type: 'integer', min: 1, default: 8, doc: 'largest number of clusters' },
  },
  stepsPerRound: fastFedPGSteps,
  checkState: (state, setup) => checkClusterState(state, setup, { maxClusters: setup.options.maxClusters as number }),
  init: (setup) => ({ thetaBar: Float64Array.from(setup.initialTheta), models: [Float64Array.from(setup.initialTheta)], assignment: new Array<number>(setup.agents).fill(0) }),
  round(ctx, state) {
    const o = ctx.options as { splitMeanNorm: number; splitMaxNorm: number; splitSimilarity: number; maxClusters: number };
    const { models, agents, anchorMeans } = clusteredRound(ctx, state.models, { assignment: state.assignment }, ctx.options.reuseAnchor === true);
    ctx.count({ messages: 4 * ctx.agents, syncs: 2 });
    const assignment = [...state.assignment];
    const K = models.length;
    for (let k = 0; k < K && models.length < o.maxClusters; k++) {
      const members = state.assignment.flatMap((a, i) => (a === k ? [i] : []));
      const mean = anchorMeans[k];
      if (members.length < 2 || !mean || norm(mean) >= o.splitMeanNorm) continue;
      const anchors = members.map((i) => agents[i].anchor as Float64Array);
      if (Math.max(...anchors.map(norm)) <= o.splitMaxNorm) continue;
      const split = bestBipartition(anchors);
      if (split.maxCrossSimilarity >= o.splitSimilarity) continue;
      for (const j of split.second) assignment[members[j]] = models.length;
      models.push(Float64Array.from(models[k]));
    }
    const thetaBar = models.length === 1 ? models[0] : meanOf(assignment.map((k) => models[k]));
    return { state: { thetaBar, models, assignment }, agents, anchorMean: K === 1 ? anchorMeans[0] : null, assignment };
  },
  agentTheta: (state) => (state.models.length > 1 ? state.assignment.map((k) => state.models[k]) : null),
});
