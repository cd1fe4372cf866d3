import { type Frame, groupBy, numberAt, type Row, toRows } from './frame';

/**
 * For each run (job): the first recorded round at which y ≤ ε, ε = `fraction` × y at round 0 (a relative
 * target, so that Garnets with different initial gaps are asked the same), with the environment steps and
 * vectors sent by then: `reached` (boolean), `roundsToReach`, `envStepsToReach`, `messagesToReach` (NaN when
 * the run never got there: censored at its last round, `lastRound`). Rows are recorded every `every` rounds,
 * so a round read here is an upper bound, tight to `every`.
 */
export function timeToReach(frame: Frame, options: { y?: string; fraction: number }): Row[] {
  const y = options.y ?? 'gap';
  return groupBy(toRows(frame), ['job']).map(({ rows }) => {
    const sorted = [...rows].sort((a, b) => numberAt(a, 'round') - numberAt(b, 'round'));
    const start = sorted[0];
    const target = options.fraction * numberAt(start, y);
    const hit = sorted.find((r) => numberAt(r, 'round') > 0 && numberAt(r, y) <= target);
    const last = sorted[sorted.length - 1];
    return {
      ...last,
      target,
      reached: hit !== undefined,
      roundsToReach: hit ? numberAt(hit, 'round') : NaN,
      envStepsToReach: hit ? numberAt(hit, 'envSteps') : NaN,
      messagesToReach: hit ? numberAt(hit, 'messages') : NaN,
      lastRound: numberAt(last, 'round'),
    };
  });
}
