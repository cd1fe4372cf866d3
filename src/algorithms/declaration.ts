import { formatValue } from '../core/check';
import { ValidationError } from '../core/errors';
import { ESTIMATOR_KINDS, EXPERIMENT_PARAMETERS, RUN_SCHEMA } from '../core/parameters';
import { checkField, type FieldSpec, isPlainObject, nearestName } from '../core/schema';

/**
 * What `defineAlgorithm` checks of a definition before it makes a value, so that a mistake in a declaration
 * is refused where it is written, not found later as a silently different run: the definition's keys
 * (did-you-mean), the hooks' types, and every option descriptor (a known type, a doc, bounds in order, enum
 * values, a default that passes its own descriptor, and a name that is not a run or experiment parameter: a
 * run config's top-level `entropy` would otherwise set both the run's τ and the option).
 */

/** The keys of an algorithm definition (AlgorithmDefinition). */
const DEFINITION_KEYS = ['name', 'description', 'options', 'validate', 'batchPerStep', 'stepsPerRound', 'estimators', 'init', 'round', 'thetaBar', 'agentTheta', 'checkState', 'toJSON', 'fromJSON'];
const HOOKS = ['validate', 'batchPerStep', 'stepsPerRound', 'thetaBar', 'agentTheta', 'checkState', 'toJSON', 'fromJSON'];
const FIELD_TYPES: readonly FieldSpec['type'][] = ['number', 'integer', 'boolean', 'string', 'enum', 'object', 'vector', 'stepSize', 'seed', 'any'];
const SPEC_KEYS = ['type', 'default', 'optional', 'min', 'max', 'minExclusive', 'maxExclusive', 'values', 'requires', 'symbol', 'doc'];

/** Check a definition; `name` is already known to be a valid name. */
export function checkDefinition(name: string, definition: Record<string, unknown>): void {
  const refuse: (field: string, value: unknown, problem: string) => never = (field, value, problem) => {
    throw new ValidationError(field, value, `algorithm "${name}": ${field} ${problem}`);
  };
  for (const key of Object.keys(definition)) {
    // An algorithm value spread into a new definition (`{ ...other, name }`) brings its tag along.
    if ((key === 'kind' && definition.kind === 'fedpg-lab/algorithm') || (key === 'code' && definition.kind === 'fedpg-lab/algorithm')) continue;
    if (!DEFINITION_KEYS.includes(key)) {
      const near = nearestName(key, DEFINITION_KEYS);
      refuse(key, definition[key], `is not a field of an algorithm definition${near ? `; did you mean ${near}?` : ''} (fields: ${DEFINITION_KEYS.join(', ')})`);
    }
  }
  for (const hook of HOOKS) if (definition[hook] !== undefined && typeof definition[hook] !== 'function') refuse(hook, definition[hook], `must be a function, got ${formatValue(definition[hook])}`);
  const estimators = definition.estimators;
  if (estimators !== undefined && (!Array.isArray(estimators) || estimators.length === 0 || !estimators.every((e) => (ESTIMATOR_KINDS as readonly unknown[]).includes(e)))) {
    refuse('estimators', estimators, `must be a non-empty list of ${ESTIMATOR_KINDS.map((k) => `'${k}'`).join(', ')}`);
  }
  const options = definition.options;
  if (options === undefined) return;
  if (!isPlainObject(options)) refuse('options', options, `must be an object of option descriptors { name: { type, default, doc, … } }, got ${formatValue(options)}`);
  for (const [key, spec] of Object.entries(options)) {
    const f = `options.${key}`;
    if (key in RUN_SCHEMA) refuse(f, spec, `is named like the run parameter ${key}: a run config's top-level ${key} would set both; choose another name`);
    if (key in EXPERIMENT_PARAMETERS) refuse(f, spec, `is named like the experiment parameter ${key}: an experiment's ${key} would set both; choose another name`);
    if (!isPlainObject(spec)) refuse(f, spec, `must be an option descriptor { type, default, doc, … }, got ${formatValue(spec)}`);
    for (const k of Object.keys(spec)) {
      if (!SPEC_KEYS.includes(k)) {
        const near = nearestName(k, SPEC_KEYS);
        refuse(`${f}.${k}`, spec[k], `is not a field of an option descriptor${near ? `; did you mean ${near}?` : ''} (fields: ${SPEC_KEYS.join(', ')})`);
      }
    }
    if (!(FIELD_TYPES as readonly unknown[]).includes(spec.type)) refuse(`${f}.type`, spec.type, `must be one of ${FIELD_TYPES.map((t) => `'${t}'`).join(', ')}, got ${formatValue(spec.type)}`);
    if (typeof spec.doc !== 'string' || spec.doc.trim() === '') refuse(`${f}.doc`, spec.doc, `must be a one-line meaning, got ${formatValue(spec.doc)}`);
    for (const bound of ['min', 'max'] as const) if (spec[bound] !== undefined && !Number.isFinite(spec[bound])) refuse(`${f}.${bound}`, spec[bound], `must be a finite number, got ${formatValue(spec[bound])}`);
    for (const flag of ['optional', 'minExclusive', 'maxExclusive'] as const) if (spec[flag] !== undefined && typeof spec[flag] !== 'boolean') refuse(`${f}.${flag}`, spec[flag], `must be true or false, got ${formatValue(spec[flag])}`);
    if (typeof spec.min === 'number' && typeof spec.max === 'number' && (spec.min > spec.max || (spec.min === spec.max && (spec.minExclusive || spec.maxExclusive)))) {
      refuse(f, spec, `has min ${spec.min} and max ${spec.max}: no value is allowed`);
    }
    if (spec.type === 'enum' && (!Array.isArray(spec.values) || spec.values.length === 0 || !spec.values.every((v) => typeof v === 'string'))) refuse(`${f}.values`, spec.values, `must list the allowed strings of an enum, got ${formatValue(spec.values)}`);
    if (spec.requires !== undefined) {
      const req = spec.requires as { field?: unknown; values?: unknown };
      if (!isPlainObject(req) || typeof req.field !== 'string' || !(req.field in options) || req.field === key || (req.values !== undefined && !Array.isArray(req.values))) {
        refuse(`${f}.requires`, spec.requires, `must be { field: <another option of this algorithm>, values?: [...] }, got ${formatValue(spec.requires)}`);
      }
    }
    if (spec.default !== undefined) {
      try {
        checkField(`${f}.default`, spec.default, spec as unknown as FieldSpec);
      } catch (e) {
        if (e instanceof ValidationError) refuse(`${f}.default`, spec.default, `is outside its own descriptor: ${e.message.slice(`${f}.default `.length)}`);
        throw e;
      }
    }
  }
}
