// Worker-thread entry of the sweep pool: runs the jobs it is sent, one at a time, and posts back
// progress, rows, warnings or an error. It writes only its own checkpoints; the main thread writes results.
import { parentPort } from 'node:worker_threads';
import { FedPGError } from '../core/errors';
import { algorithmCodes, experimentRegistry } from './algorithmModules';
import { executeJob } from './execute';
import type { JobInfo } from './job';
import type { Revision } from './provenance';
import type { ExperimentKind, Job } from './spec';
import { checkpointIO } from './store';

interface Task {
  kind: ExperimentKind;
  job: Job;
  baseDir: string;
  resultsDir: string | null;
  checkpointMs: number;
  /** The experiment's algorithm modules (absolute paths), loaded before the job runs. */
  algorithmModules: string[];
  revision: Revision;
}

parentPort?.on('message', (task: Task) => {
  const start = Date.now();
  let lastPost = 0;
  const warn = (message: string) => parentPort?.postMessage({ type: 'warning', id: task.job.id, message });
  try {
    // This thread's registry: the package's algorithms and the experiment's modules, built explicitly.
    const registry = experimentRegistry(task.algorithmModules ?? []);
    // The code this thread loaded must be the code the sweep records: a module edited since the sweep
    // started would compute numbers under another code version's name.
    const name = task.job.point.algorithm;
    const mine = algorithmCodes(registry, [name]);
    const recorded = task.revision.algorithms ?? {};
    if (typeof name === 'string' && (mine[name] ?? 'package') !== (recorded[name] ?? 'package')) {
      throw new FedPGError(`worker: algorithm "${name}" is ${mine[name] ?? "the package's own"} in this thread, but the sweep records ${recorded[name] ?? "the package's own"}: its module changed while the sweep ran; the job is not run (sweep again to run the new code under its own revision)`);
    }
    const info: JobInfo = {};
    const rows = executeJob(
      task.kind,
      task.job,
      task.baseDir,
      registry,
      (fraction) => {
        if (Date.now() - lastPost > 200) {
          lastPost = Date.now();
          parentPort?.postMessage({ type: 'progress', id: task.job.id, fraction });
        }
      },
      task.resultsDir ? checkpointIO(task.resultsDir, task.job, task.checkpointMs, task.revision, warn) : undefined,
      info,
    );
    parentPort?.postMessage({ type: 'done', id: task.job.id, rows, seconds: (Date.now() - start) / 1000, drewRandomNumbers: info.drewRandomNumbers ?? true });
  } catch (e) {
    parentPort?.postMessage({ type: 'error', id: task.job.id, message: (e as Error).message ?? String(e) });
  }
});
