import type { FederatedProblem } from '../mdp/problem';
import type { AlgorithmRegistry } from '../runs/registry';
import { type CheckpointIO, identityJob, type JobInfo, type ResultRow, runJob } from './job';
import { problemFromPoint, problemKey } from './problemFromPoint';
import type { ExperimentKind, Job } from './spec';

/** Problems built by this thread, by their parameters (jobs of one configuration share one). */
const problems = new Map<string, FederatedProblem>();

/**
 * Run one job of either kind (in a worker thread or inline), its algorithm looked up in `registry` (built
 * by the caller: the sweep's, or a worker's from the package and the experiment's modules); the same rows
 * whichever thread runs it.
 */
export function executeJob(kind: ExperimentKind, job: Job, baseDir: string, registry: AlgorithmRegistry, onProgress?: (fraction: number) => void, checkpoint?: CheckpointIO, info?: JobInfo): ResultRow[] {
  const key = problemKey(job.point, job.seed);
  let problem = problems.get(key);
  if (!problem) {
    problem = problemFromPoint(job.point, job.seed, baseDir, job.limits);
    if (problems.size > 64) problems.clear();
    problems.set(key, problem);
  }
  return kind === 'identity' ? identityJob(job, problem) : runJob(job, problem, onProgress, checkpoint, info, registry);
}
