import { checkInteger, fail } from '../core/check';
import type { Algorithm, AlgorithmSetup } from '../algorithms/algorithm';
import type { ResolvedConfig } from '../algorithms/config';
import type { HistoryRow } from './trace';

/** Format tag of a saved run state. */
export const RUN_STATE_FORMAT = 'fedpg-lab/run-state@2';

/** The run's counters: rounds completed and what they cost. */
export interface Counters {
  round: number;
  envSteps: number;
  messages: number;
  syncs: number;
}

/** Everything needed to continue a run bit-identically (plain JSON). */
export interface RunState extends Counters {
  format: typeof RUN_STATE_FORMAT;
  /** The resolved config; `config.algorithm` names the algorithm, `config.options` holds its options. */
  config: ResolvedConfig;
  /** The problem's name and sizes, and `hash`, its content hash (mdp/problemHash.ts): a state restores only onto that problem. */
  problem: { name: string; S: number; A: number; N: number; hash?: string };
  /** The algorithm's code identity (runs/registry.ts, algorithmCode): 'package' or the hash of its definition's source. Absent in states saved before it was recorded. */
  algorithmCode?: string;
  /** The algorithm's state as JSON (opaque to the loop). The random streams are keyed by (seed, round, agent, label), so the counters and the seed are the whole RNG state. */
  algorithmState: unknown;
  history: HistoryRow[];
}

/** The format before algorithms were values (built-ins only, their state in named nullable fields). */
export const RUN_STATE_FORMAT_V1 = 'fedpg-lab/run-state@1';

/**
 * A run state saved by fedpg-lab before algorithms were values (format @1: a sweep checkpoint written by an
 * older version) in today's form: the built-in's fields become its algorithm state, and its options are {}.
 */
export function migrateRunState(saved: Record<string, unknown>): RunState {
  const { thetaBar, agentTheta, controls, serverControl, ...rest } = saved as Record<string, unknown> & { config: Record<string, unknown> };
  const vec = (x: unknown) => (x == null ? null : { [F64]: x });
  const mat = (x: unknown) => (x == null ? null : (x as unknown[]).map(vec));
  const algorithm = rest.config?.algorithm;
  const algorithmState =
    algorithm === 'local-pg' ? { thetaBar: vec(thetaBar), agentTheta: mat(agentTheta) }
    : algorithm === 'scaffold' ? { thetaBar: vec(thetaBar), controls: mat(controls), serverControl: vec(serverControl) }
    : { thetaBar: vec(thetaBar) };
  return { ...(rest as unknown as RunState), format: RUN_STATE_FORMAT, config: { ...(rest.config as unknown as ResolvedConfig), options: {} }, algorithmState };
}

/** Tag of a Float64Array inside an encoded algorithm state. */
const F64 = '$f64';

/**
 * Plain-JSON form of an algorithm state: objects, arrays, numbers, strings, booleans, null and
 * Float64Arrays (written as { "$f64": [...] }; NaN entries become null and are read back as NaN).
 * JSON prints numbers in shortest round-trip form, so decoding gives the same bits (except −0 → 0).
 */
export function encodeState(x: unknown): unknown {
  if (x instanceof Float64Array) return { [F64]: Array.from(x) };
  if (Array.isArray(x)) return x.map(encodeState);
  if (x !== null && typeof x === 'object') {
    if (ArrayBuffer.isView(x)) fail('algorithm state', x, 'holds a typed array other than Float64Array: give the algorithm toJSON/fromJSON');
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, encodeState(v)]));
  }
  if (typeof x === 'function' || typeof x === 'bigint' || typeof x === 'symbol') fail('algorithm state', x, 'is not JSON: give the algorithm toJSON/fromJSON');
  return x;
}

/** Inverse of encodeState. */
export function decodeState(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(decodeState);
  if (x !== null && typeof x === 'object') {
    const o = x as Record<string, unknown>;
    if (Array.isArray(o[F64]) && Object.keys(o).length === 1) return Float64Array.from(o[F64] as (number | null)[], (v) => (v === null ? NaN : v));
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, decodeState(v)]));
  }
  return x;
}

/** The algorithm's state as JSON (its own toJSON when it has one). */
export function algorithmStateToJSON<S>(algorithm: Algorithm<S>, state: S): unknown {
  return algorithm.toJSON ? algorithm.toJSON(state) : encodeState(state);
}

/** The algorithm's state from JSON (its own fromJSON when it has one). */
export function algorithmStateFromJSON<S>(algorithm: Algorithm<S>, json: unknown, setup: AlgorithmSetup): S {
  return algorithm.fromJSON ? algorithm.fromJSON(json, setup) : (decodeState(json) as S);
}

/** Validated counters of a saved state. */
export function countersFromJSON(saved: RunState): Counters {
  return {
    round: checkInteger('state.round', saved.round, 0),
    envSteps: checkInteger('state.envSteps', saved.envSteps, 0),
    messages: checkInteger('state.messages', saved.messages, 0),
    syncs: checkInteger('state.syncs', saved.syncs, 0),
  };
}

/** JSON writes NaN (a metric that was off or undefined) as null: read it back as NaN. */
export function historyRowFromJSON(r: HistoryRow): HistoryRow {
  const num = (x: number | null) => (x === null ? NaN : x);
  return {
    ...r,
    stepSize: num(r.stepSize),
    J: num(r.J),
    gap: num(r.gap),
    gradNorm: num(r.gradNorm),
    agents: r.agents.map((a) => ({ agent: a.agent, J: num(a.J), gap: num(a.gap), drift: num(a.drift), anchorNorm: num(a.anchorNorm) })),
  };
}
