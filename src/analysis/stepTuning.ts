import { atBudget, commonBudget } from './atBudget';
import { type Frame, groupBy, numberAt, type Row, toRows } from './frame';
import { logMeanCI } from './logMeanCI';

/** One algorithm's tuning: every candidate η's score and the chosen one. */
export interface StepTuning {
  algorithm: string;
  /** The budget every run of the group reaches, in `column`. */
  budget: number;
  column: string;
  /** Per candidate η (ascending): the geometric mean over tuning problems of the gap at the budget, its interval, the number of problems. */
  scores: { eta: number; score: number; lo: number; hi: number; n: number }[];
  /** The η with the lowest score (ties, e.g. at round-off, go to the larger η). */
  argmin: number;
  /** Whether the argmin is the smallest or largest candidate (the grid may be too narrow). */
  atEdge: boolean;
}

/**
 * Step sizes chosen the way comparison-tuning.json states: within one oracle, each run is read at the budget
 * every run reaches (`column`: 'envSteps' for sampled gradients, 'round' for exact ones; `atBudget`), and each
 * candidate η of an algorithm is scored by the geometric mean over tuning problems of the gap there, with its
 * log-space t-interval at `level`. Gaps below `roundOff` (default 1e-12) count as roundOff, so candidates at
 * round-off tie; ties go to the larger η. The score is the gap at a fixed budget, never a statistic the
 * comparison then reports.
 */
export function tuneStepSizes(frame: Frame, options: { column: string; roundOff?: number; level?: number; y?: string }): StepTuning[] {
  const rows = toRows(frame);
  const roundOff = options.roundOff ?? 1e-12;
  const y = options.y ?? 'gap';
  const budget = commonBudget(rows, options.column);
  return groupBy(atBudget(rows, options.column, budget), ['algorithm']).map(({ key, rows: runs }) => {
    const scores = groupBy(runs, ['stepSize'])
      .map(({ key: k, rows: x }) => {
        const ci = logMeanCI(x.map((r) => Math.max(numberAt(r, y), roundOff)), options.level ?? 0.95);
        return { eta: k.stepSize as number, score: ci.mean, lo: ci.lo, hi: ci.hi, n: ci.n };
      })
      .sort((a, b) => a.eta - b.eta);
    const best = scores.reduce((a, b) => (b.score <= a.score ? b : a));
    return { algorithm: String(key.algorithm), budget, column: options.column, scores, argmin: best.eta, atEdge: best.eta === scores[0].eta || best.eta === scores[scores.length - 1].eta };
  });
}

/**
 * What one round costs each algorithm of a set of runs, read from the counters of its last two recorded rows
 * (so a one-off cost in round 1, such as FedSVRPG-M's ū₀, is left out): environment steps, vectors sent and
 * synchronisations per round, with the algorithm's step size, H and number of rounds.
 */
export function roundCosts(frame: Frame): Row[] {
  return groupBy(toRows(frame), ['algorithm']).map(({ key, rows }) => {
    const run = groupBy(rows, ['job'])[0].rows.sort((a, b) => numberAt(a, 'round') - numberAt(b, 'round'));
    const last = run[run.length - 1];
    const before = run[run.length - 2] ?? run[0];
    const dt = numberAt(last, 'round') - numberAt(before, 'round') || 1;
    const per = (c: string) => (numberAt(last, c) - numberAt(before, c)) / dt;
    return { algorithm: key.algorithm, stepSize: last.stepSize, localSteps: last.localSteps, rounds: numberAt(last, 'round'), envStepsPerRound: per('envSteps'), vectorsPerRound: per('messages'), syncsPerRound: per('syncs') };
  });
}
