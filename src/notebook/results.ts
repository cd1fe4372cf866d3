/**
 * The notebooks' key numbers, printed as one `FEDPG_RESULT {json}` line per call: the tests read them from
 * the executed notebook (scripts/notebooks.ts) and check them, so a notebook's claims are tested.
 */
export function emitResult(values: Record<string, unknown>): void {
  console.log(`FEDPG_RESULT ${JSON.stringify(values)}`);
}

/** The notebook budget: FEDPG_BUDGET = 'ci' (tests), 'quick' (default, `npm run reproduce`) or 'full'. */
export type NotebookBudget = 'ci' | 'quick' | 'full';

/** The current budget, and a value chosen by it: `byBudget({ ci: 2, quick: 5, full: 20 })`. */
export function notebookBudget(): NotebookBudget {
  const b = process.env.FEDPG_BUDGET ?? 'quick';
  if (b !== 'ci' && b !== 'quick' && b !== 'full') throw new Error(`FEDPG_BUDGET must be 'ci', 'quick' or 'full', got ${JSON.stringify(b)}`);
  return b;
}

export function byBudget<T>(values: Record<NotebookBudget, T>): T {
  return values[notebookBudget()];
}
