import { fail, formatValue } from '../core/check';
import type { AlgorithmSetup } from './algorithm';

/**
 * A restored clustered state (ifca, cfl: `models`, each agent's `assignment`) checked against its
 * configuration: `models` holds exactly `clusters` models (ifca's K) or between 1 and `maxClusters` (cfl,
 * whose clusters grow by splits), each of length d, and every agent's assignment is the index of one of
 * them. `models` and `assignment` may be null before the first round (ifca with K > 1). Otherwise a state
 * with fewer models than clusters would continue as a smaller run.
 */
export function checkClusterState(state: { models: readonly unknown[] | null; assignment: readonly unknown[] | null }, setup: AlgorithmSetup, count: { clusters: number } | { maxClusters: number }): void {
  const { models, assignment } = state;
  if (models !== null) {
    if (!Array.isArray(models)) fail('state.algorithmState.models', models, `must be an array of models, got ${formatValue(models)}`);
    if ('clusters' in count ? models.length !== count.clusters : models.length < 1 || models.length > count.maxClusters) {
      fail('state.algorithmState.models', models, `holds ${models.length} models, but the run has ${'clusters' in count ? `clusters = ${count.clusters}` : `between 1 and maxClusters = ${count.maxClusters}`}: the state is not one this configuration produces`);
    }
    models.forEach((m, k) => {
      if (!(m instanceof Float64Array) || m.length !== setup.size) fail(`state.algorithmState.models[${k}]`, m, `must be a vector of length ${setup.size}, got ${formatValue(m)}`);
    });
  }
  if (assignment !== null) {
    if (!Array.isArray(assignment) || assignment.length !== setup.agents) fail('state.algorithmState.assignment', assignment, `must hold one model index per agent (N = ${setup.agents}), got ${formatValue(assignment)}`);
    const K = models?.length ?? 0;
    assignment.forEach((k, i) => {
      if (!Number.isInteger(k) || (k as number) < 0 || (k as number) >= K) fail(`state.algorithmState.assignment[${i}]`, k, `must be the index of one of the ${K} models, got ${formatValue(k)}`);
    });
  }
}
