import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { alive } from './lock';
import { shardOf } from './shardPlan';
import { expandJobs, type Job } from './spec';
import { completedJobIds, loadManifest, type Manifest } from './store';
import { jobWeight } from './sweep';
import { formatDuration } from './progress';

/** Who holds a results folder's lock, as `status` reads it (lock.ts writes `{ pid, host, started }`). */
export interface LockHolder {
  pid: number;
  host: string;
  started: string;
  /** 'running' (a live process of this host), 'gone' (a process of this host that no longer runs: the next sweep takes the lock over), 'unknown' (another host). */
  state: 'running' | 'gone' | 'unknown';
}

/** Where a local sweep's results folder stands (`fedpg-lab status DIR` for a folder that `sweep` writes). */
export interface LocalSweepStatus {
  dir: string;
  experiment: string;
  budget: string | null;
  shard: Manifest['shard'];
  /** This folder's jobs (its shard's when it holds one). */
  total: number;
  done: number;
  /** Unfinished jobs with a checkpoint (a sweep resumes them from it). */
  inProgress: number;
  /** Share of this folder's work done: jobs weighted by their cost (`jobWeight`), as the progress bar counts. */
  workDone: number;
  /** Compute seconds of the finished jobs (their timings/ files). */
  computeSeconds: number;
  /** Files that failed verification and were moved to corrupt/ (their jobs run again). */
  corrupt: number;
  lock: LockHolder | null;
  /** The code revisions that computed runs here. */
  revisions: string[];
}

function readLock(dir: string): LockHolder | null {
  const path = join(dir, 'lock');
  if (!existsSync(path)) return null;
  try {
    const o = JSON.parse(readFileSync(path, 'utf8')) as { pid?: unknown; host?: unknown; started?: unknown };
    if (!Number.isInteger(o.pid) || typeof o.host !== 'string') return null;
    const pid = o.pid as number;
    const state = o.host !== hostname() ? 'unknown' : alive(pid) ? 'running' : 'gone';
    return { pid, host: o.host, started: String(o.started ?? '?'), state };
  } catch {
    return null;
  }
}

function files(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
}

/** The status of a local results folder (one with manifest.json), read from its files only. */
export function localSweepStatus(dir: string): LocalSweepStatus {
  const manifest = loadManifest(dir);
  const all = expandJobs(manifest.spec);
  const jobs: Job[] = manifest.shard ? shardOf(all, manifest.shard, manifest.shard.balance ?? 'index', jobWeight) : all;
  const finished = completedJobIds(dir, () => {});
  const mine = new Set(jobs.map((j) => j.id));
  const done = jobs.filter((j) => finished.has(j.id));
  const checkpoints = new Set(files(join(dir, 'checkpoints')).map((f) => f.slice(0, -'.json'.length)));
  const weight = (js: readonly Job[]) => js.reduce((w, j) => w + jobWeight(j), 0);
  const total = weight(jobs);
  let computeSeconds = 0;
  for (const f of files(join(dir, 'timings'))) {
    if (!mine.has(f.slice(0, -'.json'.length))) continue;
    try {
      const s = Number((JSON.parse(readFileSync(join(dir, 'timings', f), 'utf8')) as { seconds?: unknown }).seconds);
      if (Number.isFinite(s)) computeSeconds += s;
    } catch {
      // a damaged timing file says nothing about the results
    }
  }
  return {
    dir,
    experiment: manifest.experiment,
    budget: manifest.budget,
    shard: manifest.shard,
    total: jobs.length,
    done: done.length,
    inProgress: jobs.filter((j) => !finished.has(j.id) && checkpoints.has(j.id)).length,
    workDone: total > 0 ? weight(done) / total : 1,
    computeSeconds,
    corrupt: existsSync(join(dir, 'corrupt')) ? readdirSync(join(dir, 'corrupt')).length : 0,
    lock: readLock(dir),
    revisions: (manifest.revisions ?? []).map((r) => `${r.git.slice(0, 7)}${r.dirty ? ' (with uncommitted changes)' : ''}`),
  };
}

/** The status as `fedpg-lab status` prints it. */
export function formatLocalStatus(s: LocalSweepStatus): string {
  const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
  const left = s.total - s.done;
  const lines = [
    `${s.experiment}${s.budget ? ` (${s.budget} budget)` : ''}${s.shard ? `, shard ${s.shard.index} of ${s.shard.count}` : ''}: local sweep in ${s.dir}`,
    `  jobs: ${s.done} of ${s.total} done${left > 0 ? `, ${s.inProgress} in progress (from a checkpoint), ${left - s.inProgress} not started` : ''}`,
    `  work: ${pct(s.workDone)} done (jobs weighted by their cost, as the progress bar counts)${s.computeSeconds > 0 ? `; the finished jobs took ${formatDuration(1000 * s.computeSeconds)} of compute` : ''}`,
  ];
  if (s.lock === null) lines.push(`  writer: none (no sweep holds the folder's lock)`);
  else if (s.lock.state === 'running') lines.push(`  writer: pid ${s.lock.pid} on ${s.lock.host} since ${s.lock.started}, running`);
  else if (s.lock.state === 'gone') lines.push(`  writer: none running: the lock of pid ${s.lock.pid} (since ${s.lock.started}) is left from a process that ended; the next sweep takes it over`);
  else lines.push(`  writer: pid ${s.lock.pid} on host ${s.lock.host} since ${s.lock.started} (another host: cannot tell whether it still runs)`);
  if (s.corrupt > 0) lines.push(`  corrupt: ${s.corrupt} file(s) failed verification and were moved to corrupt/ (their jobs run again)`);
  if (s.revisions.length > 0) lines.push(`  computed by: ${s.revisions.join(', ')}`);
  if (left > 0 && s.lock?.state !== 'running') lines.push(`  to finish: run the same sweep again (fedpg-lab sweep <experiment.json>${s.budget ? ` --budget ${s.budget}` : ''} --out ${s.dir}); finished jobs are kept, jobs in progress resume from their checkpoints`);
  return lines.join('\n');
}
