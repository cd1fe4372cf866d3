import { fail, formatValue } from '../core/check';
import { nearestName, type Schema } from '../core/schema';
import { type Algorithm, isAlgorithm } from './algorithm';
import { BUILTIN_ALGORITHMS } from './builtins/index';

/** Algorithms available by name (the built-ins, then whatever `registerAlgorithm` added). */
const registry = new Map<string, Algorithm>(BUILTIN_ALGORITHMS.map((a) => [a.name, a]));

/**
 * Make `algorithm` available by its name to `createRun`, `restoreRun` and experiment files. A name is
 * registered once: a second algorithm with a registered name is refused (registering the same value
 * again is a no-op, so a module loaded twice in one thread is harmless).
 */
export function registerAlgorithm<S>(algorithm: Algorithm<S>): Algorithm<S> {
  if (!isAlgorithm(algorithm)) fail('algorithm', algorithm, 'must be made by defineAlgorithm');
  const existing = registry.get(algorithm.name);
  if (existing && existing !== (algorithm as Algorithm)) fail('algorithm.name', algorithm.name, 'is already registered by another algorithm; choose another name');
  registry.set(algorithm.name, algorithm as Algorithm);
  return algorithm;
}

/** Names of the registered algorithms, built-ins first. */
export function algorithmNames(): string[] {
  return [...registry.keys()];
}

/** The registered algorithm of this name, or undefined. */
export function findAlgorithm(name: string): Algorithm | undefined {
  return registry.get(name);
}

/** An algorithm from a name (looked up in the registry, with a did-you-mean) or an algorithm value. */
export function resolveAlgorithm(field: string, value: unknown): Algorithm {
  if (isAlgorithm(value)) return value;
  if (typeof value !== 'string') fail(field, value, `must be an algorithm name or a value made by defineAlgorithm, got ${formatValue(value)}`);
  const found = registry.get(value);
  if (found) return found;
  const names = algorithmNames();
  // A name the typed one begins (e.g. 'fedavg' → 'fedavg-pg') before the nearest by edit distance.
  const near = names.find((n) => value.length >= 3 && n.toLowerCase().startsWith(value.toLowerCase())) ?? nearestName(value, names);
  return fail(field, value, `must be a registered algorithm, got ${formatValue(value)}${near ? `; did you mean '${near}'?` : ''} (registered: ${names.join(', ')}; a module defining it must call registerAlgorithm)`);
}

/**
 * The option schema of an algorithm (given by name or value): the extra run-config keys it accepts
 * (`beta` for fedsvrpg-m, `mixing` for fednpg). Empty for the built-ins. For the run-config validator.
 */
export function algorithmOptions(algorithm: string | Algorithm): Schema {
  return resolveAlgorithm('algorithm', algorithm).options;
}
