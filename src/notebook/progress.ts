import { estimateEta, formatProgress, nothingToRun, type ProgressSample, type SweepProgress, terminalProgress } from '../experiments/progress';
import { tslabDisplay } from './tslab';

/**
 * A progress reporter for `sweep(spec, { onProgress })` and long loops: in a notebook one output line that
 * updates in place (tslab's newDisplay), at most every 200 ms and always at the end; elsewhere the
 * terminal reporter. Nothing is shown when the first report already has every job done.
 */
export function notebookProgress(label = '', options: { quietWhenDone?: boolean } = {}): (p: SweepProgress) => void {
  const tslab = tslabDisplay();
  if (!tslab) return terminalProgress();
  let line: ReturnType<typeof tslab.newDisplay> | null = null;
  let last = 0;
  let first = true;
  return (p) => {
    // A sweep whose results are all on disk draws no bar (the caller says what it loaded).
    if ((options.quietWhenDone ?? true) && nothingToRun(p, first)) return;
    first = false;
    line ??= tslab.newDisplay();
    const end = p.done + p.failed === p.total;
    if (!end && Date.now() - last < 200) return;
    last = Date.now();
    line.text(`${label ? `${label} ` : ''}${formatProgress(p)}`);
  };
}

/** Progress of a loop of `total` steps: call the returned function after each step (same display as above). */
export function loopProgress(total: number, label = ''): (done: number) => void {
  const report = notebookProgress(label, { quietWhenDone: false });
  const start = Date.now();
  let origin: ProgressSample | undefined;
  return (done) => {
    const elapsedMs = Date.now() - start;
    const fraction = total > 0 ? done / total : 1;
    // The loop's first step is its origin: a step's set-up (a first kernel, a first compile) is not its rate.
    if (origin === undefined && done > 0) origin = { ms: elapsedMs, fraction };
    report({ done, failed: 0, total, fraction, elapsedMs, etaMs: estimateEta(origin, { ms: elapsedMs, fraction }) });
  };
}
