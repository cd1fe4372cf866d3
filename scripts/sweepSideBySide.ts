/**
 * Several experiments' sweeps side by side, as `npm run reproduce` runs them: `slots` sweeps at a time, one
 * worker thread each, the largest (by `jobWeight`) first, so that the cores stay busy through each sweep's
 * last jobs instead of idling in them. Used by scripts/reproduce.ts and by the benchmark (bench/run.ts).
 */
import { applyBudget, expandJobs, type ExperimentSpec, sweep, type SweepProgress, type SweepResult } from '../dist/index';
import { jobWeight } from '../dist/internals';

/** What `sweepSideBySide` needs besides the specs. */
export interface SideBySideOptions {
  budget: string;
  slots: number;
  /** The results folder of an experiment. */
  out: (spec: ExperimentSpec) => string;
  baseDir: string;
  /** Progress of experiment i (index into the specs). */
  onProgress?: (i: number, p: SweepProgress) => void;
  /** Experiment i has finished, after `seconds`. */
  onDone?: (i: number, result: SweepResult, seconds: number) => void;
}

/** The experiments' estimated work (Σ jobWeight of the budget's jobs) and job counts. */
export function planExperiments(specs: readonly ExperimentSpec[], budget: string): { jobs: number; work: number }[] {
  return specs.map((spec) => {
    const jobs = expandJobs(applyBudget(spec, budget));
    return { jobs: jobs.length, work: jobs.reduce((w, j) => w + jobWeight(j), 0) };
  });
}

/** Run the sweeps; resolves with each experiment's result, in the specs' order. */
export async function sweepSideBySide(specs: readonly ExperimentSpec[], o: SideBySideOptions): Promise<SweepResult[]> {
  const plans = planExperiments(specs, o.budget);
  const queue = plans.map((_, i) => i).sort((a, b) => plans[b].work - plans[a].work);
  const results: SweepResult[] = [];
  await Promise.all(
    Array.from({ length: Math.min(o.slots, queue.length) }, async () => {
      for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
        const k = i;
        const t0 = Date.now();
        results[k] = await sweep(specs[k], { budget: o.budget, workers: 1, out: o.out(specs[k]), baseDir: o.baseDir, onProgress: (p) => o.onProgress?.(k, p) });
        o.onDone?.(k, results[k], (Date.now() - t0) / 1000);
      }
    }),
  );
  return results;
}
