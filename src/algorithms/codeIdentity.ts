import { createHash } from 'node:crypto';

/** The fields of a definition whose values are code. */
const CODE_FIELDS = ['init', 'round', 'validate', 'batchPerStep', 'stepsPerRound', 'thetaBar', 'agentTheta', 'checkState', 'toJSON', 'fromJSON'];

/** JSON with sorted keys (option descriptors in a stable order). */
function stable(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(stable).join(',')}]`;
  if (x !== null && typeof x === 'object') return `{${Object.keys(x).sort().map((k) => `${JSON.stringify(k)}:${stable((x as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(x) ?? 'undefined';
}

/**
 * `sha256:<hex>` of an algorithm definition's source: its name, description, options and estimators, and
 * the text (`Function.prototype.toString`) of every function it gives. A notebook cell run twice gives the
 * same hash; an edit of the round gives another. It does not see helpers the functions call (a module's
 * other functions: the sweep records the module file's hash for those, experiments/algorithmModules.ts).
 */
export function definitionCode(definition: Record<string, unknown>): string {
  const h = createHash('sha256');
  h.update(stable({ name: definition.name, description: definition.description, options: definition.options ?? {}, estimators: definition.estimators ?? null }));
  for (const f of CODE_FIELDS) {
    const v = definition[f];
    h.update(`\n${f}:${typeof v === 'function' ? v.toString() : 'none'}`);
  }
  return `sha256:${h.digest('hex')}`;
}
