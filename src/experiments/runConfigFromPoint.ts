import type { RunConfig, StepSizeSchedule } from '../algorithms/config';
import { EXPERIMENT_PARAMETERS, type Limits } from '../core/parameters';
import type { Point } from './spec';

/**
 * The RunConfig a point of an experiment describes (`policy`, a policy class spec, passed as it is). The flat keys `oracle`, `horizon`, `batch` and
 * `estimator` make the oracle object; keys of a sampled oracle given with `oracle: 'exact'` are passed on,
 * so that the run config's validation refuses them instead of dropping them. Absent keys stay absent:
 * their defaults come from the parameter table (core/parameters.ts), once. A 'planned' or 'planned-sqrt'
 * schedule without `rounds` is planned for the run's T. Keys that are not experiment parameters are an
 * algorithm's own options (`beta`, `mixing`; parseExperiment admits only options of registered algorithms)
 * and become top-level keys of the run config, whose validation checks them against that algorithm's schema.
 */
export function runConfigFromPoint(point: Point, seed: number, limits?: Partial<Limits>): RunConfig {
  let stepSize = point.stepSize as number | StepSizeSchedule;
  if (typeof stepSize === 'object' && stepSize !== null && (stepSize.kind === 'planned' || stepSize.kind === 'planned-sqrt') && (stepSize as { rounds?: number }).rounds === undefined) {
    stepSize = { ...stepSize, rounds: point.rounds as number };
  }
  const oracle: Record<string, unknown> = { kind: point.oracle ?? 'exact' };
  for (const k of ['horizon', 'batch', 'estimator']) if (point[k] !== undefined) oracle[k] = point[k];
  const config: Record<string, unknown> = {
    algorithm: point.algorithm,
    localSteps: point.localSteps,
    stepSize,
    serverStep: point.serverStep,
    oracle,
    entropy: point.entropy,
    policy: point.policy,
    seed,
    detail: 'summary',
  };
  for (const k of Object.keys(point)) if (!(k in EXPERIMENT_PARAMETERS)) config[k] = point[k];
  if (limits) config.limits = limits;
  for (const k of Object.keys(config)) if (config[k] === undefined) delete config[k];
  return config as unknown as RunConfig;
}
