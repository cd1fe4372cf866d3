/** Where a sweep stands. */
export interface SweepProgress {
  done: number;
  failed: number;
  total: number;
  /** Completed fraction of the work, counting the rounds finished inside running jobs. */
  fraction: number;
  elapsedMs: number;
  /** Estimated time to finish (NaN until it means something: see `estimateEta`). */
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
 * `[#######-----------------] 30% of the work · 12/40 jobs · elapsed 1m02s · ETA 2m25s` (no ETA until it
 * means something, `estimateEta`). The bar and the
 * percentage measure work (jobs weighted by their cost, experiments/sweep.ts `jobWeight`), and say so: jobs
 * differ in size by orders of magnitude, so a count of jobs alone ("12/40") is not the share done.
 */
export function formatProgress(p: SweepProgress, width = 24): string {
  const filled = Math.max(0, Math.min(width, Math.round(p.fraction * width)));
  const failed = p.failed > 0 ? ` · ${p.failed} failed` : '';
  const eta = Number.isFinite(p.etaMs) ? ` · ETA ${formatDuration(p.etaMs)}` : '';
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(100 * p.fraction).toFixed(0).padStart(3)}% of the work · ${p.done}/${p.total} jobs · elapsed ${formatDuration(p.elapsedMs)}${eta}${failed}`;
}

/**
 * Whether a report is the first one of a sweep that has nothing left to run (all results were on disk):
 * reporters stay silent then, and the caller says "loaded N runs from DIR" instead of a finished bar.
 */
export function nothingToRun(p: SweepProgress, first: boolean): boolean {
  return first && p.done + p.failed === p.total;
}

/** A moment of a sweep: milliseconds since it started, and the share of its work done then. */
export interface ProgressSample {
  ms: number;
  fraction: number;
}

/** Least progress (share of the work) since the rate's origin before an ETA is given. */
export const ETA_MIN_PROGRESS = 0.05;
/** Least time (ms) since the rate's origin before an ETA is given. */
export const ETA_MIN_MS = 2000;

/**
 * ETA by linear extrapolation from `origin`, the first moment the sweep had made progress, rather than its
 * start: the time before it (worker threads starting, modules loading, the first job's set-up) is not part
 * of the rate, which at the first report of a 5 s sweep read as "5h29m". Given only once the rate is
 * measured over at least ETA_MIN_PROGRESS of the work and ETA_MIN_MS: (now − origin) × (1 − f_now) / (f_now
 * − f_origin); NaN before (no ETA shown).
 */
export function estimateEta(origin: ProgressSample | undefined, now: ProgressSample): number {
  if (!origin) return NaN;
  const progressed = now.fraction - origin.fraction;
  const ms = now.ms - origin.ms;
  if (progressed < ETA_MIN_PROGRESS || ms < ETA_MIN_MS) return NaN;
  return (ms * (1 - now.fraction)) / progressed;
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
