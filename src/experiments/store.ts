import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DataFrame } from 'danfojs-node';
import { FedPGError } from '../core/errors';
import { danfo } from '../core/optional';
import type { CheckpointIO, JobCheckpoint, ResultRow } from './job';
import { type ExperimentSpec, type Job, shortHash } from './spec';

/**
 * Results directory layout (one per experiment and budget):
 *   manifest.json            the budget-applied spec, its hash, package version, git revision, shard
 *   runs/<job id>.json       one finished job: { job, rows, seconds }, written atomically (tmp + rename)
 *   checkpoints/<job id>.json  the last checkpoint of an unfinished job (removed when it finishes)
 * A job's rows appear all at once or not at all, so a sweep killed at any moment and restarted redoes only
 * unfinished jobs (from their checkpoints) and ends with the same rows.
 */
export const RESULTS_FORMAT = 'fedpg-lab/results@1';

/** What manifest.json holds. */
export interface Manifest {
  format: typeof RESULTS_FORMAT;
  experiment: string;
  budget: string | null;
  spec: ExperimentSpec;
  specHash: string;
  totalJobs: number;
  shard: { index: number; count: number } | null;
  version: string;
  git: string;
  node: string;
  created: string;
}

/** The package version and the git revision of the checkout (`-dirty` with uncommitted changes). */
export function provenance(): { version: string; git: string } {
  const root = resolve(__dirname, '..', '..');
  let version = 'unknown';
  try {
    version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
  } catch {
    /* not in a checkout */
  }
  let git = 'unknown';
  try {
    git = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (dirty) git += '-dirty';
  } catch {
    /* no git */
  }
  return { version, git };
}

/** Write a file atomically: a temporary name in the same directory, then rename. */
export function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/**
 * Make sure `dir` can hold this sweep's results before any work starts: creates it, checks it is writable,
 * removes temporary files a killed sweep left, and refuses a directory holding another spec's results.
 */
export function prepareResultsDir(dir: string, manifest: Manifest): void {
  try {
    mkdirSync(join(dir, 'runs'), { recursive: true });
    mkdirSync(join(dir, 'checkpoints'), { recursive: true });
    accessSync(dir, constants.W_OK);
    const probe = join(dir, `.write-test-${process.pid}`);
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (e) {
    throw new FedPGError(`results directory ${dir} is not writable: ${(e as Error).message}`);
  }
  const path = join(dir, 'manifest.json');
  if (existsSync(path)) {
    const old = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
    if (old.specHash !== manifest.specHash) {
      throw new FedPGError(`results directory ${dir} holds results of a different experiment spec (hash ${old.specHash}, now ${manifest.specHash}); remove it or choose another --out`);
    }
  } else writeAtomic(path, `${JSON.stringify(manifest, null, 1)}\n`);
  for (const sub of ['runs', 'checkpoints']) {
    for (const f of readdirSync(join(dir, sub))) if (f.endsWith('.tmp')) rmSync(join(dir, sub, f));
  }
}

/** A manifest for a budget-applied spec. */
export function makeManifest(spec: ExperimentSpec, budget: string | null, totalJobs: number, shard: Manifest['shard']): Manifest {
  return { format: RESULTS_FORMAT, experiment: spec.name, budget, spec, specHash: shortHash(spec), totalJobs, shard, ...provenance(), node: process.version, created: new Date().toISOString() };
}

/** Ids of the jobs whose results are on disk. */
export function completedJobIds(dir: string): Set<string> {
  const runs = join(dir, 'runs');
  if (!existsSync(runs)) return new Set();
  return new Set(readdirSync(runs).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)));
}

/** Record a finished job (atomically) and drop its checkpoint. */
export function writeJobResult(dir: string, job: Job, rows: ResultRow[], seconds: number): void {
  writeAtomic(join(dir, 'runs', `${job.id}.json`), `${JSON.stringify({ job, seconds, rows })}\n`);
  rmSync(join(dir, 'checkpoints', `${job.id}.json`), { force: true });
}

/** Checkpoint files of a job. */
export function checkpointIO(dir: string, job: Job, intervalMs: number): CheckpointIO {
  const path = join(dir, 'checkpoints', `${job.id}.json`);
  return {
    intervalMs,
    load: () => (existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as JobCheckpoint) : undefined),
    save: (c) => writeAtomic(path, JSON.stringify(c)),
  };
}

/** JSON turns NaN into null: numbers that were NaN come back as NaN. */
function revive(row: Record<string, unknown>): ResultRow {
  const out: ResultRow = {};
  for (const [k, v] of Object.entries(row)) out[k] = v === null ? NaN : (v as number | string | boolean);
  return out;
}

/** All rows of a results directory, ordered by job index then round. */
export function loadRows(dir: string): ResultRow[] {
  const runs = join(dir, 'runs');
  if (!existsSync(runs)) throw new FedPGError(`${dir}: no results (missing ${runs})`);
  const files = readdirSync(runs).filter((f) => f.endsWith('.json')).sort();
  const rows: ResultRow[] = [];
  for (const f of files) {
    const { rows: r } = JSON.parse(readFileSync(join(runs, f), 'utf8')) as { rows: Record<string, unknown>[] };
    for (const row of r) rows.push(revive(row));
  }
  return rows;
}

/** The manifest of a results directory. */
export function loadManifest(dir: string): Manifest {
  const path = join(dir, 'manifest.json');
  if (!existsSync(path)) throw new FedPGError(`${dir}: no manifest.json (not a results directory)`);
  return JSON.parse(readFileSync(path, 'utf8')) as Manifest;
}

/** The rows of a results directory as a Danfo DataFrame (one row per job and recorded round); `loadRows` gives them without Danfo. */
export function loadResults(dir: string): DataFrame {
  const rows = loadRows(dir);
  return new (danfo('loadResults (a Danfo DataFrame)').DataFrame)(rows);
}

/**
 * Merge the results directories of shards (`--shard i/n` runs) into `outDir`. All must hold the same spec;
 * returns the number of jobs still missing (0 when the shards covered the sweep).
 */
export function mergeResults(outDir: string, inputs: string[]): { jobs: number; missing: number } {
  if (inputs.length === 0) throw new FedPGError('merge needs at least one results directory');
  const manifests = inputs.map(loadManifest);
  const hash = manifests[0].specHash;
  manifests.forEach((m, i) => {
    if (m.specHash !== hash) throw new FedPGError(`${inputs[i]}: spec hash ${m.specHash} differs from ${inputs[0]}'s ${hash}; these are not shards of one sweep`);
  });
  const merged: Manifest = { ...manifests[0], shard: null, ...provenance(), created: new Date().toISOString() };
  prepareResultsDir(outDir, merged);
  let jobs = 0;
  for (const dir of inputs) {
    for (const f of readdirSync(join(dir, 'runs')).filter((x) => x.endsWith('.json'))) {
      const target = join(outDir, 'runs', f);
      if (!existsSync(target)) writeAtomic(target, readFileSync(join(dir, 'runs', f), 'utf8'));
    }
  }
  jobs = completedJobIds(outDir).size;
  return { jobs, missing: merged.totalJobs - jobs };
}
