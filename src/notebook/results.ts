import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * What an executed notebook leaves for the tests and `npm run reproduce`, outside the user's sight: the
 * side file named by FEDPG_RESULTS_FILE (scripts/notebooks.ts sets it per notebook, under build/ or a
 * temporary folder). In a researcher's own session the variable is unset and nothing is written.
 */
export interface NotebookRecord {
  /** Key numbers of the notebook, merged in call order (`recordResult`). */
  results: Record<string, unknown>;
  /** Every figure `show` displayed, in order: its title, display mode and (FEDPG_LAYOUT_CHECK) its layout problems. */
  figures: { title: string; mode: string; timing?: FigureTiming; layout?: string[] }[];
}

/**
 * When a figure was shown, in seconds of the kernel process's life (process.uptime()): `shownAt`, and
 * `packageLoadedAt`, when fedpg-lab was first imported (in the first cell that imports it); and `shownAtMs`,
 * the wall clock (Date.now()), which `npm run reproduce` compares with the moment the kernel began running
 * the first cell (the executed copy's cell timing) to report each notebook's first figure.
 */
export interface FigureTiming {
  shownAt: number;
  packageLoadedAt: number;
  shownAtMs: number;
}

/** process.uptime() when this module was loaded (the notebook's first import of the package). */
const PACKAGE_LOADED_AT = process.uptime();

function update(change: (r: NotebookRecord) => void): void {
  const file = process.env.FEDPG_RESULTS_FILE;
  if (!file) return;
  const record: NotebookRecord = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : { results: {}, figures: [] };
  change(record);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(record, null, 1)}\n`);
}

/**
 * Record a notebook's key numbers for the tests, which check them (so a notebook's claims are tested). They
 * go to the side file of FEDPG_RESULTS_FILE, never into the notebook's outputs.
 */
export function recordResult(values: Record<string, unknown>): void {
  update((r) => Object.assign(r.results, values));
}

/** @deprecated Old name of `recordResult` (it no longer prints a `FEDPG_RESULT` line). */
export const emitResult = recordResult;

/** Count a displayed figure in the side file (called by `show`), so tests can check every figure is drawn. */
export function recordFigure(title: string, mode: string): void {
  const timing: FigureTiming = { shownAt: process.uptime(), packageLoadedAt: PACKAGE_LOADED_AT, shownAtMs: Date.now() };
  update((r) => r.figures.push({ title, mode, timing }));
}

/** What the layout check found in the figure recorded last (called by `show` with FEDPG_LAYOUT_CHECK set). */
export function recordFigureLayout(problems: string[]): void {
  update((r) => {
    const last = r.figures.at(-1);
    if (last) last.layout = problems;
  });
}

/** The notebook budget: FEDPG_BUDGET = 'ci' (tests), 'quick' (default, `npm run reproduce`) or 'full'. */
export type NotebookBudget = 'ci' | 'quick' | 'full';

/** The current budget, and a value chosen by it: `byBudget({ ci: 2, quick: 5, full: 20 })`. */
export function notebookBudget(): NotebookBudget {
  const b = process.env.FEDPG_BUDGET ?? 'quick';
  if (b !== 'ci' && b !== 'quick' && b !== 'full') throw new Error(`FEDPG_BUDGET must be 'ci', 'quick' or 'full', got ${JSON.stringify(b)}`);
  return b;
}

/** The value of `values` for the current budget (`notebookBudget()`). */
export function byBudget<T>(values: Record<NotebookBudget, T>): T {
  return values[notebookBudget()];
}
