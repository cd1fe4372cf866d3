import { fail, formatValue } from '../core/check';
import { nearestName, type Schema } from '../core/schema';
import { type Algorithm, isAlgorithm } from '../algorithms/algorithm';
import { BUILTIN_ALGORITHMS } from '../algorithms/builtins/index';
import { BASELINE_ALGORITHMS } from '../baselines/index';

/**
 * A set of algorithms by name: a plain, immutable value. Runs resolve algorithm names against one, sweeps
 * build theirs explicitly (the package's algorithms, the experiment's `algorithmModules`, the values passed
 * as `sweep(spec, { algorithms })`), and worker threads rebuild the same from the modules. Nothing registers
 * itself by being imported.
 */
export interface AlgorithmRegistry {
  /** Registered names, in registration order (built-ins first). */
  readonly names: readonly string[];
  /** The algorithm of this name, or undefined. */
  find(name: string): Algorithm | undefined;
  /** An algorithm from a name (with a did-you-mean when unknown) or an algorithm value (returned as is). */
  resolve(field: string, value: unknown): Algorithm;
  /** This registry and `algorithms` (the same value twice is one entry; another algorithm with a taken name is refused). */
  with(algorithms: readonly Algorithm<any>[]): AlgorithmRegistry;
}

/** A registry of `algorithms` (names must be distinct, or the same value). */
export function createRegistry(algorithms: readonly Algorithm<any>[]): AlgorithmRegistry {
  const byName = new Map<string, Algorithm>();
  algorithms.forEach((algorithm, i) => {
    if (!isAlgorithm(algorithm)) fail(`algorithms[${i}]`, algorithm, 'must be made by defineAlgorithm');
    const existing = byName.get(algorithm.name);
    if (existing && existing !== (algorithm as Algorithm)) fail('algorithm.name', algorithm.name, 'is already registered by another algorithm; choose another name');
    byName.set(algorithm.name, algorithm as Algorithm);
  });
  const names = Object.freeze([...byName.keys()]);
  return Object.freeze({
    names,
    find: (name: string) => byName.get(name),
    resolve(field: string, value: unknown): Algorithm {
      if (isAlgorithm(value)) return value;
      if (typeof value !== 'string') fail(field, value, `must be an algorithm name or a value made by defineAlgorithm, got ${formatValue(value)}`);
      const found = byName.get(value);
      if (found) return found;
      // A name the typed one begins (e.g. 'fedavg' → 'fedavg-pg') before the nearest by edit distance.
      const near = names.find((n) => value.length >= 3 && n.toLowerCase().startsWith(value.toLowerCase())) ?? nearestName(value, names);
      return fail(field, value, `must be a registered algorithm, got ${formatValue(value)}${near ? `; did you mean '${near}'?` : ''} (registered: ${names.join(', ')}; pass the algorithm value, list its module in the experiment's algorithmModules, or call registerAlgorithm)`);
    },
    with: (more: readonly Algorithm<any>[]) => createRegistry([...byName.values(), ...more]),
  });
}

/** The package's algorithms: the five built-ins, then the baselines written against the plug-in interface. */
export const PACKAGE_ALGORITHMS: readonly Algorithm[] = Object.freeze([...BUILTIN_ALGORITHMS, ...BASELINE_ALGORITHMS] as Algorithm[]);

/**
 * The code identity a run state records for an algorithm: 'package' for the package's own algorithms (their
 * code is the package's, which results record as its revision), else the value's `code`, the hash of its
 * definition's source. An algorithm value named like a built-in therefore never passes for it.
 */
export function algorithmCode(algorithm: Algorithm<any>): string {
  return PACKAGE_ALGORITHMS.includes(algorithm as Algorithm) ? 'package' : algorithm.code;
}

/** This thread's registry: the package's algorithms and whatever `registerAlgorithm` added (explicit calls only). */
let session = createRegistry(PACKAGE_ALGORITHMS);

/** This thread's registry (the package's algorithms and those given to `registerAlgorithm`). */
export function sessionRegistry(): AlgorithmRegistry {
  return session;
}

/**
 * Make `algorithm` available by its name to `createRun`, `restoreRun` and the experiments this thread
 * validates. A name is registered once: a second algorithm with a registered name is refused (registering
 * the same value again is a no-op, so a module loaded twice in one thread is harmless). Worker threads do
 * not see it: a sweep that runs it on workers loads it from the experiment's `algorithmModules`.
 */
export function registerAlgorithm<S>(algorithm: Algorithm<S>): Algorithm<S> {
  if (!isAlgorithm(algorithm)) fail('algorithm', algorithm, 'must be made by defineAlgorithm');
  session = session.with([algorithm as Algorithm]);
  return algorithm;
}

/** Names of this thread's registered algorithms, built-ins first. */
export function algorithmNames(): string[] {
  return [...session.names];
}

/** This thread's registered algorithm of this name, or undefined. */
export function findAlgorithm(name: string): Algorithm | undefined {
  return session.find(name);
}

/** An algorithm from a name (looked up in `registry`, by default this thread's) or an algorithm value. */
export function resolveAlgorithm(field: string, value: unknown, registry: AlgorithmRegistry = session): Algorithm {
  return registry.resolve(field, value);
}

/**
 * The option schema of an algorithm (given by name or value): the extra run-config keys it accepts
 * (`beta` for fedsvrpg-m, `mixing` for fednpg, `reuseAnchor` for fast-fedpg).
 */
export function algorithmOptions(algorithm: string | Algorithm, registry: AlgorithmRegistry = session): Schema {
  return registry.resolve('algorithm', algorithm).options;
}
