/** Where a sweep stands. */
export interface SweepProgress {
  done: number;
  failed: number;
  total: number;
  /** Completed fraction of the work, counting the rounds finished inside running jobs. */
  fraction: number;
  elapsedMs: number;
  /** Estimated time to finish (NaN until something finished). */
  etaMs: number;
}

/** "1h02m", "3m05s", "12s". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  const s = Math.round(ms / 1000);
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

/**
 * `[#######-----------------] 30% of the work · 12/40 jobs · elapsed 1m02s · ETA 2m25s`. The bar and the
 * percentage measure work (jobs weighted by their cost, experiments/sweep.ts `jobWeight`), and say so: jobs
 * differ in size by orders of magnitude, so a count of jobs alone ("12/40") is not the share done.
 */
export function formatProgress(p: SweepProgress, width = 24): string {
  const filled = Math.max(0, Math.min(width, Math.round(p.fraction * width)));
  const failed = p.failed > 0 ? ` · ${p.failed} failed` : '';
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(100 * p.fraction).toFixed(0).padStart(3)}% of the work · ${p.done}/${p.total} jobs · elapsed ${formatDuration(p.elapsedMs)} · ETA ${formatDuration(p.etaMs)}${failed}`;
}

/**
 * Whether a report is the first one of a sweep that has nothing left to run (all results were on disk):
 * reporters stay silent then, and the caller says "loaded N runs from DIR" instead of a finished bar.
 */
export function nothingToRun(p: SweepProgress, first: boolean): boolean {
  return first && p.done + p.failed === p.total;
}

/** ETA by linear extrapolation: the work left at the rate of this session, elapsed × remaining / progressed. */
export function estimateEta(elapsedMs: number, progressed: number, remaining: number): number {
  return progressed > 0 ? (elapsedMs * remaining) / progressed : NaN;
}

/** A progress reporter for a terminal: redraws one line on a TTY, prints a line per 10% otherwise. */
export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): (p: SweepProgress) => void {
  let lastDecile = -1;
  let lastDraw = 0;
  let first = true;
  let silent = false;
  return (p) => {
    if (nothingToRun(p, first)) silent = true;
    first = false;
    if (silent) return;
    if (stream.isTTY) {
      if (Date.now() - lastDraw < 100 && p.done < p.total) return;
      lastDraw = Date.now();
      stream.write(`\r${formatProgress(p)}\x1b[K${p.done + p.failed === p.total ? '\n' : ''}`);
    } else {
      const decile = Math.floor(p.fraction * 10);
      if (decile > lastDecile || p.done + p.failed === p.total) {
        lastDecile = decile;
        stream.write(`${formatProgress(p)}\n`);
      }
    }
  };
}
