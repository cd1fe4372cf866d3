import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { type Algorithm, isAlgorithm } from '../algorithms/algorithm';
import { fail } from '../core/check';
import { algorithmCode, type AlgorithmRegistry, sessionRegistry } from '../runs/registry';

/** What this thread loaded from each module path: the file's SHA-256 and the algorithms it exported. */
const loaded = new Map<string, { sha256: string; algorithms: Algorithm[] }>();
/** The module an algorithm value came from: `<file name>#sha256:<hex>` of its contents. */
const moduleOf = new WeakMap<Algorithm, string>();

/**
 * Load a researcher's algorithm modules in this thread and return the algorithms they export: each is
 * `require`d, and every exported algorithm value is collected (nothing is registered globally). Exports are
 * read because a module that imports 'fedpg-lab' may get another copy of the package than the thread
 * running the jobs (the built package vs. the sources under tsx): algorithm values carry a tag, not a
 * class, so either copy accepts them. A module is never served stale: its file is hashed at every load, and
 * when its contents changed since this thread required it, it is removed from require's cache and loaded
 * again (the files it requires itself are not: keep an algorithm's code in its module). Each algorithm
 * remembers its module's hash (algorithmCodes).
 */
export function loadAlgorithmModules(paths: readonly string[]): Algorithm[] {
  const found: Algorithm[] = [];
  paths.forEach((path, i) => {
    if (!existsSync(path)) fail(`algorithmModules[${i}]`, path, `is not a file: ${path}`);
    const sha256 = createHash('sha256').update(readFileSync(path)).digest('hex');
    let entry = loaded.get(path);
    if (entry?.sha256 !== sha256) {
      let exported: unknown;
      try {
        const resolved = require.resolve(path);
        // An edited module: drop the cached copy so that this thread runs what the file holds now.
        if (entry !== undefined || require.cache[resolved] !== undefined) delete require.cache[resolved];
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        exported = require(resolved);
      } catch (e) {
        fail(`algorithmModules[${i}]`, path, `failed to load: ${(e as Error).message}`);
      }
      const values = exported !== null && typeof exported === 'object' ? Object.values(exported as Record<string, unknown>) : [exported];
      const algorithms = values.filter(isAlgorithm) as Algorithm[];
      for (const a of algorithms) moduleOf.set(a, `${basename(path)}#sha256:${sha256}`);
      entry = { sha256, algorithms };
      loaded.set(path, entry);
    }
    for (const v of entry.algorithms) if (!found.includes(v)) found.push(v);
  });
  return found;
}

/**
 * The code of the algorithms named in `names` that are not the package's own, for provenance
 * (provenance.ts, Revision.algorithms): the module file's hash for an algorithm loaded from a module, the
 * hash of its definition's source for one given by value (a notebook cell). Names the registry does not know
 * are left out (validation refuses them).
 */
export function algorithmCodes(registry: AlgorithmRegistry, names: Iterable<unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    if (typeof name !== 'string' || name in out) continue;
    const algorithm = registry.find(name);
    if (!algorithm) continue;
    const code = algorithmCode(algorithm);
    if (code !== 'package') out[name] = moduleOf.get(algorithm) ?? code;
  }
  return out;
}

/**
 * The registry an experiment runs against, built explicitly: this thread's (the package's algorithms and
 * any `registerAlgorithm` calls), the algorithms of its `algorithmModules`, and `algorithms` given by value
 * (`sweep(spec, { algorithms })`). Worker threads build theirs from the package and the modules.
 */
export function experimentRegistry(modules: readonly string[] | undefined, algorithms: readonly Algorithm<any>[] = [], base: AlgorithmRegistry = sessionRegistry()): AlgorithmRegistry {
  return base.with(loadAlgorithmModules(modules ?? [])).with(algorithms);
}
