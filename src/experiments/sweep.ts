import { availableParallelism } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { checkInteger } from '../core/check';
import { FedPGError } from '../core/errors';
import { executeJob } from './execute';
import type { ResultRow } from './job';
import { estimateEta, type SweepProgress } from './progress';
import { type ShardBalance, shardOf } from './shardPlan';
import { applyBudget, expandJobs, type ExperimentSpec, type Job } from './spec';
import { checkpointIO, completedJobIds, loadRows, makeManifest, prepareResultsDir, writeJobResult } from './store';

/** Options of `sweep`. */
export interface SweepOptions {
  /** A budget defined by the spec ('quick', 'full', …); none: the spec as written. */
  budget?: string;
  /** Worker threads (default: the number of cores); 0 runs the jobs inline on this thread. */
  workers?: number;
  shard?: { index: number; count: number };
  /**
   * How jobs are dealt to shards: 'index' (default) takes job indices ≡ i (mod n); 'work' balances the
   * estimated work (`jobWeight`) across shards (shardPlan.ts). Results do not depend on it.
   */
  balance?: ShardBalance;
  /** Results directory (default data/results/<name>/<budget or 'default'> under the current directory). */
  out?: string;
  /** Where relative problem files are resolved (default: the current directory). */
  baseDir?: string;
  /** Seconds between checkpoints of a running job (default 20). */
  checkpointSeconds?: number;
  onProgress?: (p: SweepProgress) => void;
}

/** What a sweep did. */
export interface SweepResult {
  dir: string;
  /** Jobs of this shard, and how many were already done before this call. */
  jobs: number;
  skipped: number;
  failures: { id: string; message: string }[];
  rows: ResultRow[];
}

/**
 * A job's relative cost for progress and ETA: rounds × agents × (local steps + 1) × (M·K when sampled), the
 * environment steps of a Fast-FedPG run (1 for identity jobs, whose cost is the problem size).
 */
export function jobWeight(job: Job): number {
  const p = job.point;
  const num = (k: string, d: number) => (typeof p[k] === 'number' ? (p[k] as number) : d);
  const perStep = p.oracle === 'sampled' ? num('batch', 1) * num('horizon', 1) : num('states', 20) * num('actions', 4);
  return num('rounds', 1) * num('agents', 1) * (num('localSteps', 1) + 1) * perStep;
}

/** A worker thread running worker.js (built package) or worker.ts (from source, through tsx's CommonJS hook). */
function startWorker(): Worker {
  if (extname(__filename) !== '.ts') return new Worker(join(__dirname, 'worker.js'));
  // Node 20 does not pass `--import tsx` on to worker threads: register tsx inside the worker instead.
  const file = JSON.stringify(join(__dirname, 'worker.ts'));
  return new Worker(`require('tsx/cjs'); require(${file});`, { eval: true });
}

/**
 * Run every (configuration, seed) job of an experiment on a pool of worker threads, writing each job's rows
 * atomically as it finishes (store.ts). Jobs already on disk are skipped, so an interrupted sweep restarted
 * with the same arguments finishes with identical results; each job's numbers depend only on its
 * configuration and seed, so they do not depend on the number of workers or the shard.
 */
export async function sweep(spec: ExperimentSpec, options: SweepOptions = {}): Promise<SweepResult> {
  const applied = applyBudget(spec, options.budget);
  const workers = checkInteger('workers', options.workers ?? availableParallelism(), 0, 256);
  const allJobs = expandJobs(applied);
  const jobs = shardOf(allJobs, options.shard, options.balance ?? 'index', jobWeight);
  const dir = resolve(options.out ?? join('data', 'results', spec.name, options.budget ?? 'default'));
  const baseDir = resolve(options.baseDir ?? '.');
  const checkpointMs = 1000 * (options.checkpointSeconds ?? 20);
  prepareResultsDir(dir, makeManifest(applied, options.budget ?? null, allJobs.length, options.shard ? { ...options.shard, ...(options.balance === 'work' ? { balance: 'work' as const } : {}) } : null));
  const done = completedJobIds(dir);
  const todo = jobs.filter((j) => !done.has(j.id));
  const failures: { id: string; message: string }[] = [];
  const start = Date.now();
  const running = new Map<string, number>();
  let finished = jobs.length - todo.length;
  // Progress is counted in work, not jobs: jobs of one sweep differ in size by orders of magnitude (T from 25
  // to 3200, N from 1 to 16), and a count of jobs would make the ETA wrong by as much.
  const weight = new Map(jobs.map((j) => [j.id, jobWeight(j)]));
  const totalWeight = jobs.reduce((w, j) => w + (weight.get(j.id) as number), 0) || 1;
  let doneWeight = jobs.filter((j) => done.has(j.id)).reduce((w, j) => w + (weight.get(j.id) as number), 0);
  const startWeight = doneWeight;
  const report = () => {
    if (!options.onProgress) return;
    let partial = 0;
    for (const [id, f] of running) partial += f * (weight.get(id) as number);
    const fraction = jobs.length === 0 ? 1 : (doneWeight + partial) / totalWeight;
    const elapsedMs = Date.now() - start;
    const progressed = fraction - startWeight / totalWeight;
    options.onProgress({ done: finished, failed: failures.length, total: jobs.length, fraction, elapsedMs, etaMs: estimateEta(elapsedMs, progressed, 1 - fraction) });
  };
  report();
  const complete = (job: Job, rows: ResultRow[], seconds: number) => {
    writeJobResult(dir, job, rows, seconds);
    running.delete(job.id);
    finished++;
    doneWeight += weight.get(job.id) as number;
    report();
  };
  const failed = (job: Job, message: string) => {
    running.delete(job.id);
    doneWeight += weight.get(job.id) as number;
    failures.push({ id: job.id, message });
    report();
  };

  if (workers === 0) {
    for (const job of todo) {
      const t0 = Date.now();
      running.set(job.id, 0);
      try {
        const rows = executeJob(applied.kind, job, baseDir, (f) => running.set(job.id, f), checkpointIO(dir, job, checkpointMs));
        complete(job, rows, (Date.now() - t0) / 1000);
      } catch (e) {
        failed(job, (e as Error).message);
      }
    }
  } else {
    const queue = [...todo];
    await Promise.all(
      Array.from({ length: Math.min(workers, queue.length) }, () =>
        new Promise<void>((resolveWorker, rejectWorker) => {
          const worker = startWorker();
          let current: Job | undefined;
          const next = () => {
            current = queue.shift();
            if (!current) {
              void worker.terminate().then(() => resolveWorker());
              return;
            }
            running.set(current.id, 0);
            worker.postMessage({ kind: applied.kind, job: current, baseDir, resultsDir: dir, checkpointMs });
          };
          worker.on('message', (msg: { type: string; id: string; fraction?: number; rows?: ResultRow[]; seconds?: number; message?: string }) => {
            if (!current || msg.id !== current.id) return;
            if (msg.type === 'progress') {
              running.set(msg.id, msg.fraction ?? 0);
              report();
            } else if (msg.type === 'done') {
              complete(current, msg.rows ?? [], msg.seconds ?? 0);
              next();
            } else if (msg.type === 'error') {
              failed(current, msg.message ?? 'unknown error');
              next();
            }
          });
          worker.on('error', (e) => rejectWorker(new FedPGError(`sweep worker crashed: ${e.message}`)));
          next();
        }),
      ),
    );
  }
  const mine = new Set(jobs.map((j) => j.id));
  const rows = loadRows(dir).filter((r) => mine.has(r.job as string));
  return { dir, jobs: jobs.length, skipped: jobs.length - todo.length, failures, rows };
}
