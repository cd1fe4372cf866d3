import type { ResolvedConfig, RunConfig } from '../algorithms/config';
import { resolveConfig } from '../runs/resolve';
import type { FederatedProblem } from '../mdp/problem';
import { PARAMETER_SYMBOLS } from './notation';
import { policyLabel } from '../policy/policyClass';

/** Short names used in figure subtitles: the symbols of the parameter table (core/parameters.ts). */
const SYMBOLS = PARAMETER_SYMBOLS;

const num = (v: number) => String(Number(v.toPrecision(4)));

/** A run config (as given or as resolved, `run.config`), possibly without its algorithm (settings shared by the algorithms a figure compares) or seed (several seeds). */
export type LabelConfig = ResolvedConfig | (Omit<RunConfig, 'algorithm' | 'seed'> & { algorithm?: RunConfig['algorithm']; seed?: RunConfig['seed'] });

function isProblem(x: unknown): x is FederatedProblem {
  return x != null && typeof x === 'object' && 'rewards' in x && 'transitions' in x && 'S' in x && 'A' in x;
}

/** η as a subtitle shows it: the constant, or the schedule's kind and its parameters. */
function stepSizeText(schedule: ReturnType<typeof resolveConfig>['stepSize']): string {
  if (schedule.kind === 'constant') return `η=${num(schedule.eta)}`;
  const params = Object.entries(schedule)
    .filter(([k]) => k !== 'kind')
    .map(([k, v]) => `${k}=${typeof v === 'number' ? num(v) : v}`)
    .join(',');
  return `η ${schedule.kind}(${params})`;
}

/**
 * The one-line label of the settings a figure was made with, read from the objects themselves so it cannot
 * disagree with them: `settingsLabel(problem, config)` gives e.g.
 * "garnet-S8-A3-b3-N4-h1-seed11 · γ=0.9 · H=10 · η=0.5 · K=30 · M=20 · τ=0.1 · run seed 1" (the problem's own
 * name, which its generator builds from its parameters and seed; then γ; then the run's H, η, the oracle
 * (K and M, or "exact gradients"), τ, α_g when not 1, and the run's seed). The config may omit `algorithm`
 * (settings shared by the algorithms a figure compares) and `seed`; it is validated like `createRun`'s.
 *
 * `settingsLabel(record)` labels plain settings (e.g. a sweep's grid point) with the symbol table:
 * `{ agents: 4, localSteps: 10 }` → "N=4 · H=10". `extra` strings are appended in both forms.
 */
export function settingsLabel(problem: FederatedProblem, config?: LabelConfig, extra?: readonly string[]): string;
export function settingsLabel(settings: Record<string, unknown>, extra?: readonly string[]): string;
export function settingsLabel(first: FederatedProblem | Record<string, unknown>, second?: LabelConfig | readonly string[], third: readonly string[] = []): string {
  if (!isProblem(first)) {
    const parts: string[] = [];
    for (const [k, v] of Object.entries(first)) {
      if (v === undefined || v === null || typeof v === 'object') continue;
      parts.push(`${SYMBOLS[k] ?? k}=${typeof v === 'number' ? num(v) : v}`);
    }
    return [...parts, ...((second as readonly string[] | undefined) ?? [])].join(' · ');
  }
  const parts = [first.name, `γ=${num(first.gamma)}`];
  const config = second as LabelConfig | undefined;
  if (config) {
    const c = resolveConfig(first, { algorithm: 'fast-fedpg', ...config, seed: config.seed ?? 0 } as RunConfig);
    parts.push(`H=${c.localSteps}`, stepSizeText(c.stepSize));
    if (c.oracle.kind === 'sampled') parts.push(`K=${c.oracle.horizon}`, `M=${c.oracle.batch}${c.oracle.estimator === 'reinforce' ? ' (REINFORCE)' : ''}`);
    else parts.push('exact gradients');
    parts.push(`τ=${num(c.entropy)}`);
    if (c.serverStep !== 1) parts.push(`α_g=${num(c.serverStep)}`);
    if (c.policy) parts.push(policyLabel(c.policy));
    if (config.seed !== undefined) parts.push(`run seed ${c.seed}`);
  }
  return [...parts, ...third].join(' · ');
}
