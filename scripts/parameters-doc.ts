/**
 * Writes docs/parameters.md from the parameter table (src/core/parameters.ts), so the reference cannot
 * drift from the code: `npm run docs:parameters`. test/parameters.test.ts checks the file is current.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as P from '../src/core/parameters';
import type { FieldSpec, Schema } from '../src/core/schema';

function range(f: FieldSpec): string {
  if (f.type === 'enum') return (f.values ?? []).map((v) => `\`${v}\``).join(' \\| ');
  const lo = f.min === undefined ? '' : `${f.minExclusive ? '>' : '≥'} ${f.min}`;
  const hi = f.max === undefined ? '' : `${f.maxExclusive ? '<' : '≤'} ${f.max}`;
  return [lo, hi].filter(Boolean).join(', ');
}

function table(schema: Schema | Record<string, FieldSpec>): string {
  const rows = Object.entries(schema).map(([name, f]) => {
    const def = f.default !== undefined ? `\`${JSON.stringify(f.default)}\`` : f.optional ? '(none)' : '**required**';
    return `| \`${name}\` | ${f.symbol ?? ''} | ${f.type} | ${def} | ${range(f)} | ${f.doc.replace(/\|/g, '\\|')} |`;
  });
  return ['| name | symbol | type | default | allowed | meaning |', '|---|---|---|---|---|---|', ...rows].join('\n');
}

/** What each schedule's section says above its table (the formulas are in src/algorithms/schedules.ts). */
const STEP_SIZE_INTROS: Record<keyof typeof P.STEP_SIZE_SCHEMAS, string> = {
  constant: '`stepSize: { kind: \'constant\', eta }`, or just the number: `stepSize: 0.1` is a constant step size.',
  decaying: '`stepSize: { kind: \'decaying\', eta0, t0 }`: η_t shrinks with the round t.',
  planned: '`stepSize: { kind: \'planned\', rounds, mu, etaMax }`: one η for all T rounds, planned for T.',
  'planned-sqrt': '`stepSize: { kind: \'planned-sqrt\', rounds, scale, etaMax }`: one η for all T rounds, planned for T.',
};

/** The whole reference page. */
export function parametersMarkdown(): string {
  const sections: [string, string, Schema | Record<string, FieldSpec>][] = [
    ['Run config', '`createRun(problem, config)`. Algorithms may declare options of their own, given as further keys.', P.RUN_SCHEMA],
    ['Exact oracle', '`oracle: { kind: \'exact\' }`: no other key (a sampled oracle\'s keys here are refused, not dropped).', P.ORACLE_SCHEMAS.exact],
    ['Sampled oracle', '`oracle: { kind: \'sampled\', horizon, batch, estimator }`.', P.ORACLE_SCHEMAS.sampled],
    ...Object.entries(P.STEP_SIZE_SCHEMAS).map(([kind, s]) => [`Step size \`${kind}\``, STEP_SIZE_INTROS[kind as keyof typeof P.STEP_SIZE_SCHEMAS], s] as [string, string, Schema]),
    ['Sampled estimator', '`estimateGradient(mdp, θ, options, rng)` and `createGradientEstimator(mdp, options)`.', P.ESTIMATOR_SCHEMA],
    ['Policy class', '`policy` of the exact routines (`evaluatePolicy`, `exactGradient`, `truncatedGradient`, `federatedObjective`) and the sampled estimators (`createGradientEstimator`, `estimateGradient`): `\'tabular\'` (the default) or `{ kind: \'log-linear\', features }` ([policies.md](policies.md)).', P.POLICY_SCHEMAS['log-linear']],
    ...Object.entries(P.FEATURE_SCHEMAS).map(([kind, s]) => [`Features \`${kind}\``, `\`features: { kind: '${kind}', … }\` of a log-linear policy.`, s] as [string, string, Schema]),
    ['Size limits', '`limits: { … }` in a run config, generator options, estimator options or an experiment file raises (or lowers) these.', P.LIMITS_SCHEMA],
    ['garnet', '`garnet(options)`.', P.GARNET_SCHEMA],
    ['gridworld', '`gridworld(options)`.', P.GRIDWORLD_SCHEMA],
    ['windyCliff', '`windyCliff(options)`: per-agent transitions (docs/heterogeneous-transitions.md).', P.WINDY_CLIFF_SCHEMA],
    ['twoState', '`twoState(options)`.', P.TWO_STATE_SCHEMA],
    ['optimumReference', '`optimumReference(problem, options)`: a reference for the federated optimum (docs/heterogeneous-transitions.md).', P.OPTIMUM_REFERENCE_SCHEMA],
    ['virtualMDPError', '`virtualMDPError(problem, options)`: the virtual MDP\'s error over random policies, next to its bound (docs/heterogeneous-transitions.md).', P.VIRTUAL_MDP_ERROR_SCHEMA],
    ['Problem file', 'Top level of a `fedpg-lab/problem@1` file (`loadProblem`); `transitions` has exactly one of `dense`, `sparse`; a sparse row has `next` and `prob`.', P.PROBLEM_FILE_SCHEMA],
    ['Experiment file', 'Top level of a `fedpg-lab/experiment@1` file (`readExperiment`).', P.EXPERIMENT_SCHEMA],
    ['Budget', 'One entry of an experiment\'s `budgets`.', P.BUDGET_SCHEMA],
    ['Experiment parameters', 'Keys of an experiment\'s `parameters` and `grid` (flat: `oracle`, `horizon`, `batch`, `estimator` make the oracle). Kind: where the value goes.', Object.fromEntries(Object.entries(P.EXPERIMENT_PARAMETERS).map(([k, v]) => [k, { ...v, doc: `(${v.kind}) ${v.doc}` }]))],
  ];
  return [
    '# Parameters',
    '',
    'Generated from `src/core/parameters.ts` by `npm run docs:parameters`; do not edit by hand. Every key is',
    'checked strictly: an unknown key is refused with the nearest known key suggested, booleans must be',
    'booleans, enumerations and ranges are checked, and a required key that is missing is named.',
    '',
    ...sections.flatMap(([title, intro, schema]) => [`## ${title}`, '', intro, '', table(schema), '']),
  ].join('\n');
}

if (require.main === module) {
  const path = join(__dirname, '..', 'docs', 'parameters.md');
  writeFileSync(path, parametersMarkdown());
  console.log(`wrote ${path}`);
}
