import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { FedPGError } from '../core/errors';
import { danfo } from '../core/optional';
import type { ResultFrame } from '../core/resultFrame';
import type { CheckpointIO, JobCheckpoint, ResultRow } from './job';
import { acquireLock, alive, type FolderLock } from './lock';
import { currentRevision, formatRevision, packageVersion, type ProblemFileHash, problemFileHashes, type Revision, sameRevision } from './provenance';
import { type ExperimentSpec, expandJobs, type Job, shortHash } from './spec';
import { CorruptFileError, moveAside, readVerified, TMP_SUFFIX, writeAtomic, writeVerified } from './verifiedFile';

/**
 * A results folder (one per experiment and budget; data/experiments/README.md describes it for users):
 *   lock                        `{ pid, host, started, slurm? }` of the sweep or merge writing the folder (lock.ts)
 *   manifest.json               the budget-applied spec, its hash (covering the problem files' contents),
 *                               package version, the revisions that computed runs, shard
 *   runs/<job id>.json          one finished job: `{ job, revision, rows }`
 *   timings/<job id>.json       its wall-clock seconds, apart so that equal runs give equal run files
 *   checkpoints/<job id>.json   the last checkpoint of an unfinished job (removed when it finishes)
 *   corrupt/                    files that failed verification, moved aside
 * Every file but the lock is written atomically with a checksum and verified when read (verifiedFile.ts).
 * A job's rows appear all at once or not at all, so a sweep killed at any moment and restarted redoes only
 * unfinished jobs (from their checkpoints) and ends with the same rows.
 */
export const RESULTS_FORMAT = 'fedpg-lab/results@2';
/** Format tag of a results folder's run files (runs/<job id>.json). */
export const RUN_FORMAT = 'fedpg-lab/run@1';
/** Format tag of its timing files (timings/<job id>.json). */
export const TIMING_FORMAT = 'fedpg-lab/timing@1';
/** Format tag of its checkpoint files (checkpoints/<job id>.json). */
export const CHECKPOINT_FORMAT = 'fedpg-lab/checkpoint@1';

/** What manifest.json holds. */
export interface Manifest {
  format: typeof RESULTS_FORMAT;
  experiment: string;
  budget: string | null;
  spec: ExperimentSpec;
  /** Hash of the spec and of the contents of every problem file it reads. */
  specHash: string;
  /** The problem files the spec reads (as written in it) and the SHA-256 of their contents. */
  problemFiles: { file: string; sha256: string }[];
  totalJobs: number;
  /** The shard of this folder (`balance` present when jobs were dealt by work, not by index). */
  shard: { index: number; count: number; balance?: 'work' } | null;
  version: string;
  /** The revision that created the folder. */
  git: string;
  dirty: boolean;
  /** Every revision that computed runs in this folder, in order (more than one only with allowRevisionChange). */
  revisions: Revision[];
  node: string;
  created: string;
}

/**
 * A finished job's file (runs/<job id>.json). It names its experiment and spec hash, so that it can be
 * checked against the experiment without the manifest: a folder never holds rows of two experiments.
 */
export interface RunFile {
  job: Job;
  /** The experiment and its spec hash (the manifest's `experiment` and `specHash`). Absent in files written before they were recorded. */
  experiment?: string;
  specHash?: string;
  revision: Revision;
  rows: Record<string, unknown>[];
}

/** What a run file is checked against: the experiment's name and spec hash, and its jobs' ids. */
export interface RunIdentity {
  experiment: string;
  specHash: string;
}

/** Where messages about repaired files go (the CLI prints them on stderr). */
export type Warn = (message: string) => void;

/** The default Warn: stderr, prefixed like the CLI's errors. */
export const printWarning: Warn = (m) => console.warn(`fedpg-lab: ${m}`);

/** A manifest for a budget-applied spec whose relative problem files live in `baseDir`. */
export function makeManifest(spec: ExperimentSpec, budget: string | null, totalJobs: number, shard: Manifest['shard'], baseDir = '.', revision: Revision = currentRevision()): Manifest {
  const problemFiles = problemFileHashes(spec, baseDir).map(({ file, sha256 }) => ({ file, sha256 }));
  // An algorithm module is identified by its contents (the revision's code hashes), not by where it lies: the
  // hash sees module file names only, so a SLURM snapshot's copy of a module hashes as the submitted spec.
  const located = spec.algorithmModules ? { ...spec, algorithmModules: spec.algorithmModules.map((m) => basename(m)) } : spec;
  const specHash = problemFiles.length === 0 ? shortHash(located) : shortHash({ spec: located, problemFiles });
  return {
    format: RESULTS_FORMAT,
    experiment: spec.name,
    budget,
    spec,
    specHash,
    problemFiles,
    totalJobs,
    shard,
    version: packageVersion(),
    git: revision.git,
    dirty: revision.dirty,
    revisions: [revision],
    node: process.version,
    created: new Date().toISOString(),
  };
}

function writeManifest(dir: string, manifest: Manifest): void {
  const { format: _format, ...payload } = manifest;
  writeVerified(join(dir, 'manifest.json'), RESULTS_FORMAT, payload, 1);
}

/** The manifest of a results directory, verified; errors name the file. */
export function loadManifest(dir: string): Manifest {
  const path = join(dir, 'manifest.json');
  if (!existsSync(path)) throw new FedPGError(`${dir}: no manifest.json (not a results directory)`);
  try {
    return { format: RESULTS_FORMAT, ...readVerified<Omit<Manifest, 'format'>>(path, RESULTS_FORMAT) };
  } catch (e) {
    if (e instanceof CorruptFileError) {
      const old = /format is "fedpg-lab\/results@1"/.test(e.reason) ? ' (written by an older fedpg-lab without checksums: run the sweep into a new folder)' : '';
      throw new FedPGError(`manifest ${path} cannot be trusted: ${e.reason}${old}; the folder's results are not used`);
    }
    throw e;
  }
}

/** Create `dir` and its subfolders and check it is writable, before any work. */
function makeWritable(dir: string): void {
  try {
    for (const sub of ['runs', 'timings', 'checkpoints']) mkdirSync(join(dir, sub), { recursive: true });
    accessSync(dir, constants.W_OK);
    const probe = join(dir, `.write-test-${process.pid}`);
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (e) {
    throw new FedPGError(`results directory ${dir} is not writable: ${(e as Error).message}`);
  }
}

/**
 * Remove temporary files a killed writer left (only the lock holder calls this). A would-be owner's private
 * lock file (`lock.<pid>.….tmp`) is removed only once its process is gone: it may be trying to lock right now.
 */
function removeTemporaries(dir: string): void {
  for (const sub of ['runs', 'timings', 'checkpoints', '.']) {
    for (const f of readdirSync(join(dir, sub))) {
      if (!f.endsWith(TMP_SUFFIX)) continue;
      const locker = sub === '.' ? /^lock\.(\d+)\./.exec(f) : null;
      if (!locker || !alive(Number(locker[1]))) rmSync(join(dir, sub, f), { force: true });
    }
  }
}

/** A results folder opened for writing: its lock is held until `close()`. */
export interface OpenResults {
  dir: string;
  manifest: Manifest;
  lock: FolderLock;
  close(): void;
}

/**
 * Open `dir` to write `manifest`'s results: creates it, takes its lock, removes temporary files a killed
 * sweep left, and writes the manifest or checks the existing one (verified; same spec hash, else an error
 * naming the changed problem file or the spec). Errors release the lock.
 */
export function openResultsDir(dir: string, manifest: Manifest, warn: Warn, baseDir?: string): OpenResults {
  makeWritable(dir);
  const lock = acquireLock(dir, warn);
  try {
    removeTemporaries(dir);
    const path = join(dir, 'manifest.json');
    let current = manifest;
    if (existsSync(path)) {
      const old = loadManifest(dir);
      if (old.specHash !== manifest.specHash) throw new FedPGError(specChange(dir, old, manifest, baseDir));
      current = old;
    } else {
      // A folder that lost its manifest: its run files say which experiment they belong to.
      completedJobIds(dir, warn, manifest);
      writeManifest(dir, manifest);
    }
    return { dir, manifest: current, lock, close: () => lock.release() };
  } catch (e) {
    lock.release();
    throw e;
  }
}

/** Why a folder's spec hash differs from this sweep's: a problem file's contents, or the spec. */
function specChange(dir: string, old: Manifest, now: Manifest, baseDir: string | undefined): string {
  const before = new Map((old.problemFiles ?? []).map((f) => [f.file, f.sha256]));
  if (shortHash(old.spec) === shortHash(now.spec)) {
    for (const f of now.problemFiles) {
      const was = before.get(f.file);
      if (was !== undefined && was !== f.sha256) {
        const where = baseDir && !isAbsolute(f.file) ? ` (${join(baseDir, f.file)})` : '';
        return `problem file ${f.file}${where} changed since the results in ${dir} were computed (sha256 ${was.slice(0, 12)}… then, ${f.sha256.slice(0, 12)}… now): resuming would mix runs of two problems; restore the file, or choose another --out`;
      }
    }
  }
  return `results directory ${dir} holds results of a different experiment spec (hash ${old.specHash}, now ${now.specHash}); remove it or choose another --out`;
}

/**
 * Refuse to add runs computed by `revision` to a folder whose runs came from other revisions, unless
 * `allow`; then record it among the manifest's revisions. Call only when there are jobs to compute.
 */
export function admitRevision(open: OpenResults, revision: Revision, allow: boolean): void {
  const used = open.manifest.revisions;
  if (used.some((r) => sameRevision(r, revision))) return;
  const path = join(open.dir, 'manifest.json');
  if (!allow) {
    throw new FedPGError(
      `${path}: the runs in ${open.dir} were computed by revision ${used.map(formatRevision).join(', ')}, and this code is revision ${formatRevision(revision)}; resuming would mix results of two code versions. Pass allowRevisionChange: true (CLI: --allow-revision-change) to resume anyway, or choose another --out`,
    );
  }
  open.manifest = { ...open.manifest, revisions: [...used, revision] };
  writeManifest(open.dir, open.manifest);
}

/** Read and check a run file; the payload, or CorruptFileError. */
function readRunFile(path: string, id: string): RunFile {
  const run = readVerified<RunFile>(path, RUN_FORMAT);
  if (run.job?.id !== id) throw new CorruptFileError(path, `holds job ${JSON.stringify(run.job?.id)}, not ${id}`);
  if (!Array.isArray(run.rows)) throw new CorruptFileError(path, 'has no rows');
  return run;
}

/**
 * Refuse a verified run file of another experiment than `expected` (its spec hash): not damage, so it is not
 * moved aside, and nothing is computed or loaded into a folder that would then mix two experiments. A file
 * without a spec hash (written before run files recorded it) is accepted only when its job is one of
 * `jobs`, the ids of the expected experiment's jobs.
 */
function checkRunIdentity(path: string, run: RunFile, expected: RunIdentity, jobs: ReadonlySet<string>): void {
  const foreign = run.specHash === undefined ? !jobs.has(run.job.id) : run.specHash !== expected.specHash;
  if (foreign) {
    throw new FedPGError(
      `${path} is a run of ${run.specHash === undefined ? 'an unknown experiment (it records no spec hash, and its job is not one of this experiment\'s)' : `experiment "${run.experiment}" (spec hash ${run.specHash})`}, not of "${expected.experiment}" (spec hash ${expected.specHash}): the folder would hold rows of two experiments; remove that file or choose another folder`,
    );
  }
}

/** The ids of a manifest's jobs. */
function jobIdsOf(manifest: Manifest): Set<string> {
  return new Set(expandJobs(manifest.spec).map((j) => j.id));
}

const jsonFiles = (folder: string) => (existsSync(folder) ? readdirSync(folder).filter((f) => f.endsWith('.json')).sort() : []);

/**
 * Ids of the jobs whose verified results are on disk. A run file that fails verification is moved into
 * `corrupt/` (the message names it), so its job counts as not done and is recomputed. Only the lock holder
 * may call this.
 */
export function completedJobIds(dir: string, warn: Warn = printWarning, manifest: Manifest | undefined = existsSync(join(dir, 'manifest.json')) ? loadManifest(dir) : undefined): Set<string> {
  const done = new Set<string>();
  let jobs: Set<string> | undefined;
  for (const f of jsonFiles(join(dir, 'runs'))) {
    const path = join(dir, 'runs', f);
    try {
      const run = readRunFile(path, f.slice(0, -5));
      if (manifest) checkRunIdentity(path, run, manifest, run.specHash === undefined ? (jobs ??= jobIdsOf(manifest)) : new Set());
      done.add(f.slice(0, -5));
    } catch (e) {
      if (!(e instanceof CorruptFileError)) throw e;
      const moved = moveAside(dir, 'runs', path);
      warn(`result file ${path} failed verification (${e.reason}); moved to ${moved}; its job will be recomputed`);
    }
  }
  return done;
}

/** Record a finished job (run file, then its timing), atomically, and drop its checkpoint. */
export function writeJobResult(dir: string, identity: RunIdentity, job: Job, revision: Revision, rows: ResultRow[], seconds: number): void {
  writeVerified(join(dir, 'runs', `${job.id}.json`), RUN_FORMAT, { job, experiment: identity.experiment, specHash: identity.specHash, revision, rows });
  writeVerified(join(dir, 'timings', `${job.id}.json`), TIMING_FORMAT, { job: job.id, seconds });
  rmSync(join(dir, 'checkpoints', `${job.id}.json`), { force: true });
}

/** Checkpoints written by this thread (for the test hook FEDPG_TEST_KILL_AFTER_CHECKPOINT). */
let checkpointsWritten = 0;

/**
 * Checkpoint files of a job. A checkpoint that fails verification, belongs to another job or revision, or
 * cannot be restored is moved into `corrupt/` with a message and the job starts from scratch, so a damaged
 * checkpoint never fails its job.
 *
 * Test hook: with FEDPG_TEST_KILL_AFTER_CHECKPOINT=k the process kills itself (SIGKILL) right after this
 * thread writes its k-th checkpoint, to test resuming after a kill at a known point.
 */
export function checkpointIO(dir: string, job: Job, intervalMs: number, revision: Revision, warn: Warn): CheckpointIO {
  const path = join(dir, 'checkpoints', `${job.id}.json`);
  const discard = (reason: string) => {
    if (!existsSync(path)) return;
    const moved = moveAside(dir, 'checkpoints', path);
    warn(`checkpoint ${path} ${reason}; moved to ${moved}; job ${job.id} restarts from round 0`);
  };
  const killAfter = Number(process.env.FEDPG_TEST_KILL_AFTER_CHECKPOINT ?? 0);
  return {
    intervalMs,
    load: () => {
      if (!existsSync(path)) return undefined;
      try {
        const c = readVerified<{ job: string; revision: Revision; checkpoint: JobCheckpoint }>(path, CHECKPOINT_FORMAT);
        if (c.job !== job.id) throw new CorruptFileError(path, `holds job ${JSON.stringify(c.job)}, not ${job.id}`);
        if (!c.revision || !sameRevision(c.revision, revision)) {
          discard(`was written by revision ${c.revision ? formatRevision(c.revision) : 'unknown'}, not ${formatRevision(revision)}`);
          return undefined;
        }
        return c.checkpoint;
      } catch (e) {
        if (!(e instanceof CorruptFileError)) throw e;
        discard(`failed verification (${e.reason})`);
        return undefined;
      }
    },
    save: (checkpoint) => {
      writeVerified(path, CHECKPOINT_FORMAT, { job: job.id, revision, checkpoint });
      if (killAfter > 0 && ++checkpointsWritten === killAfter) process.kill(process.pid, 'SIGKILL');
    },
    discard: (reason) => discard(`cannot be restored (${reason})`),
  };
}

/** JSON turns NaN into null: numbers that were NaN come back as NaN. */
function revive(row: Record<string, unknown>): ResultRow {
  const out: ResultRow = {};
  for (const [k, v] of Object.entries(row)) out[k] = v === null ? NaN : (v as number | string | boolean);
  return out;
}

/**
 * All rows of a results directory, ordered by job index then round. Every run file is verified; one that
 * cannot be read or fails verification is named in the error (running the sweep again recomputes it).
 */
export function loadRows(dir: string): ResultRow[] {
  const runs = join(dir, 'runs');
  if (!existsSync(runs)) throw new FedPGError(`${dir}: no results (missing ${runs})`);
  // Without a manifest, the run files are checked against each other: all of one experiment.
  const manifest = existsSync(join(dir, 'manifest.json')) ? loadManifest(dir) : undefined;
  let expected: RunIdentity | undefined = manifest;
  let jobs: Set<string> | undefined;
  const rows: ResultRow[] = [];
  for (const f of jsonFiles(runs)) {
    const path = join(runs, f);
    let run: RunFile;
    try {
      run = readRunFile(path, f.slice(0, -5));
    } catch (e) {
      const reason = e instanceof CorruptFileError ? e.reason : (e as Error).message;
      throw new FedPGError(`result file ${path} cannot be read: ${reason}; run the sweep again to move it aside and recompute its job`);
    }
    if (expected === undefined) {
      if (run.specHash === undefined) throw new FedPGError(`${dir}: no manifest.json, and ${path} records no spec hash: which experiment its rows belong to cannot be checked`);
      expected = { experiment: run.experiment ?? 'unknown', specHash: run.specHash };
    }
    checkRunIdentity(path, run, expected, run.specHash === undefined && manifest ? (jobs ??= jobIdsOf(manifest)) : new Set());
    for (const row of run.rows) rows.push(revive(row));
  }
  return rows;
}

/**
 * The rows of a results directory as a Danfo DataFrame (one row per job and recorded round; `df['round']` is
 * the round column, see `ResultFrame`); `loadRows` gives them without Danfo.
 */
export function loadResults(dir: string): ResultFrame {
  const rows = loadRows(dir);
  return new (danfo('loadResults (a Danfo DataFrame)').DataFrame)(rows) as ResultFrame;
}

/** "job 00003-ab12cd34ef56 (config 1, seed 0)": a job by its id and the key that made it. */
function describeJob(job: Job): string {
  return `job ${job.id} (config ${job.config}, seed ${job.seed})`;
}

/** Options of `mergeResults`. */
export interface MergeOptions {
  /** Merge shards computed by different code revisions (default false: refused; CLI --allow-revision-change). The manifest lists every revision. */
  allowRevisionChange?: boolean;
}

/** A merge never writes into its inputs: `outDir` is none of them and inside none of them (real paths). */
function checkNotAnInput(outDir: string, inputs: readonly string[]): void {
  const real = (p: string) => {
    // The output folder may not exist yet: its nearest existing ancestor's real path, then the rest.
    let head = resolve(p);
    const tail: string[] = [];
    while (!existsSync(head) && dirname(head) !== head) {
      tail.unshift(basename(head));
      head = dirname(head);
    }
    return join(realpathSync(head), ...tail);
  };
  const out = real(outDir);
  for (const input of inputs) {
    const dir = real(input);
    if (out === dir || out.startsWith(`${dir}${sep}`)) {
      throw new FedPGError(`cannot merge into ${outDir}: it ${out === dir ? 'is' : 'is inside'} the input ${input}, and a merge never writes into its inputs; choose another --out`);
    }
  }
}

/** Refuse to merge runs of several code revisions (inputs and an existing output) unless `allow`. */
function checkOneRevision(outDir: string, inputs: readonly string[], manifests: readonly Manifest[], existing: Manifest | undefined, allow: boolean): void {
  if (allow) return;
  const sources = [...manifests.map((m, i) => ({ where: inputs[i], revisions: m.revisions })), ...(existing ? [{ where: outDir, revisions: existing.revisions }] : [])];
  const first = sources[0].revisions[0];
  for (const { where, revisions } of sources) {
    const other = revisions.find((r) => !sameRevision(r, first));
    if (other) {
      throw new FedPGError(
        `cannot merge into ${outDir}: ${where}'s runs were computed by revision ${formatRevision(other)}, and ${sources[0].where}'s by ${formatRevision(first)}; the merged folder would mix results of two code versions. Pass allowRevisionChange: true (CLI: merge --allow-revision-change) to merge anyway (the manifest then lists every revision)`,
      );
    }
  }
}

/**
 * Merge the results directories of shards (`--shard i/n` runs) into `outDir`, all or nothing. All must hold
 * the same spec; every input file is verified (a damaged one is named and skipped, so its job counts as
 * missing). When some job of the sweep is in none of them (nor already in `outDir`), nothing is written
 * and the error names every missing job by id, configuration and seed: a partial merged folder would load
 * as if it were the whole sweep. Otherwise the run files are copied byte for byte into `outDir`, holding
 * its lock. Returns the number of jobs merged and missing (0).
 */
export function mergeResults(outDir: string, inputs: string[], warn: Warn = printWarning, options: MergeOptions = {}): { jobs: number; missing: number } {
  if (inputs.length === 0) throw new FedPGError('merge needs at least one results directory');
  checkNotAnInput(outDir, inputs);
  const manifests = inputs.map(loadManifest);
  const hash = manifests[0].specHash;
  manifests.forEach((m, i) => {
    if (m.specHash !== hash) throw new FedPGError(`${inputs[i]}: spec hash ${m.specHash} differs from ${inputs[0]}'s ${hash}; these are not shards of one sweep`);
  });
  const jobIds = jobIdsOf(manifests[0]);
  const existing = existsSync(join(outDir, 'manifest.json')) ? loadManifest(outDir) : undefined;
  checkOneRevision(outDir, inputs, manifests, existing, options.allowRevisionChange ?? false);
  // What the inputs hold, verified, before anything is written.
  const sources = new Map<string, string>();
  for (const dir of inputs) {
    for (const f of jsonFiles(join(dir, 'runs'))) {
      const id = f.slice(0, -5);
      if (sources.has(id)) continue;
      const source = join(dir, 'runs', f);
      let run: RunFile;
      try {
        run = readRunFile(source, id);
      } catch (e) {
        if (!(e instanceof CorruptFileError)) throw e;
        warn(`result file ${source} failed verification (${e.reason}); not merged: run that shard's sweep again to recompute it`);
        continue;
      }
      checkRunIdentity(source, run, manifests[0], jobIds);
      sources.set(id, source);
    }
  }
  const already = new Set(existsSync(join(outDir, 'manifest.json')) && loadManifest(outDir).specHash === hash ? jsonFiles(join(outDir, 'runs')).map((f) => f.slice(0, -5)) : []);
  const missing = expandJobs(manifests[0].spec).filter((j) => !sources.has(j.id) && !already.has(j.id));
  if (missing.length > 0) {
    const shown = missing.slice(0, 20).map(describeJob);
    throw new FedPGError(
      `cannot merge into ${outDir}: ${missing.length} of ${manifests[0].totalJobs} jobs are in none of the ${inputs.length} results folders, so nothing was written (a merge is all or nothing): ${shown.join(', ')}${missing.length > shown.length ? `, … (${missing.length - shown.length} more)` : ''}; run the shards that hold them again, then merge`,
    );
  }
  const revisions: Revision[] = [];
  for (const r of manifests.flatMap((m) => m.revisions)) if (!revisions.some((x) => sameRevision(x, r))) revisions.push(r);
  const merged: Manifest = { ...manifests[0], shard: null, version: packageVersion(), revisions, created: new Date().toISOString() };
  const open = openResultsDir(outDir, merged, warn);
  try {
    const have = completedJobIds(outDir, warn);
    const missingRevisions = revisions.filter((r) => !open.manifest.revisions.some((x) => sameRevision(x, r)));
    if (missingRevisions.length > 0) writeManifest(outDir, { ...open.manifest, revisions: [...open.manifest.revisions, ...missingRevisions] });
    for (const [id, source] of sources) {
      if (have.has(id)) continue;
      const f = `${id}.json`;
      writeAtomic(join(outDir, 'runs', f), readFileSync(source, 'utf8'));
      const timing = join(dirname(dirname(source)), 'timings', f);
      try {
        readVerified(timing, TIMING_FORMAT);
        writeAtomic(join(outDir, 'timings', f), readFileSync(timing, 'utf8'));
      } catch {
        /* timings are informative only: a missing or damaged one is not copied */
      }
      have.add(id);
    }
    const lost = expandJobs(manifests[0].spec).filter((j) => !have.has(j.id));
    return { jobs: have.size, missing: lost.length };
  } finally {
    open.close();
  }
}
