/**
 * The order of `npm run reproduce`'s work. Sweeps run one at a time on all cores; a notebook starts as soon
 * as every experiment it loads has been swept, so notebooks fill the cores that small sweeps and the
 * sweeps' serial parts leave idle, instead of all waiting for the last sweep.
 *
 * - Sweep order (`sweepOrder`): the notebooks that load fewer experiments come first (ties: their order in
 *   notebooks/index.json), and each experiment is swept when the first notebook in that order needs it;
 *   experiments no notebook loads go last, in their given order.
 * - Which notebook next (`nextNotebook`): among the waiting notebooks whose experiments are all swept and
 *   that share no experiment with a running notebook (a results folder has one writer at a time), the one
 *   that loads the most experiments (the longest, by the shipped set: the paper figures), then the first.
 * - How many at a time (`notebookSlots`): while sweeps run, one notebook beside them (the sweep already uses
 *   every core); after the last sweep, as many as `slots`.
 */

/** The order in which to sweep `experiments`, given the experiments each notebook loads (`needs[i]`). */
export function sweepOrder(experiments: readonly string[], needs: readonly (readonly string[])[]): string[] {
  const byNeed = needs.map((n, i) => ({ n, i })).sort((a, b) => a.n.length - b.n.length || a.i - b.i);
  const order: string[] = [];
  for (const { n } of byNeed) for (const e of n) if (experiments.includes(e) && !order.includes(e)) order.push(e);
  for (const e of experiments) if (!order.includes(e)) order.push(e);
  return order;
}

/** Where each notebook stands. */
export type NotebookState = 'waiting' | 'running' | 'done';

/**
 * The notebook to start now, or -1: waiting, every experiment it loads in `swept` (an experiment that is not
 * swept by this job, `known` false, counts as swept), none shared with a running notebook; the one that
 * loads the most experiments, ties to the first.
 */
export function nextNotebook(state: readonly NotebookState[], needs: readonly (readonly string[])[], swept: ReadonlySet<string>, known: (experiment: string) => boolean): number {
  let best = -1;
  for (let i = 0; i < state.length; i++) {
    if (state[i] !== 'waiting') continue;
    if (!needs[i].every((e) => swept.has(e) || !known(e))) continue;
    if (state.some((s, j) => s === 'running' && needs[j].some((e) => needs[i].includes(e)))) continue;
    if (best < 0 || needs[i].length > needs[best].length) best = i;
  }
  return best;
}

/** Notebooks to run at a time: one beside a running sweep, `slots` once the sweeps are over. */
export function notebookSlots(sweepsRunning: boolean, slots: number): number {
  return sweepsRunning ? 1 : slots;
}
