import { existsSync } from 'node:fs';
import { type Algorithm, isAlgorithm } from '../algorithms/algorithm';
import { fail } from '../core/check';
import { type AlgorithmRegistry, sessionRegistry } from '../runs/registry';

/**
 * Load a researcher's algorithm modules in this thread and return the algorithms they export: each is
 * `require`d, and every exported algorithm value is collected (nothing is registered globally). Exports are
 * read because a module that imports 'fedpg-lab' may get another copy of the package than the thread
 * running the jobs (the built package vs. the sources under tsx): algorithm values carry a tag, not a
 * class, so either copy accepts them. Loading a module twice is harmless (require caches it).
 */
export function loadAlgorithmModules(paths: readonly string[]): Algorithm[] {
  const found: Algorithm[] = [];
  paths.forEach((path, i) => {
    if (!existsSync(path)) fail(`algorithmModules[${i}]`, path, `is not a file: ${path}`);
    let exported: unknown;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      exported = require(path);
    } catch (e) {
      fail(`algorithmModules[${i}]`, path, `failed to load: ${(e as Error).message}`);
    }
    const values = exported !== null && typeof exported === 'object' ? Object.values(exported as Record<string, unknown>) : [exported];
    for (const v of values) if (isAlgorithm(v) && !found.includes(v)) found.push(v);
  });
  return found;
}

/**
 * The registry an experiment runs against, built explicitly: this thread's (the package's algorithms and
 * any `registerAlgorithm` calls), the algorithms of its `algorithmModules`, and `algorithms` given by value
 * (`sweep(spec, { algorithms })`). Worker threads build theirs from the package and the modules.
 */
export function experimentRegistry(modules: readonly string[] | undefined, algorithms: readonly Algorithm<any>[] = [], base: AlgorithmRegistry = sessionRegistry()): AlgorithmRegistry {
  return base.with(loadAlgorithmModules(modules ?? [])).with(algorithms);
}
