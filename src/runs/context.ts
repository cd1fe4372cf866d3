import { fail, formatValue } from '../core/check';
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
import { type BoundarySite, boundaryFail, checkCount } from './boundary';

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
  /** The context of round t with step size η_t; `sink` receives the round's counts; `site` names the algorithm and round in errors. */
  forRound(t: number, stepSize: number, roundRng: Rng, sink: Required<Communication>, site?: BoundarySite): RoundContext;
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
  const d = setup.size;
  // The tabular softmax is the routines' default: passing it on would only re-bind it.
  const policyOption = setup.policy.features ? { policy: setup.policy } : {};
  const exact = (i: number, theta: ArrayLike<number>) => exactGradient(mdps[i], theta, { entropy: config.entropy, ...policyOption });
  return {
    forRound(t, stepSize, roundRng, sink, site = { algorithm: config.algorithm, where: `round ${t + 1}` }) {
      // What a plug-in passes in is checked at the boundary (runs/boundary.ts): errors name the algorithm, the call and the argument.
      const checkAgent = (call: string, i: number) => {
        if (!(Number.isInteger(i) && i >= 0 && i < setup.agents)) boundaryFail(site, `${call} agent`, i, `must be an integer in [0, ${setup.agents - 1}], got ${formatValue(i)}`);
      };
      const checkLength = (call: string, name: string, v: ArrayLike<number>, buffer: boolean) => {
        if (buffer ? !(v instanceof Float64Array) : !(v instanceof Float64Array || Array.isArray(v))) boundaryFail(site, `${call} ${name}`, v, `must be ${buffer ? 'a Float64Array' : 'an array'} of length ${d}, got ${formatValue(v)}`);
        if (v.length !== d) boundaryFail(site, `${call} ${name}`, v, `has length ${v.length}, expected ${d} (d, the policy's parameters)`);
      };
      const checkBatch = (call: string, batch: number | undefined) => {
        if (batch !== undefined && !(Number.isSafeInteger(batch) && batch >= 1)) boundaryFail(site, `${call} batch`, batch, `must be an integer ≥ 1, got ${formatValue(batch)}`);
      };
      const stream = (i: number, label: string) => {
        checkAgent('ctx.stream', i);
        if (typeof label !== 'string') boundaryFail(site, 'ctx.stream label', label, `must be a string, got ${formatValue(label)}`);
        return roundRng.fold(`agent:${i}`).fold(label);
      };
      const oracle = (i: number, batch?: number) => {
        checkAgent('ctx.oracle', i);
        checkBatch('ctx.oracle', batch);
        return oraclesFor(config.oracle.kind === 'sampled' ? (batch ?? setup.batchPerStep) : 0)[i];
      };
      return {
        ...setup,
        round: t,
        stepSize,
        stream,
        oracle,
        gradient(i, theta, label, out, batch) {
          checkLength('ctx.gradient', 'theta', theta, false);
          checkLength('ctx.gradient', 'out', out, true);
          sink.envSteps += oracle(i, batch)(theta, stream(i, label), out);
          return out;
        },
        weightedGradients(i, theta, thetaPrevious, label, out, outPrevious) {
          checkAgent('ctx.weightedGradients', i);
          checkLength('ctx.weightedGradients', 'theta', theta, false);
          checkLength('ctx.weightedGradients', 'thetaPrevious', thetaPrevious, false);
          checkLength('ctx.weightedGradients', 'out', out, true);
          checkLength('ctx.weightedGradients', 'outPrevious', outPrevious, true);
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
          checkAgent('ctx.evaluate', i);
          checkLength('ctx.evaluate', 'theta', theta, false);
          return evaluatePolicy(mdps[i], theta, { entropy: config.entropy, ...policyOption });
        },
        estimateValue(i, theta, label, batch) {
          checkAgent('ctx.estimateValue', i);
          checkLength('ctx.estimateValue', 'theta', theta, false);
          checkBatch('ctx.estimateValue', batch);
          if (config.oracle.kind === 'exact') return evaluatePolicy(mdps[i], theta, { entropy: config.entropy, ...policyOption }).J;
          const est = valueEstimator(i, batch ?? M).estimate(theta, stream(i, label));
          sink.envSteps += est.stats.envSteps;
          return est.stats.meanReturn;
        },
        count(c) {
          if (c === null || typeof c !== 'object') boundaryFail(site, 'ctx.count', c, `must be given { envSteps?, messages?, syncs? }, got ${formatValue(c)}`);
          for (const key of Object.keys(c)) if (key !== 'envSteps' && key !== 'messages' && key !== 'syncs') boundaryFail(site, `count.${key}`, (c as Record<string, unknown>)[key], 'is not a counter (envSteps, messages, syncs)');
          if (c.envSteps !== undefined) sink.envSteps += checkCount(site, 'count.envSteps', c.envSteps);
          if (c.messages !== undefined) sink.messages += checkCount(site, 'count.messages', c.messages);
          if (c.syncs !== undefined) sink.syncs += checkCount(site, 'count.syncs', c.syncs);
        },
      };
    },
  };
}
