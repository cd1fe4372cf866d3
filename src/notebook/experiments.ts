import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Row } from '../analysis/frame';
import { FedPGError } from '../core/errors';
import { readExperiment } from '../experiments/readExperiment';
import type { ExperimentSpec } from '../experiments/spec';
import { loadManifest, type Manifest } from '../experiments/store';
import { sweep } from '../experiments/sweep';
import { notebookProgress } from './progress';
import { notebookBudget } from './results';

/** The project folder: FEDPG_ROOT, else the nearest folder at or above the current one with data/experiments/. */
export function projectRoot(): string {
  if (process.env.FEDPG_ROOT) return resolve(process.env.FEDPG_ROOT);
  let dir = process.cwd();
  for (;;) {
    if (existsSync(join(dir, 'data', 'experiments'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new FedPGError(`no data/experiments/ folder at or above ${process.cwd()}: set FEDPG_ROOT to the fedpg-lab checkout`);
    dir = up;
  }
}

/** Where results live: FEDPG_RESULTS, else <project>/data/results. */
export function resultsRoot(): string {
  return resolve(process.env.FEDPG_RESULTS ?? join(projectRoot(), 'data', 'results'));
}

/** Where exported figures go: FEDPG_FIGURES, else <project>/figures. */
export function figuresRoot(): string {
  return resolve(process.env.FEDPG_FIGURES ?? join(projectRoot(), 'figures'));
}

/** A shipped experiment's results at the notebook budget. */
export interface ExperimentResults {
  spec: ExperimentSpec;
  budget: string;
  dir: string;
  manifest: Manifest;
  rows: Row[];
}

/**
 * The results of a shipped experiment (data/experiments/<name>.json) at the notebook budget (FEDPG_BUDGET:
 * 'ci', 'quick' or 'full'): runs the sweep with a live progress line, and finishes an interrupted one; when
 * `npm run reproduce` (or an earlier call) has already run it, it only loads the results and says so
 * ("identity: loaded 36 runs from data/results/identity/quick").
 */
export async function experimentResults(name: string, options: { workers?: number } = {}): Promise<ExperimentResults> {
  const spec = readExperiment(join(projectRoot(), 'data', 'experiments', `${name}.json`));
  const budget = notebookBudget();
  const dir = join(resultsRoot(), name, budget);
  const result = await sweep(spec, { budget, out: dir, workers: options.workers, baseDir: join(projectRoot(), 'data', 'experiments'), onProgress: notebookProgress(name) });
  if (result.failures.length > 0) throw new FedPGError(`${name}: ${result.failures.length} run(s) failed, e.g. ${result.failures[0].id}: ${result.failures[0].message}`);
  if (result.skipped === result.jobs) console.log(loadedMessage(name, result.jobs, dir));
  return { spec, budget, dir, manifest: loadManifest(dir), rows: result.rows };
}

/** "rate-theorem1 · quick budget · 4 seeds · fedpg-lab 0.1.0 @f072b58": the provenance line of a figure. */
export function experimentLabel(results: ExperimentResults): string {
  const seeds = results.manifest.spec.seeds;
  const count = Array.isArray(seeds) ? seeds.length : seeds;
  return `${results.spec.name} · ${results.budget} budget · ${count} seed${count === 1 ? '' : 's'} · fedpg-lab ${results.manifest.version} @${results.manifest.git.slice(0, 7)}`;
}

/** "identity: loaded 36 runs from data/results/identity/quick" (the path relative to the project when inside it). */
export function loadedMessage(name: string, runs: number, dir: string): string {
  let shown = dir;
  try {
    const root = projectRoot();
    if (dir.startsWith(`${root}/`)) shown = dir.slice(root.length + 1);
  } catch {
    // outside a checkout: the absolute path
  }
  return `${name}: loaded ${runs} run${runs === 1 ? '' : 's'} from ${shown}`;
}
