import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { isAlgorithm } from '../algorithms/algorithm';
import { registerAlgorithm } from '../algorithms/registry';
// fednpg and fedsvrpg-m are registered wherever experiments are parsed or run.
import '../baselines/index';
import { fail } from '../core/check';

/** Paths of algorithm modules made absolute: relative ones are taken from `baseDir` (the experiment file's folder). */
export function resolveAlgorithmModules(paths: readonly string[], baseDir: string): string[] {
  return paths.map((p) => (isAbsolute(p) ? p : resolve(baseDir, p)));
}

/**
 * Load a researcher's algorithm modules in this thread (sweep workers call this before running jobs): each
 * is `require`d, and every algorithm it exports is registered (a module may also call registerAlgorithm
 * itself). Exports are registered because a module that imports 'fedpg-lab' may get another copy of the
 * package than the thread running the jobs (the built package vs. the sources under tsx): algorithm values
 * carry a tag, not a class, so either copy accepts them. Loading a module twice is harmless.
 */
export function loadAlgorithmModules(paths: readonly string[]): string[] {
  const names: string[] = [];
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
    for (const v of values) {
      if (isAlgorithm(v)) {
        registerAlgorithm(v);
        names.push(v.name);
      }
    }
  });
  return names;
}
