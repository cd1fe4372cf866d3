import { checkInteger, checkOneOf } from '../core/check';
import type { Job } from './spec';
import { shardJobs } from './spec';

/** How the jobs of a sweep are dealt to n shards. */
export type ShardBalance = 'index' | 'work';
/** The ways of dealing jobs to shards. */
export const SHARD_BALANCES: readonly ShardBalance[] = ['index', 'work'];

/**
 * Longest-processing-time-first assignment of weighted jobs to `count` shards: jobs in decreasing weight
 * (ties: lower job position first), each to the shard with the least work so far (ties: lower shard).
 * Graham (1969): the largest shard load is at most (4/3 − 1/(3n)) times the best possible one.
 * Deterministic: depends only on the weights and `count`. Returns the shard of each job.
 */
export function balancedAssignment(weights: readonly number[], count: number): number[] {
  checkInteger('count', count, 1);
  const order = weights.map((_, j) => j).sort((a, b) => weights[b] - weights[a] || a - b);
  const load = new Array<number>(count).fill(0);
  const shard = new Array<number>(weights.length);
  for (const j of order) {
    let best = 0;
    for (let s = 1; s < count; s++) if (load[s] < load[best]) best = s;
    shard[j] = best;
    load[best] += weights[j];
  }
  return shard;
}

/**
 * Jobs of shard i of n. 'index': job index ≡ i (mod n), as `--shard i/n` always did. 'work': the
 * `balancedAssignment` of `weight(job)` over all the sweep's jobs, so that each shard gets about 1/n of
 * the estimated work. Either way the shards partition the sweep, and each job's numbers depend only on its
 * configuration and seed, so merged shards equal the whole sweep bit for bit.
 */
export function shardOf(jobs: Job[], shard: { index: number; count: number } | undefined, balance: ShardBalance, weight: (job: Job) => number): Job[] {
  checkOneOf('balance', balance, SHARD_BALANCES);
  if (!shard || balance === 'index') return shardJobs(jobs, shard);
  const assigned = balancedAssignment(jobs.map(weight), shard.count);
  return jobs.filter((_, j) => assigned[j] === shard.index);
}

/** One shard of a plan: its job ids (in sweep order) and their total estimated work. */
export interface PlannedShard {
  index: number;
  jobs: string[];
  weight: number;
}

/** All n shards of a sweep under `balance`, with their jobs and work (the shards `shardOf` selects). */
export function planShards(jobs: Job[], count: number, balance: ShardBalance, weight: (job: Job) => number): PlannedShard[] {
  checkInteger('count', count, 1);
  checkOneOf('balance', balance, SHARD_BALANCES);
  const weights = jobs.map(weight);
  const assigned = balance === 'work' ? balancedAssignment(weights, count) : jobs.map((j) => j.index % count);
  const shards: PlannedShard[] = Array.from({ length: count }, (_, index) => ({ index, jobs: [], weight: 0 }));
  jobs.forEach((job, j) => {
    shards[assigned[j]].jobs.push(job.id);
    shards[assigned[j]].weight += weights[j];
  });
  return shards;
}
