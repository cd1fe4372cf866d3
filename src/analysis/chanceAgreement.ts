import { checkInteger } from '../core/check';
import { FedPGError } from '../core/errors';
import { adjustedRandIndex, assignmentAccuracy } from '../core/partitions';

/** Expected agreement of picks made without looking at the truth. */
export interface ChanceAgreement {
  /** E[ARI] over uniformly random picks (≈ 0; exactly 0 only under the permutation model). */
  ari: number;
  /** E[accuracy after the best relabelling]. */
  accuracy: number;
  /** P(ARI = 1): the chance of an exact recovery by luck. */
  exact: number;
  /** Assignments enumerated (K^N). */
  assignments: number;
}

/**
 * The chance level of cluster recovery: the expected adjusted Rand index and accuracy when each of the N
 * agents picks one of K models uniformly and independently of its true group, computed exactly by
 * enumerating all K^N assignments (at most 10⁶). With 9 agents in 3 groups of 3 and K = 3 this is the level a
 * recovery must beat; a run where every agent ends on one model scores ARI 0 and accuracy 1/3.
 */
export function chanceAgreement(truth: readonly number[], K: number): ChanceAgreement {
  checkInteger('K', K, 1);
  const N = truth.length;
  const total = K ** N;
  if (total > 1e6) throw new FedPGError(`chanceAgreement: K^N = ${K}^${N} assignments is more than 10⁶`);
  const pick = new Array<number>(N).fill(0);
  let ari = 0;
  let accuracy = 0;
  let exact = 0;
  for (let a = 0; a < total; a++) {
    let x = a;
    for (let i = 0; i < N; i++) {
      pick[i] = x % K;
      x = Math.floor(x / K);
    }
    const r = adjustedRandIndex(truth, pick);
    ari += Number.isFinite(r) ? r : 0;
    accuracy += assignmentAccuracy(truth, pick);
    if (r === 1) exact++;
  }
  return { ari: ari / total, accuracy: accuracy / total, exact: exact / total, assignments: total };
}
