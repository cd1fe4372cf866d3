import { fail } from '../core/check';
import type { Limits } from '../core/parameters';

/**
 * Refuse a gradient estimate of M trajectories of K steps whose M·K exceeds `limits.estimateSteps`, naming
 * the field and the cost. The one check of this limit: the estimators call it on their options, run
 * configs (algorithms/config.ts) on the algorithm's batch per step, before any work.
 */
export function checkEstimateSize(field: string, horizon: number, batch: number, limits: Pick<Limits, 'estimateSteps'>): void {
  const steps = horizon * batch;
  if (steps > limits.estimateSteps) {
    fail(field, { horizon, batch }, `asks for M·K = ${batch} × ${horizon} = ${steps.toExponential(2)} environment steps per gradient estimate, above the limit ${limits.estimateSteps.toExponential(2)} (limits.estimateSteps); raise it with limits: { estimateSteps: … } if you mean it`);
  }
}
