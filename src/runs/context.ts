import { fail } from '../core/check';
import type { PolicyClass } from '../policy/policyClass';
import type { Rng } from '../core/rng';
import { exactGradient } from '../estimators/exact';
import { createGradientEstimator, type GradientEstimator } from '../estimators/sampled';
import { importanceWeightedGradients } from '../estimators/importanceWeighted';
import { evaluatePolicy } from '../policy/evaluatePolicy';
import type { FederatedProblem, TabularMDP } from '../mdp/problem';
import { agentMDP } from '../mdp/views';
import type { Algorithm, AlgorithmSetup, Communication, RoundContext } from '../algorithms/algorithm';
import type { ResolvedConfig } from '../algorithms/settings';
import type { PolicyFactor } from '../estimators/exactOracle';
import type { Oracle } from '../algorithms/algorithm';
import { createOracles } from './oracle';

/** The setup an algorithm's init and every round see (its `batchPerStep` read from the algorithm, once). */
export function algorithmSetup(problem: FederatedProblem, config: ResolvedConfig, algorithm: Algorithm<any>, policy: PolicyClass<any>): AlgorithmSetup {
  const size = policy.dimension;
  return Object.freeze({
    agents: problem.rewards.length,
    S: problem.S,
    A: problem.A,
    size,
    policy,
    gamma: problem.gamma,
    localSteps: config.localSteps,
    serverStep: config.serverStep,
    entropy: config.entropy,
    oracleConfig: config.oracle,
    batchPerStep: algorithm.batchPerStep(config),
    detail: config.detail,
    initialTheta: config.initialTheta ? Float64Array.from(config.initialTheta) : new Float64Array(size),
    options: Object.freeze({ ...config.options }),
    stepSizeSchedule: config.stepSize,
  });
}

/** What a run keeps across rounds to build contexts: the agents' MDPs and their oracles per batch size (built on first use). */
export interface ContextFactory {
  /** The context of round t with step size η_t; `sink` receives the round's counts. */
  forRound(t: number, stepSize: number, roundRng: Rng, sink: Required<Communication>): RoundContext;
}

/** Contexts for a run of `config` on `problem`; exact oracles share `factor` (oracle.ts, createRunFactor). */
export function createContextFactory(problem: FederatedProblem, config: ResolvedConfig, setup: AlgorithmSetup, factor?: PolicyFactor | null): ContextFactory {
  const oracles = new Map<number, Oracle[]>();
  const mdps: TabularMDP[] = problem.rewards.map((_, i) => agentMDP(problem, i));
  const M = config.oracle.kind === 'sampled' ? config.oracle.batch : 0;
  const oraclesFor = (batch: number): Oracle[] => {
    let list = oracles.get(batch);
    if (!list) {
      const oracle = config.oracle.kind === 'sampled' ? { ...config.oracle, batch } : config.oracle;
      list = createOracles(problem, { ...config, oracle }, factor, setup.policy);
      oracles.set(batch, list);
    }
    return list;
  };
  // Return estimators (ifca's model selection), per batch size and agent, built on first use.
  const valueEstimators = new Map<number, GradientEstimator[]>();
  const valueEstimator = (i: number, batch: number): GradientEstimator => {
    let list = valueEstimators.get(batch);
    if (!list) {
      const o = config.oracle as Extract<ResolvedConfig['oracle'], { kind: 'sampled' }>;
      list = mdps.map((m) => createGradientEstimator(m, { horizon: o.horizon, batch, estimator: o.estimator, entropy: config.entropy, variance: false, ...(config.limits ? { limits: config.limits } : {}), ...policyOption }));
      valueEstimators.set(batch, list);
    }
    return list[i];
  };
  // The tabular softmax is the routines' default: passing it on would only re-bind it.
  const policyOption = setup.policy.features ? { policy: setup.policy } : {};
  const exact = (i: number, theta: ArrayLike<number>) => exactGradient(mdps[i], theta, { entropy: config.entropy, ...policyOption });
  const checkAgent = (i: number) => {
    if (!(Number.isInteger(i) && i >= 0 && i < setup.agents)) fail('agent', i, `must be an integer in [0, ${setup.agents - 1}]`);
  };
  return {
    forRound(t, stepSize, roundRng, sink) {
      const stream = (i: number, label: string) => roundRng.fold(`agent:${i}`).fold(label);
      const oracle = (i: number, batch?: number) => {
        checkAgent(i);
        return oraclesFor(config.oracle.kind === 'sampled' ? (batch ?? setup.batchPerStep) : 0)[i];
      };
      return {
        ...setup,
        round: t,
        stepSize,
        stream,
        oracle,
        gradient(i, theta, label, out, batch) {
          sink.envSteps += oracle(i, batch)(theta, stream(i, label), out);
          return out;
        },
        weightedGradients(i, theta, thetaPrevious, label, out, outPrevious) {
          checkAgent(i);
          if (config.oracle.kind === 'exact') {
            out.set(exact(i, theta));
            outPrevious.set(exact(i, thetaPrevious));
            return 0;
          }
          // Per-decision importance weights are written for GPOMDP: a REINFORCE run is refused, not silently changed.
          if (config.oracle.estimator !== 'gpomdp') fail('oracle.estimator', config.oracle.estimator, "is not 'gpomdp': importance-weighted gradients are GPOMDP estimates (declare `estimators: ['gpomdp']` in the algorithm to refuse such runs when they are configured)");
          const w = importanceWeightedGradients(mdps[i], theta, thetaPrevious, { horizon: config.oracle.horizon, batch: config.oracle.batch, entropy: config.entropy, ...policyOption }, stream(i, label));
          out.set(w.grad);
          outPrevious.set(w.weightedPrevious);
          sink.envSteps += w.envSteps;
          return w.envSteps;
        },
        evaluate(i, theta) {
          checkAgent(i);
          return evaluatePolicy(mdps[i], theta, { entropy: config.entropy, ...policyOption });
        },
        estimateValue(i, theta, label, batch) {
          checkAgent(i);
          if (config.oracle.kind === 'exact') return evaluatePolicy(mdps[i], theta, { entropy: config.entropy, ...policyOption }).J;
          const est = valueEstimator(i, batch ?? M).estimate(theta, stream(i, label));
          sink.envSteps += est.stats.envSteps;
          return est.stats.meanReturn;
        },
        count(c) {
          sink.envSteps += c.envSteps ?? 0;
          sink.messages += c.messages ?? 0;
          sink.syncs += c.syncs ?? 0;
        },
      };
    },
  };
}
