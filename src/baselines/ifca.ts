import { checkClusterState, clusteredRound, defineAlgorithm, FAST_FEDPG_OPTIONS, fastFedPGSteps, meanOf, type RoundContext, ValidationError } from '../algorithms/plugin';

/** IFCA's state: K cluster models (null before round 1), each agent's last pick (null before round 1), and θ̄. */
export interface IFCAState {
  /** θ̄: the model when K = 1, else the mean over agents of the model each one uses. */
  thetaBar: Float64Array;
  models: Float64Array[] | null;
  assignment: number[] | null;
  /** Soft assignment only: w_ik of the last round (rows sum to 1). */
  weights?: number[][] | null;
}

/**
 * Soft weights w_ik = exp(Ĵ_ik/T) / Σ_k' exp(Ĵ_ik'/T) (max subtracted), set to 0 below `cutoff` and
 * renormalised; T → 0 gives the hard pick (one-hot on the argmax).
 */
export function softWeights(values: readonly number[], temperature: number, cutoff = 1e-6): number[] {
  const top = Math.max(...values);
  const e = values.map((v) => Math.exp((v - top) / temperature));
  const z = e.reduce((s, x) => s + x, 0);
  const w = e.map((x) => (x / z < cutoff ? 0 : x / z));
  const z2 = w.reduce((s, x) => s + x, 0);
  return w.map((x) => x / z2);
}

/**
 * The ways of starting K > 1 models (docs/clustering.md): 'random', IFCA's own (Ghosh et al. 2020: random
 * models, restarted from other random draws, i.e. other run seeds); 'farthest', farthest-point seeds on the
 * anchor gradients; 'forgy', K random agents' anchors.
 */
export const CLUSTER_INITS = ['random', 'farthest', 'forgy'] as const;

/** Cosine distance 1 − ⟨x, y⟩/(‖x‖‖y‖); 0 when either vector is zero. */
export function cosineDistance(x: Float64Array, y: Float64Array): number {
  let xy = 0;
  let xx = 0;
  let yy = 0;
  for (let k = 0; k < x.length; k++) {
    xy += x[k] * y[k];
    xx += x[k] * x[k];
    yy += y[k] * y[k];
  }
  return xx > 0 && yy > 0 ? 1 - xy / Math.sqrt(xx * yy) : 0;
}

/**
 * Farthest-point seeds (Gonzalez 1985; the deterministic cousin of k-means++) among vectors c_i by cosine
 * distance: the first is the vector farthest from their mean, each next one maximises the distance to the
 * nearest seed chosen so far; ties go to the smallest index. Returns K distinct indices.
 */
export function farthestPointSeeds(vectors: readonly Float64Array[], K: number): number[] {
  const mean = meanOf(vectors);
  const argmax = (score: (i: number) => number, skip: Set<number>) => {
    let best = -1;
    let bestScore = -Infinity;
    vectors.forEach((_, i) => {
      const v = score(i);
      if (!skip.has(i) && v > bestScore) [best, bestScore] = [i, v];
    });
    return best;
  };
  const chosen = new Set<number>();
  const seeds = [argmax((i) => cosineDistance(vectors[i], mean), chosen)];
  chosen.add(seeds[0]);
  while (seeds.length < K) {
    const next = argmax((i) => Math.min(...seeds.map((j) => cosineDistance(vectors[i], vectors[j]))), chosen);
    seeds.push(next);
    chosen.add(next);
  }
  return seeds;
}

/** Index of the largest value, the first on ties (IFCA's pick argmax_k Ĵ_i(θ_k)). */
export function argmaxFirst(values: readonly number[]): number {
  let best = 0;
  for (let k = 1; k < values.length; k++) if (values[k] > values[best]) best = k;
  return best;
}

/**
 * K models drawn at random around θ̄⁰ (IFCA's random initialisation): θ_k⁰ = θ̄⁰ + σ ξ_k, ξ_k ~ N(0, I) i.i.d.
 * (Box–Muller on the server's stream `agent:0/init:clusters`, coordinates in order, model by model), σ the
 * option `initScale`. No agent is consulted and nothing is sampled from the environments; the models go out
 * in the round's first broadcast. Another run seed draws other models: IFCA's restarts.
 */
function randomModels(ctx: RoundContext, start: Float64Array, K: number, scale: number): Float64Array[] {
  const rng = ctx.stream(0, 'init:clusters');
  const normal = () => Math.sqrt(-2 * Math.log(1 - rng.double())) * Math.cos(2 * Math.PI * rng.double());
  return Array.from({ length: K }, () => start.map((x) => x + scale * normal()));
}

/**
 * The K starting models from the agents' anchors at θ̄⁰, each one step of length η_t·H along a seed agent's
 * anchor gradient, θ_k⁰ = θ̄⁰ + η_t H c_{j_k}, c_i = ĝ_i(θ̄⁰) on the streams `agent:i/init:anchor`. Seeds j_k:
 * farthest-point on the anchors ('farthest'), or K distinct agents drawn uniformly on the server's stream
 * `agent:0/init:clusters` ('forgy', Forgy's initialisation). Counts N anchors up.
 */
function anchorModels(ctx: RoundContext, start: Float64Array, K: number, how: string): Float64Array[] {
  const { agents: N, size } = ctx;
  const anchors = Array.from({ length: N }, (_, i) => ctx.gradient(i, start, 'init:anchor', new Float64Array(size)));
  ctx.count({ messages: N });
  let seeds: number[];
  if (how === 'farthest') seeds = farthestPointSeeds(anchors, K);
  else {
    const rng = ctx.stream(0, 'init:clusters');
    const order = Array.from({ length: N }, (_, i) => i);
    for (let k = 0; k < K; k++) {
      const j = k + Math.floor(rng.double() * (N - k));
      [order[k], order[j]] = [order[j], order[k]];
    }
    seeds = order.slice(0, K);
  }
  const length = ctx.stepSize * ctx.localSteps;
  return seeds.map((j) => start.map((x, k) => x + length * anchors[j][k]));
}

/** The K starting models of option `clusterInit`. */
function initialModels(ctx: RoundContext, start: Float64Array, K: number): Float64Array[] {
  const how = ctx.options.clusterInit as string;
  return how === 'random' ? randomModels(ctx, start, K, ctx.options.initScale as number) : anchorModels(ctx, start, K, how);
}

/**
 * IFCA, the Iterative Federated Clustering Algorithm (Ghosh, Chung, Yin & Ramchandran, NeurIPS 2020), with
 * Fast-FedPG as each cluster's solver. Round t, models θ_1..θ_K:
 *   1. the server sends the K models; agent i picks k_i = argmax_k Ĵ_i(θ_k) (exact J_i with the exact oracle;
 *      the mean truncated return of M trajectories on stream `agent:i/value:k` with the sampled oracle);
 *   2. each cluster k runs Fast-FedPG's round over its members C_k from θ_k: c_i = ĝ_i(θ_k) (stream
 *      `anchor`), c̄_k = (1/|C_k|) Σ_{i∈C_k} c_i, H corrected local steps with c̄_k − c_i (streams `step:ℓ`),
 *      θ_k ← θ_k + (α_g/|C_k|) Σ_{i∈C_k} (θ_{i,H} − θ_k); a model nobody picked stays as it was.
 * K = 1 skips the pick (no returns are sampled) and is Fast-FedPG to the bit. K > 1 starts from
 * `initialModels` (option `clusterInit`: IFCA's random models by default, restarted by other run seeds). Communication: K·N models down, N anchors up, N means down, N
 * local models up ((K + 3)N vectors; 4N at K = 1), 2 synchronisations. Hard assignment only.
 * The trace's `assignment` is each agent's k_i; per-agent metrics are J_i(θ_{k_i}) and J_i* − J_i(θ_{k_i}).
 */
export const ifca = defineAlgorithm<IFCAState>({
  name: 'ifca',
  description: 'IFCA (Ghosh et al., NeurIPS 2020): K cluster models, each agent picks the best one, Fast-FedPG within clusters',
  options: {
    ...FAST_FEDPG_OPTIONS,
    clusters: { type: 'integer', min: 1, default: 2, doc: 'number of cluster models K_c ≥ 1; 1 is Fast-FedPG' },
    assignment: { type: 'enum', values: ['hard', 'soft'], default: 'hard', doc: "'hard': each agent trains the model it picks; 'soft': every model is trained by all agents with weights w_ik = softmax_k(Ĵ_i(θ_k)/T)" },
    softTemperature: { type: 'number', min: 0, minExclusive: true, default: 0.1, requires: { field: 'assignment', values: ['soft'] }, symbol: 'T', doc: 'temperature T of the soft weights, in units of J (soft assignment only)' },
    clusterInit: { type: 'enum', values: CLUSTER_INITS, default: 'random', doc: "starting models: 'random' (IFCA's: θ̄⁰ + σ·N(0, I) per model; restarts are other run seeds), 'farthest' (farthest-point seeds on the anchor gradients at θ̄⁰) or 'forgy' (K_c random agents' anchors)" },
    initScale: { type: 'number', min: 0, minExclusive: true, default: 1, symbol: 'σ', doc: "standard deviation σ of the random starting models' coordinates around θ̄⁰ (clusterInit 'random')" },
  },
  validate(setup) {
    if ((setup.options.clusters as number) > setup.agents) throw new ValidationError('clusters', setup.options.clusters, `clusters is ${setup.options.clusters}: it must be at most the number of agents N = ${setup.agents}`);
  },
  // K > 1: a value estimate of each model per agent, then Fast-FedPG's round in its cluster (soft: in every
  // cluster, at most). Not counted: the N initial anchors of round 1 (clusterInit), drawn once.
  stepsPerRound(config) {
    const K = config.options.clusters as number;
    return K === 1 ? fastFedPGSteps(config) : K + fastFedPGSteps(config) * (config.options.assignment === 'soft' ? K : 1);
  },
  checkState: (state, setup) => checkClusterState(state, setup, { clusters: setup.options.clusters as number }),
  init: (setup) => ({ thetaBar: Float64Array.from(setup.initialTheta), models: null, assignment: null }),
  round(ctx, state) {
    const N = ctx.agents;
    const K = ctx.options.clusters as number;
    const models = state.models ?? (K === 1 ? [state.thetaBar] : initialModels(ctx, state.thetaBar, K));
    const values = K === 1 ? null : Array.from({ length: N }, (_, i) => models.map((m, k) => ctx.estimateValue(i, m, `value:${k}`)));
    const assignment = values ? values.map(argmaxFirst) : new Array<number>(N).fill(0);
    if (values && ctx.options.assignment === 'soft') {
      const weights = values.map((v) => softWeights(v, ctx.options.softTemperature as number));
      const { models: next, agents, phases } = clusteredRound(ctx, models, { weights }, ctx.options.reuseAnchor === true);
      // K·N models down; per phase run an anchor up, a mean down and a local model up.
      ctx.count({ messages: K * N + 3 * phases, syncs: 2 });
      const thetaBar = meanOf(assignment.map((k) => next[k]));
      return { state: { thetaBar, models: next, assignment, weights }, agents, assignment };
    }
    const { models: next, agents, anchorMeans } = clusteredRound(ctx, models, { assignment }, ctx.options.reuseAnchor === true);
    const anchorMean = K === 1 ? anchorMeans[0] : null;
    ctx.count({ messages: (K + 3) * N, syncs: 2 });
    const thetaBar = K === 1 ? next[0] : meanOf(assignment.map((k) => next[k]));
    return { state: { thetaBar, models: next, assignment }, agents, anchorMean, assignment };
  },
  agentTheta: (state) => (state.models && state.assignment ? state.assignment.map((k) => (state.models as Float64Array[])[k]) : null),
});
