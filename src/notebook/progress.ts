import { formatProgress, type SweepProgress, terminalProgress } from '../experiments/progress';
import { tslabDisplay } from './tslab';

/**
 * A progress reporter for `sweep(spec, { onProgress })` and long loops: in a notebook one output line that
 * updates in place (tslab's newDisplay), at most every 200 ms and always at the end; elsewhere the
 * terminal reporter.
 */
export function notebookProgress(label = ''): (p: SweepProgress) => void {
  const tslab = tslabDisplay();
  if (!tslab) return terminalProgress();
  const line = tslab.newDisplay();
  let last = 0;
  return (p) => {
    const end = p.done + p.failed === p.total;
    if (!end && Date.now() - last < 200) return;
    last = Date.now();
    line.text(`${label ? `${label} ` : ''}${formatProgress(p)}`);
  };
}

/** Progress of a loop of `total` steps: call the returned function after each step (same display as above). */
export function loopProgress(total: number, label = ''): (done: number) => void {
  const report = notebookProgress(label);
  const start = Date.now();
  return (done) => {
    const elapsedMs = Date.now() - start;
    const fraction = total > 0 ? done / total : 1;
    report({ done, failed: 0, total, fraction, elapsedMs, etaMs: done > 0 ? (elapsedMs * (total - done)) / done : NaN });
  };
}
