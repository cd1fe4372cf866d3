import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { FedPGError } from '../core/errors';
import { currentRevision, formatRevision, problemFileHashes, type Revision } from './provenance';
import type { ExperimentSpec } from './spec';
import { readJSONFile } from '../mdp/io';

/**
 * The code a SLURM run executes, copied into its folder when it is submitted, so that the tasks run what
 * was submitted even when the checkout changes (a new commit, a rebuild) before they start:
 *   DIR/slurm/node_modules/fedpg-lab/   the built package: package.json and dist/ (without source maps and
 *                                        declarations); a module that requires 'fedpg-lab' finds this copy
 *   DIR/slurm/node_modules/<dependency>/ each runtime dependency of package.json ("dependencies")
 *   DIR/slurm/input/                     the experiment file and every problem file and algorithm module it
 *                                        names by a relative path, at the same relative places (so problem
 *                                        files keep their names in the jobs, and ids do not change); a module
 *                                        named by an absolute path is copied into input/_absolute/ and the
 *                                        copy's experiment names it there
 *   DIR/slurm/snapshot.json              the revision, a hash of every copied file, and the id (a hash of those)
 * The tasks set FEDPG_REVISION to the snapshot's revision: their runs record the commit that was submitted,
 * as a sweep from that checkout would. Only the files an algorithm module names are copied, not what that
 * module itself requires (bundle a module with helpers into one file, or keep its helpers where it finds
 * them by absolute path).
 */

export const SNAPSHOT_FORMAT = 'fedpg-lab/slurm-snapshot@1';

/** snapshot.json: what was copied. */
export interface Snapshot {
  format: typeof SNAPSHOT_FORMAT;
  /** Hash of every copied file (name and sha256): equal ids, equal code and inputs. */
  id: string;
  /** The revision the tasks record (FEDPG_REVISION). */
  revision: Revision;
  created: string;
  /** The experiment file inside the snapshot (relative to DIR/slurm). */
  experiment: string;
  /** Copied file (relative to DIR/slurm) → sha256 of its bytes. */
  files: Record<string, string>;
}

/** One file to copy: where it goes (relative to DIR/slurm), where it comes from, or its text. */
interface Entry {
  to: string;
  from?: string;
  text?: string;
}

/** Where a run folder's snapshot lives: the copied package (node_modules), the inputs, and the snapshot's record. */
export const snapshotPaths = (out: string) => {
  const root = join(out, 'slurm');
  return {
    root,
    manifest: join(root, 'snapshot.json'),
    package: join(root, 'node_modules', 'fedpg-lab'),
    cli: join(root, 'node_modules', 'fedpg-lab', 'dist', 'cli.js'),
  };
};

/** Every file under `dir` (relative paths with '/'), sorted. */
function filesUnder(dir: string, keep: (rel: string) => boolean, prefix = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(dir, prefix)).sort()) {
    const rel = prefix === '' ? name : `${prefix}/${name}`;
    const stat = statSync(join(dir, rel));
    if (stat.isDirectory()) out.push(...filesUnder(dir, keep, rel));
    else if (stat.isFile() && keep(rel)) out.push(rel);
  }
  return out;
}

/** The built package (package.json, dist/ without *.map and *.d.ts) and its runtime dependencies. */
function packageEntries(packageRoot: string): Entry[] {
  const dist = join(packageRoot, 'dist');
  if (!existsSync(join(dist, 'cli.js'))) throw new FedPGError(`${join(dist, 'cli.js')} does not exist: run \`npm run build\` in ${packageRoot} first (the SLURM tasks run the built package)`);
  const pkg = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  const entries: Entry[] = [{ to: 'node_modules/fedpg-lab/package.json', from: join(packageRoot, 'package.json') }];
  for (const rel of filesUnder(dist, (f) => !f.endsWith('.map') && !f.endsWith('.d.ts'))) entries.push({ to: `node_modules/fedpg-lab/dist/${rel}`, from: join(dist, rel) });
  for (const dep of Object.keys(pkg.dependencies ?? {}).sort()) {
    let manifest: string;
    try {
      manifest = require.resolve(`${dep}/package.json`, { paths: [packageRoot] });
    } catch {
      throw new FedPGError(`dependency ${dep} of ${join(packageRoot, 'package.json')} is not installed: run \`npm ci\` in ${packageRoot}`);
    }
    const depRoot = dirname(manifest);
    for (const rel of filesUnder(depRoot, () => true)) entries.push({ to: `node_modules/${dep}/${rel}`, from: join(depRoot, rel) });
  }
  return entries;
}

/**
 * The experiment file and the files it names: relative problem files and algorithm modules keep their
 * place relative to the experiment (under the common folder of all of them); modules named by absolute
 * paths go to input/_absolute/<k>/<name> (the module keeps its file name, which its code identity records) and the copied experiment names them there.
 */
function inputEntries(experiment: string, spec: ExperimentSpec): { entries: Entry[]; experiment: string } {
  const base = dirname(experiment);
  const raw = readJSONFile(experiment, 'experiment file') as Record<string, unknown>;
  const modules = Array.isArray(raw.algorithmModules) ? (raw.algorithmModules as unknown[]).filter((m): m is string => typeof m === 'string') : [];
  const relativeFiles = [
    ...problemFileHashes(spec, base).filter((f) => !isAbsolute(f.file)).map((f) => f.file),
    ...modules.filter((m) => !isAbsolute(m)),
  ];
  // The common folder: the experiment's, raised once for every leading '..' of the deepest relative path.
  const up = Math.max(0, ...relativeFiles.map((f) => relative(base, resolve(base, f)).split(sep).filter((p, i, all) => p === '..' && all.slice(0, i).every((q) => q === '..')).length));
  const root = resolve(base, ...Array<string>(up).fill('..'));
  const place = (abs: string) => `input/${relative(root, abs).split(sep).join('/')}`;
  const experimentTo = place(experiment);
  const entries: Entry[] = [];
  const absolute = modules.map((m, k) => (isAbsolute(m) ? { m, to: `input/_absolute/${k}/${basename(m)}` } : undefined));
  if (absolute.some((a) => a !== undefined)) {
    const fromCopy = dirname(experimentTo);
    raw.algorithmModules = modules.map((m, k) => {
      const a = absolute[k];
      if (!a) return m;
      const rel = relative(fromCopy, a.to);
      return rel.startsWith('.') ? rel : `./${rel}`;
    });
    entries.push({ to: experimentTo, text: `${JSON.stringify(raw, null, 2)}\n` });
    for (const a of absolute) if (a) entries.push({ to: a.to, from: a.m });
  } else entries.push({ to: experimentTo, from: experiment });
  for (const f of [...new Set(relativeFiles)].sort()) entries.push({ to: place(resolve(base, f)), from: resolve(base, f) });
  return { entries, experiment: experimentTo };
}

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/** What a snapshot of the current code and inputs would hold (files read now), without copying. */
export function plannedSnapshot(packageRoot: string, experiment: string, spec: ExperimentSpec, revision: Revision = currentRevision()): { snapshot: Snapshot; entries: Entry[] } {
  const input = inputEntries(experiment, spec);
  const entries = [...packageEntries(packageRoot), ...input.entries];
  const files: Record<string, string> = {};
  for (const e of entries) {
    if (e.from !== undefined && !existsSync(e.from)) throw new FedPGError(`${e.from} (named by ${experiment}) does not exist: it cannot be copied into the run's snapshot`);
    files[e.to] = sha256(e.text ?? readFileSync(e.from as string));
  }
  const sorted = Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return {
    snapshot: { format: SNAPSHOT_FORMAT, id: sha256(JSON.stringify(sorted)).slice(0, 16), revision, created: new Date().toISOString(), experiment: input.experiment, files: sorted },
    entries,
  };
}

/** The snapshot of a run folder, or undefined when it has none yet. */
export function readSnapshot(out: string): Snapshot | undefined {
  const path = snapshotPaths(out).manifest;
  if (!existsSync(path)) return undefined;
  const s = readJSONFile(path, 'SLURM snapshot') as Snapshot;
  if (s.format !== SNAPSHOT_FORMAT) throw new FedPGError(`${path}: format must be "${SNAPSHOT_FORMAT}", got ${JSON.stringify(s.format)}`);
  return s;
}

/** Files that differ between two snapshots: changed, only in `now` (added), only in `then` (removed). */
export function snapshotDifference(then: Snapshot, now: Snapshot): { changed: string[]; added: string[]; removed: string[]; revision: boolean } {
  const names = [...new Set([...Object.keys(then.files), ...Object.keys(now.files)])].sort();
  return {
    changed: names.filter((n) => then.files[n] !== undefined && now.files[n] !== undefined && then.files[n] !== now.files[n]),
    added: names.filter((n) => then.files[n] === undefined),
    removed: names.filter((n) => now.files[n] === undefined),
    revision: formatRevision(then.revision) !== formatRevision(now.revision),
  };
}

/** "revision a → b; 3 files changed: …" (at most `limit` names per kind). */
export function describeDifference(then: Snapshot, now: Snapshot, limit = 8): string {
  const d = snapshotDifference(then, now);
  const list = (kind: string, names: string[]) => (names.length === 0 ? [] : [`${names.length} ${kind}: ${names.slice(0, limit).join(', ')}${names.length > limit ? `, … (${names.length - limit} more)` : ''}`]);
  return [
    ...(d.revision ? [`revision ${formatRevision(then.revision)} then, ${formatRevision(now.revision)} now`] : []),
    ...list('changed', d.changed),
    ...list('added', d.added),
    ...list('removed', d.removed),
  ].join('; ');
}

/**
 * Copy the planned snapshot into DIR/slurm, replacing the previous one (only call when no task of the run
 * is queued or running): the files go into a fresh folder first, then take the old ones' places.
 */
export function writeSnapshot(out: string, planned: { snapshot: Snapshot; entries: Entry[] }): void {
  const { root, manifest } = snapshotPaths(out);
  const tmp = join(root, `.snapshot-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  for (const e of planned.entries) {
    const to = join(tmp, ...e.to.split('/'));
    mkdirSync(dirname(to), { recursive: true });
    if (e.text !== undefined) writeFileSync(to, e.text);
    else copyFileSync(e.from as string, to);
  }
  for (const top of ['node_modules', 'input']) {
    rmSync(join(root, top), { recursive: true, force: true });
    if (existsSync(join(tmp, top))) renameSync(join(tmp, top), join(root, top));
  }
  rmSync(tmp, { recursive: true, force: true });
  writeFileSync(manifest, `${JSON.stringify(planned.snapshot, null, 1)}\n`);
}

/** FEDPG_REVISION's form of a revision: `<commit>` or `<commit>-dirty`. */
export const revisionVariable = (r: Revision) => `${r.git}${r.dirty ? `-dirty${r.diff ? `+${r.diff}` : ''}` : ''}`;
