import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { ValidationError } from '../core/errors';
import { type ExperimentSpec, gridList } from './spec';

/** The code a result was computed with: a git commit, and whether the checkout had uncommitted changes. */
export interface Revision {
  git: string;
  dirty: boolean;
}

/** Whether two revisions are the same code (as far as git tells: two dirty trees of one commit are equal). */
export function sameRevision(a: Revision, b: Revision): boolean {
  return a.git === b.git && a.dirty === b.dirty;
}

/** "abc123…" or "abc123… (dirty)". */
export function formatRevision(r: Revision): string {
  return `${r.git}${r.dirty ? ' (dirty)' : ''}`;
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
 * The revision of the code that is running. FEDPG_REVISION (`<commit>` or `<commit>-dirty`) overrides git:
 * tests use it to simulate a code change, and an install without a .git folder (a cluster copy) can state its
 * revision with it. Otherwise `git rev-parse HEAD` and `git status --porcelain --untracked-files=no` of the
 * package's checkout; 'unknown' without git.
 */
export function currentRevision(): Revision {
  const forced = process.env.FEDPG_REVISION;
  if (forced) return forced.endsWith('-dirty') ? { git: forced.slice(0, -'-dirty'.length), dirty: true } : { git: forced, dirty: false };
  const root = resolve(__dirname, '..', '..');
  try {
    const opts = { cwd: root, encoding: 'utf8' as const, stdio: ['ignore', 'pipe', 'ignore'] as ['ignore', 'pipe', 'ignore'] };
    const git = execFileSync('git', ['rev-parse', 'HEAD'], opts).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], opts).trim() !== '';
    return { git, dirty };
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
