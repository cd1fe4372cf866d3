import type { Limits } from '../core/parameters';
import type { EstimatorKind } from '../estimators/sampled';
import type { PolicyDescription } from '../policy/policyClass';

/** Gradient oracle ĝ_i: exact (policy-gradient theorem) or sampled (truncated GPOMDP / REINFORCE). */
export type OracleConfig = { kind: 'exact' } | { kind: 'sampled'; horizon: number; batch: number; estimator?: EstimatorKind };

/** Local step size η_t as a function of the round t (algorithms/schedules.ts). */
export type StepSizeSchedule =
  | { kind: 'constant'; eta: number }
  | { kind: 'decaying'; eta0: number; t0: number }
  | { kind: 'planned'; rounds: number; mu: number; etaMax: number; forAgents?: number }
  | { kind: 'planned-sqrt'; rounds: number; scale: number; etaMax: number; forAgents?: number };

/** How much of each round a trace keeps: O(N) numbers, per-agent vectors, or every gradient. */
export type Detail = 'summary' | 'agents' | 'full';

/** The resolved gradient oracle: exact, or sampled with K, M and the estimator filled in. */
export type ResolvedOracle = { readonly kind: 'exact' } | { readonly kind: 'sampled'; readonly horizon: number; readonly batch: number; readonly estimator: EstimatorKind };

/**
 * A run config resolved once, at the boundary (algorithms/config.ts, `resolveRunConfig`): every default
 * filled in, the algorithm's options validated, frozen. Runs, result rows, settings labels, sweep plans and
 * figures read this value; nothing downstream fills a default again. Plain JSON (saved with every run state).
 */
export interface ResolvedConfig {
  /** The algorithm's name. */
  readonly algorithm: string;
  readonly localSteps: number;
  readonly stepSize: Readonly<StepSizeSchedule>;
  readonly serverStep: number;
  readonly oracle: ResolvedOracle;
  readonly entropy: number;
  readonly seed: number | string;
  readonly metrics: boolean;
  readonly detail: Detail;
  readonly initialTheta: readonly number[] | null;
  readonly limits?: Readonly<Limits>;
  /** The policy class when it is not the tabular softmax (absent for tabular runs, whose configs stay as they were): its plain-JSON description. */
  readonly policy?: NonNullable<PolicyDescription>;
  /** The algorithm's options (its `options` schema), validated, defaults filled ({} when it has none). */
  readonly options: Readonly<Record<string, unknown>>;
}
