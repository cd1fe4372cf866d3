import { availableParallelism } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { checkInteger, fail } from '../core/check';
import { resolveLimits } from '../core/limits';
import { checkField, checkKnownKeys, validateObject } from '../core/schema';
import { FedPGError } from '../core/errors';
import type { Algorithm } from '../algorithms/algorithm';
import { checkRunConfig } from '../runs/resolve';
import { type AlgorithmRegistry, createRegistry, PACKAGE_ALGORITHMS, sessionRegistry } from '../runs/registry';
import { algorithmCodes, experimentRegistry, loadAlgorithmModules } from './algorithmModules';
import { validatedWith, validateExperiment } from './validate';
import { executeJob } from './execute';
import type { JobInfo, ResultRow } from './job';
import { problemKey } from './problemFromPoint';
import { runConfigFromPoint } from './runConfigFromPoint';
import { estimateEta, type ProgressSample, type SweepProgress } from './progress';
import { applyBudget, canonicalJSON, defaultResultsDir, expandJobs, type ExperimentSpec, type Job } from './spec';
import { type ShardBalance, shardOf } from './shardPlan';
import { currentRevision, type Revision, withAlgorithms } from './provenance';
import { admitRevision, checkpointIO, completedJobIds, loadRows, makeManifest, openResultsDir, printWarning, type RunIdentity, type Warn, writeJobResult } from './store';

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
  /**
   * Resume in a folder whose runs were computed by another code revision (default false: refused, since the
   * folder would mix two code versions). The manifest then lists every revision used.
   */
  allowRevisionChange?: boolean;
  /** The code revision to record (default: currentRevision(), i.e. FEDPG_REVISION or git). */
  revision?: Revision;
  /** Messages about files set aside or locks taken over (default: printed on stderr). */
  onWarning?: Warn;
  /**
   * Algorithms given by value, beside the package's, the registered ones and the experiment's
   * algorithmModules (an explicit registry for this sweep). Worker threads cannot receive them: a sweep whose
   * jobs use an algorithm no module provides runs on this thread (`workers` 0; an explicit `workers` > 0 is
   * refused by name).
   */
  algorithms?: readonly Algorithm<any>[];
  /**
   * Compute a seed-independent run once for all its seeds (default true): when a job's problem does not
   * depend on the seed (problemSeed or problemFile) and its run drew no random number (e.g. a built-in
   * algorithm with the exact oracle), the other seeds of the same configuration get its rows, with their own
   * job id and seed, instead of computing the same numbers again. The result files are the same either way.
   */
  shareSeedIndependentRuns?: boolean;
}

/** The keys of SweepOptions (a misspelled option is refused, not ignored). */
const SWEEP_OPTION_KEYS = ['budget', 'workers', 'shard', 'balance', 'out', 'baseDir', 'checkpointSeconds', 'onProgress', 'allowRevisionChange', 'revision', 'onWarning', 'algorithms', 'shareSeedIndependentRuns'];

/** What a sweep did. */
export interface SweepResult {
  dir: string;
  /** Jobs of this shard, and how many were already done before this call. */
  jobs: number;
  skipped: number;
  failures: { id: string; message: string }[];
  rows: ResultRow[];
  /** Messages about files set aside (corrupt results or checkpoints) and locks taken over. */
  warnings: string[];
}

/** What a 'runs' job's algorithm plans per round: gradient estimates per agent and trajectories per estimate (its hooks, on the resolved config). */
interface RoundPlan {
  sampled: boolean;
  stepsPerRound: number;
  batchPerStep: number;
  horizon: number;
}

const roundPlans = new WeakMap<object, RoundPlan | null>();

/**
 * The job's round plan, from its run config resolved once (the algorithm's `stepsPerRound` and
 * `batchPerStep`); null for identity jobs and algorithms `registry` does not know (their weight is then the
 * point's H + 1 estimates). Jobs of one configuration share their point, and so the plan.
 */
function roundPlan(job: Job, registry: AlgorithmRegistry): RoundPlan | null {
  const known = roundPlans.get(job.point);
  if (known !== undefined) return known;
  let plan: RoundPlan | null = null;
  const algorithm = typeof job.point.algorithm === 'string' ? registry.find(job.point.algorithm) : undefined;
  if (algorithm) {
    const config = checkRunConfig(runConfigFromPoint(job.point, job.seed, job.limits), {}, registry);
    plan = {
      sampled: config.oracle.kind === 'sampled',
      stepsPerRound: algorithm.stepsPerRound(config),
      batchPerStep: algorithm.batchPerStep(config),
      horizon: config.oracle.kind === 'sampled' ? config.oracle.horizon : 0,
    };
  }
  roundPlans.set(job.point, plan);
  return plan;
}

/**
 * A job's relative cost for progress, ETA, work-balanced shards and the order of `npm run reproduce`:
 * rounds × agents × (gradient estimates per agent per round, the algorithm's `stepsPerRound`) × the cost of
 * one estimate, in environment steps: its batch per step times K when sampled; with the exact oracle
 * S·A + S³/32 (a dense solve is an LU of ≈ S³/3 multiply-adds, each about a tenth of an environment step;
 * measured: a 20-state exact gradient ≈ 300 steps' time). Identity jobs count as H + 1 exact gradients per round.
 */
export function jobWeight(job: Job): number {
  return weightOf(job, sessionRegistry());
}

/** `jobWeight` with the algorithms of `registry` (a sweep's). */
export function weightOf(job: Job, registry: AlgorithmRegistry): number {
  const p = job.point;
  const num = (k: string, d: number) => (typeof p[k] === 'number' ? (p[k] as number) : d);
  const S = num('states', 20);
  const plan = roundPlan(job, registry);
  if (plan === null) return num('rounds', 1) * num('agents', 1) * (num('localSteps', 1) + 1) * (p.oracle === 'sampled' ? num('batch', 1) * num('horizon', 1) : S * num('actions', 4) + S ** 3 / 32);
  const perEstimate = plan.sampled ? plan.batchPerStep * plan.horizon : S * num('actions', 4) + S ** 3 / 32;
  return num('rounds', 1) * num('agents', 1) * plan.stepsPerRound * perEstimate;
}

/**
 * Environment steps a job plans: T·N·(estimates per agent per round)·(trajectories per estimate)·K for a
 * sampled run, from its algorithm's `stepsPerRound` and `batchPerStep` (Fast-FedPG: T·N·(H+1)·M·K;
 * minibatch PG: T·N·1·(H·M)·K); 0 for exact-gradient and identity jobs (their cost is not in environment steps).
 */
export function plannedEnvSteps(job: Job, registry: AlgorithmRegistry = sessionRegistry()): number {
  const plan = roundPlan(job, registry);
  if (plan === null) return job.point.oracle === 'sampled' && job.point.algorithm !== undefined ? fail('algorithm', job.point.algorithm, 'is not a registered algorithm: the sweep cannot plan it') : 0;
  if (!plan.sampled) return 0;
  const num = (k: string, d: number) => (typeof job.point[k] === 'number' ? (job.point[k] as number) : d);
  return num('rounds', 1) * num('agents', 1) * plan.stepsPerRound * plan.batchPerStep * plan.horizon;
}

/** Refuse a sweep whose planned environment steps exceed limits.sweepSteps, before any work. */
export function checkSweepSize(name: string, budget: string | undefined, jobs: Job[], limits: unknown, registry: AlgorithmRegistry = sessionRegistry()): void {
  const { sweepSteps } = resolveLimits('limits', limits);
  const total = jobs.reduce((acc, j) => acc + plannedEnvSteps(j, registry), 0);
  if (total > sweepSteps) {
    fail('limits.sweepSteps', total, `is exceeded: experiment "${name}"${budget ? ` (budget '${budget}')` : ''} plans ${total.toExponential(2)} environment steps over ${jobs.length} jobs, above the limit ${sweepSteps.toExponential(2)} (≈ ${(total / 3e7 / 3600).toFixed(1)} h on one core); raise it with "limits": { "sweepSteps": … } in the experiment file if you mean it`);
  }
}

/**
 * Jobs whose results may not depend on the seed: a 'runs' job whose problem is the same for every seed
 * (problemSeed or a problem file) is grouped with the other seeds of its configuration. The first of each
 * group (in job order) runs; the others still to do are held until it has finished (`settle`). A group
 * whose first job is already on disk is not shared: whether that run drew random numbers is not recorded.
 */
export function seedIndependentGroups(jobs: readonly Job[], todo: readonly Job[]): { followers: Map<string, Job[]>; held: Set<string> } {
  const pending = new Set(todo.map((j) => j.id));
  const first = new Map<string, Job>();
  const followers = new Map<string, Job[]>();
  const held = new Set<string>();
  for (const job of jobs) {
    if (problemKey(job.point, 0) !== problemKey(job.point, 1)) continue;
    const key = canonicalJSON(job.point);
    const leader = first.get(key);
    if (!leader) {
      first.set(key, job);
      continue;
    }
    if (!pending.has(leader.id) || !pending.has(job.id)) continue;
    followers.set(leader.id, [...(followers.get(leader.id) ?? []), job]);
    held.add(job.id);
  }
  return { followers, held };
}

/** Whether two registries hold the same algorithm values under the same names. */
function sameAlgorithms(a: AlgorithmRegistry, b: AlgorithmRegistry): boolean {
  return a.names.length === b.names.length && a.names.every((n) => a.find(n) === b.find(n));
}

/** A worker thread running worker.js (built package) or worker.ts (from source, through tsx's CommonJS hook). */
function startWorker(): Worker {
  if (extname(__filename) !== '.ts') return new Worker(join(__dirname, 'worker.js'));
  // Node 20 does not pass `--import tsx` on to worker threads: register tsx inside the worker instead.
  const file = JSON.stringify(join(__dirname, 'worker.ts'));
  return new Worker(`require('tsx/cjs'); require(${file});`, { eval: true });
}

/** What a sweep will do, decided before any work (`planSweep`). */
export interface SweepPlan {
  /** The budget-applied spec. */
  spec: ExperimentSpec;
  /** Every job of the spec, and this shard's. */
  allJobs: Job[];
  jobs: Job[];
  /** The registry the jobs' algorithms are looked up in. */
  registry: AlgorithmRegistry;
  /** Worker threads to use: 0 when some job's algorithm is one no module provides (workers could not load it). */
  workers: number;
}

/**
 * Plan a validated spec: apply the budget, expand the jobs (once), take this shard's (by index or by work,
 * the algorithms' plans), refuse a sweep beyond `limits.sweepSteps`, and decide where jobs run: worker
 * threads rebuild the registry from the package and the experiment's modules, so algorithms given only by
 * value (`algorithms`, `registerAlgorithm`) run on this thread. Pure apart from loading the modules.
 */
export function planSweep(spec: ExperimentSpec, options: SweepOptions, registry: AlgorithmRegistry): SweepPlan {
  const applied = applyBudget(spec, options.budget);
  const allJobs = expandJobs(applied);
  const jobs = shardOf(allJobs, options.shard, options.balance ?? 'index', (job) => weightOf(job, registry));
  checkSweepSize(spec.name, options.budget, jobs, applied.limits, registry);
  const workerRegistry = createRegistry(PACKAGE_ALGORITHMS).with(loadAlgorithmModules(applied.algorithmModules ?? []));
  const inThread = [...new Set(jobs.map((j) => j.point.algorithm).filter((a): a is string => typeof a === 'string' && workerRegistry.find(a) !== registry.find(a)))];
  let workers = checkInteger('workers', options.workers ?? availableParallelism(), 0, 256);
  if (inThread.length > 0 && workers > 0) {
    if (options.workers !== undefined) fail('workers', options.workers, `is ${options.workers}, but ${inThread.map((a) => `'${a}'`).join(', ')} ${inThread.length === 1 ? 'is' : 'are'} given by value, not by a module worker threads can load: pass workers: 0, or list the module in the experiment's algorithmModules`);
    workers = 0;
  }
  return { spec: applied, allJobs, jobs, registry, workers };
}

/**
 * Run every (configuration, seed) job of an experiment on a pool of worker threads, writing each job's rows
 * atomically as it finishes (store.ts). Four steps: the registry (the package's algorithms, the registered
 * ones, the experiment's algorithmModules and `options.algorithms`), validation (experiments/validate.ts;
 * skipped for a spec `readExperiment` validated with the same algorithms), the plan (`planSweep`) and the
 * execution. Jobs already on disk (and verified) are skipped, so an interrupted sweep restarted with the same
 * arguments finishes with identical results; each job's numbers depend only on its configuration and seed,
 * so they do not depend on the number of workers or the shard. The results folder is locked for the whole
 * call; resuming under another code revision is refused unless `allowRevisionChange`.
 */
export async function sweep(spec: ExperimentSpec, options: SweepOptions = {}): Promise<SweepResult> {
  checkKnownKeys('', options as Record<string, unknown>, SWEEP_OPTION_KEYS, 'sweep options');
  if (options.shard !== undefined) {
    const sh = validateObject('shard', options.shard, { index: { type: 'integer', min: 0, doc: 'shard index i' }, count: { type: 'integer', min: 1, doc: 'number of shards n' } }, 'a shard { index, count }');
    if ((sh.index as number) >= (sh.count as number)) fail('shard.index', sh.index, `must be < shard.count = ${String(sh.count)}`);
  }
  if (options.algorithms !== undefined && !Array.isArray(options.algorithms)) fail('algorithms', options.algorithms, 'must be an array of algorithm values (made by defineAlgorithm)');
  const extra = options.algorithms ?? [];
  // The modules as they are now (reloaded when edited since they were validated): a spec validated against
  // the same algorithm values is not validated again.
  const fresh = experimentRegistry(spec.algorithmModules, extra);
  const validated = validatedWith(spec);
  const registry = validated !== undefined && sameAlgorithms(validated, fresh) ? validated : fresh;
  if (validatedWith(spec) !== registry) validateExperiment(applyBudget(spec, options.budget), { registry });
  const plan = planSweep(spec, options, registry);
  const { spec: applied, allJobs, jobs } = plan;
  const dir = options.out !== undefined ? resolve(options.out) : defaultResultsDir(spec.name, options.budget);
  const baseDir = resolve(options.baseDir ?? '.');
  const checkpointMs = 1000 * (checkField('checkpointSeconds', options.checkpointSeconds ?? 20, { type: 'number', min: 0, doc: 'seconds between checkpoints (0: after every round)' }) as number);
  if (options.out !== undefined && (typeof options.out !== 'string' || options.out.trim() === '')) fail('out', options.out, 'must be a non-empty directory path');
  // The code that computes the numbers: the package's revision and every plug-in algorithm the jobs use.
  const revision = withAlgorithms(options.revision ?? currentRevision(), algorithmCodes(registry, new Set(allJobs.map((j) => j.point.algorithm))));
  const warnings: string[] = [];
  const print = options.onWarning ?? printWarning;
  const warn = (m: string) => {
    warnings.push(m);
    print(m);
  };
  const open = openResultsDir(dir, makeManifest(applied, options.budget ?? null, allJobs.length, options.shard ? { ...options.shard, ...(options.balance === 'work' ? { balance: 'work' as const } : {}) } : null, baseDir, revision), warn, baseDir);
  try {
    const done = completedJobIds(dir, warn, open.manifest);
    const todo = jobs.filter((j) => !done.has(j.id));
    // Only new work is refused under another revision: reading finished results is always allowed.
    if (todo.length > 0) admitRevision(open, revision, options.allowRevisionChange ?? false);
    const share = options.shareSeedIndependentRuns === undefined ? true : (checkField('shareSeedIndependentRuns', options.shareSeedIndependentRuns, { type: 'boolean', doc: 'compute seed-independent runs once' }) as boolean);
    const failures = await runJobs(applied.kind, jobs, todo, done, { workers: plan.workers, dir, baseDir, checkpointMs, revision, warn, onProgress: options.onProgress, algorithmModules: applied.algorithmModules ?? [], share, registry, identity: open.manifest });
    const mine = new Set(jobs.map((j) => j.id));
    const rows = loadRows(dir).filter((r) => mine.has(r.job as string));
    return { dir, jobs: jobs.length, skipped: jobs.length - todo.length, failures, rows, warnings };
  } finally {
    open.close();
  }
}

interface RunContext {
  workers: number;
  dir: string;
  baseDir: string;
  checkpointMs: number;
  revision: Revision;
  warn: Warn;
  onProgress?: (p: SweepProgress) => void;
  /** The experiment's algorithm modules (absolute paths): every worker loads them before running jobs. */
  algorithmModules: string[];
  /** shareSeedIndependentRuns. */
  share: boolean;
  /** Where the jobs run on this thread look up their algorithms. */
  registry: AlgorithmRegistry;
  /** The experiment and spec hash every run file records. */
  identity: RunIdentity;
}

/** Run `todo` (inline or on worker threads), writing each result as it finishes; returns the failures. */
async function runJobs(kind: ExperimentSpec['kind'], jobs: Job[], todo: Job[], done: Set<string>, ctx: RunContext): Promise<{ id: string; message: string }[]> {
  const { dir, baseDir, checkpointMs, revision, warn, onProgress, algorithmModules } = ctx;
  const shared = ctx.share && kind === 'runs' ? seedIndependentGroups(jobs, todo) : { followers: new Map<string, Job[]>(), held: new Set<string>() };
  const failures: { id: string; message: string }[] = [];
  const start = Date.now();
  const running = new Map<string, number>();
  let finished = jobs.length - todo.length;
  // Progress is counted in work, not jobs: jobs of one sweep differ in size by orders of magnitude (T from 25
  // to 3200, N from 1 to 16), and a count of jobs would make the ETA wrong by as much.
  const weight = new Map(jobs.map((j) => [j.id, weightOf(j, ctx.registry)]));
  const totalWeight = jobs.reduce((w, j) => w + (weight.get(j.id) as number), 0) || 1;
  let doneWeight = jobs.filter((j) => done.has(j.id)).reduce((w, j) => w + (weight.get(j.id) as number), 0);
  const startFraction = doneWeight / totalWeight;
  // The rate's origin: the first report after work began (what came before it is start-up, not work).
  let origin: ProgressSample | undefined;
  const report = () => {
    if (!onProgress) return;
    let partial = 0;
    for (const [id, f] of running) partial += f * (weight.get(id) as number);
    const fraction = jobs.length === 0 ? 1 : (doneWeight + partial) / totalWeight;
    const elapsedMs = Date.now() - start;
    if (origin === undefined && fraction > startFraction) origin = { ms: elapsedMs, fraction };
    onProgress({ done: finished, failed: failures.length, total: jobs.length, fraction, elapsedMs, etaMs: estimateEta(origin, { ms: elapsedMs, fraction }) });
  };
  report();
  const complete = (job: Job, rows: ResultRow[], seconds: number) => {
    writeJobResult(dir, ctx.identity, job, revision, rows, seconds);
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
  /**
   * A group's first job has finished: when it drew no random number, its rows are every other seed's
   * (with their own job id and seed); otherwise, or when it failed, the others run as usual. Returns the
   * jobs to run.
   */
  const settle = (leader: Job, rows: ResultRow[] | null, drew: boolean): Job[] => {
    const others = shared.followers.get(leader.id) ?? [];
    for (const f of others) shared.held.delete(f.id);
    if (rows === null || drew) return others;
    for (const f of others) complete(f, rows.map((r) => ({ ...r, job: f.id, seed: f.seed })), 0);
    return [];
  };

  if (ctx.workers === 0) {
    const queue = todo.filter((j) => !shared.held.has(j.id));
    while (queue.length > 0) {
      const job = queue.shift() as Job;
      const t0 = Date.now();
      running.set(job.id, 0);
      const info: JobInfo = {};
      let rows: ResultRow[] | null = null;
      try {
        rows = executeJob(kind, job, baseDir, ctx.registry, (f) => running.set(job.id, f), checkpointIO(dir, job, checkpointMs, revision, warn), info);
        complete(job, rows, (Date.now() - t0) / 1000);
      } catch (e) {
        failed(job, (e as Error).message);
      }
      queue.unshift(...settle(job, rows, info.drewRandomNumbers ?? true));
    }
  } else {
    const queue = todo.filter((j) => !shared.held.has(j.id));
    // Workers that found the queue empty while jobs were held wait here for a group's first job to settle.
    const idle: (() => void)[] = [];
    const pool: Worker[] = [];
    await Promise.all(
      Array.from({ length: Math.min(ctx.workers, queue.length) }, () =>
        new Promise<void>((resolveWorker, rejectWorker) => {
          const worker = startWorker();
          pool.push(worker);
          let current: Job | undefined;
          const next = () => {
            current = queue.shift();
            if (!current) {
              if (shared.held.size > 0) {
                idle.push(next);
                return;
              }
              void worker.terminate().then(() => resolveWorker());
              while (idle.length > 0) (idle.shift() as () => void)();
              return;
            }
            running.set(current.id, 0);
            worker.postMessage({ kind, job: current, baseDir, resultsDir: dir, checkpointMs, revision, algorithmModules });
          };
          // After a group's first job: its other seeds join the front of the queue (when they must run), this
          // worker takes the next job, and the waiting workers wake (each takes a job, waits again, or ends).
          const continueAfter = (jobsToRun: Job[]) => {
            queue.unshift(...jobsToRun);
            next();
            for (const w of idle.splice(0)) w();
          };
          worker.on('message', (msg: { type: string; id: string; fraction?: number; rows?: ResultRow[]; seconds?: number; message?: string; drewRandomNumbers?: boolean }) => {
            if (msg.type === 'warning') warn(msg.message ?? '');
            if (!current || msg.id !== current.id) return;
            if (msg.type === 'progress') {
              running.set(msg.id, msg.fraction ?? 0);
              report();
            } else if (msg.type === 'done') {
              const job = current;
              complete(job, msg.rows ?? [], msg.seconds ?? 0);
              continueAfter(settle(job, msg.rows ?? [], msg.drewRandomNumbers ?? true));
            } else if (msg.type === 'error') {
              const job = current;
              failed(job, msg.message ?? 'unknown error');
              continueAfter(settle(job, null, true));
            }
          });
          worker.on('error', (e) => {
            // Stop every thread before the caller releases the folder's lock: none may write after that.
            queue.length = 0;
            void Promise.all(pool.map((w) => w.terminate())).then(() => rejectWorker(new FedPGError(`sweep worker crashed: ${e.message}`)));
          });
          next();
        }),
      ),
    );
  }
  return failures;
}
