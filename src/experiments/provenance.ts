import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { ValidationError } from '../core/errors';
import { type ExperimentSpec, gridList } from './spec';

/**
 * The code a result was computed with: the package's git commit, whether its checkout had uncommitted
 * changes and, when it had, a hash of those changes (`diff`, so that two different edits of one commit are
 * two revisions), and the code of every algorithm the results used that is not the package's own
 * (`algorithms`: name → the SHA-256 of the module file it came from, or the hash of its definition's source
 * for an algorithm given by value; algorithmModules.ts, algorithmCodes).
 */
export interface Revision {
  git: string;
  dirty: boolean;
  diff?: string;
  algorithms?: Record<string, string>;
}

/** Whether two revisions are the same code: the commit, the dirty state and its diff, and every plug-in algorithm's code. */
export function sameRevision(a: Revision, b: Revision): boolean {
  if (a.git !== b.git || a.dirty !== b.dirty || (a.diff ?? '') !== (b.diff ?? '')) return false;
  const x = a.algorithms ?? {};
  const y = b.algorithms ?? {};
  const names = new Set([...Object.keys(x), ...Object.keys(y)]);
  for (const n of names) if (x[n] !== y[n]) return false;
  return true;
}

/** "abc123…", "abc123… (dirty, diff 0a1b2c3d4e5f)", followed by the plug-in algorithms' code. */
export function formatRevision(r: Revision): string {
  const algorithms = Object.entries(r.algorithms ?? {}).map(([n, c]) => `${n} ${c.length > 30 ? `${c.slice(0, 30)}…` : c}`);
  return `${r.git}${r.dirty ? ` (dirty${r.diff ? `, diff ${r.diff}` : ''})` : ''}${algorithms.length > 0 ? ` with ${algorithms.join(', ')}` : ''}`;
}

/** The revision with the code of the plug-in algorithms it ran (none: the revision as it is). */
export function withAlgorithms(r: Revision, algorithms: Record<string, string>): Revision {
  return Object.keys(algorithms).length === 0 ? r : { ...r, algorithms: { ...(r.algorithms ?? {}), ...algorithms } };
}

/** The package version of this checkout or install. */
export function packageVersion(): string {
  try {
    return JSON.parse(readFileSync(join(resolve(__dirname, '..', '..'), 'package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

/**
 * The revision of the code that is running. FEDPG_REVISION (`<commit>`, `<commit>-dirty` or
 * `<commit>-dirty+<diff>`: revisionVariable writes it) overrides git: tests use it to simulate a code change,
 * and an install without a .git folder (a cluster copy) can state its revision with it. Otherwise
 * `git rev-parse HEAD` and `git status --porcelain --untracked-files=no` of the package's checkout, and when
 * dirty the first 16 hex digits of the SHA-256 of `git diff HEAD` (tracked files); 'unknown' without git.
 */
export function currentRevision(): Revision {
  const forced = process.env.FEDPG_REVISION;
  if (forced) {
    const m = /^(.*?)-dirty(?:\+([0-9a-f]+))?$/.exec(forced);
    return m ? { git: m[1], dirty: true, ...(m[2] ? { diff: m[2] } : {}) } : { git: forced, dirty: false };
  }
  const root = resolve(__dirname, '..', '..');
  try {
    const opts = { cwd: root, encoding: 'utf8' as const, stdio: ['ignore', 'pipe', 'ignore'] as ['ignore', 'pipe', 'ignore'], maxBuffer: 256 * 1024 * 1024 };
    const git = execFileSync('git', ['rev-parse', 'HEAD'], opts).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], opts).trim() !== '';
    if (!dirty) return { git, dirty };
    const diff = createHash('sha256').update(execFileSync('git', ['diff', 'HEAD', '--no-ext-diff', '--no-color'], opts)).digest('hex').slice(0, 16);
    return { git, dirty, diff };
  } catch {
    return { git: 'unknown', dirty: false };
  }
}

/** A problem file an experiment reads, as written in the spec, where it was found, and its contents' hash. */
export interface ProblemFileHash {
  file: string;
  path: string;
  sha256: string;
}

/**
 * Every `problemFile` of a (budget-applied) spec — in `parameters` and in each grid — resolved relative to
 * `baseDir` (absolute paths as they are), with the SHA-256 of its bytes, sorted by name. A file that cannot
 * be read is refused here, before any work, naming the field and the path.
 */
export function problemFileHashes(spec: ExperimentSpec, baseDir: string): ProblemFileHash[] {
  const named = new Map<string, string>();
  if (typeof spec.parameters.problemFile === 'string') named.set(spec.parameters.problemFile, 'parameters.problemFile');
  gridList(spec.grid).forEach((g, i) => {
    for (const f of g.problemFile ?? []) if (typeof f === 'string' && !named.has(f)) named.set(f, Array.isArray(spec.grid) ? `grid[${i}].problemFile` : 'grid.problemFile');
  });
  return [...named.keys()].sort().map((file) => {
    const path = isAbsolute(file) ? file : join(baseDir, file);
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (e) {
      throw new ValidationError(named.get(file) as string, file, `${named.get(file)} ${JSON.stringify(file)}: cannot read problem file ${path} (${(e as Error).message})`);
    }
    return { file, path, sha256: createHash('sha256').update(bytes).digest('hex') };
  });
}
