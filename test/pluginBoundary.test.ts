import assert from 'node:assert/strict';
import { test } from 'node:test';
import { aggregate, createRun, defineAlgorithm, DivergenceError, FedPGError, fedAvgPG, garnet, localUpdate, type RoundContext, type RoundResult } from '../src/index';

// What crosses the plug-in boundary (a round's result, the context's counters and buffers, an algorithm's own
// declarations) is checked on every round whatever the metrics setting; every failure names the algorithm,
// the field and the value.

const problem = garnet({ states: 5, actions: 3, branching: 2, agents: 3, gamma: 0.9, heterogeneity: 1, seed: 4 });
const d = problem.S * problem.A;
type St = { thetaBar: Float64Array };

/** FedAvg-PG, with `tamper` applied to what its round returns. */
function pluginWith(name: string, tamper: (out: RoundResult<St>, ctx: RoundContext) => unknown) {
  return defineAlgorithm<St>({
    name,
    description: 'FedAvg-PG whose round output is tampered with (a test of the boundary checks)',
    init: (setup) => ({ thetaBar: Float64Array.from(setup.initialTheta) }),
    round(ctx, state) {
      const agents = Array.from({ length: ctx.agents }, (_, i) => localUpdate(ctx, i, state.thetaBar));
      ctx.count({ messages: 2 * ctx.agents, syncs: 1 });
      return tamper({ state: { thetaBar: aggregate(state.thetaBar, agents.map((a) => a.thetaLocal), 1) }, agents }, ctx) as RoundResult<St>;
    },
  });
}

const base = { localSteps: 2, stepSize: 0.3, seed: 1 } as const;

/** Runs `rounds` rounds with metrics on and off and returns the error each throws. */
function errorsOf(algorithm: ReturnType<typeof pluginWith>, rounds = 2): unknown[] {
  return [true, false].map((metrics) => {
    try {
      createRun(problem, { ...base, algorithm, metrics }).runFor(rounds);
    } catch (e) {
      return e;
    }
    return undefined;
  });
}

function assertNamed(errors: unknown[], type: new (...a: any[]) => Error, ...parts: (string | RegExp)[]): void {
  for (const [k, e] of errors.entries()) {
    assert.ok(e instanceof type, `metrics ${k === 0 ? 'on' : 'off'}: expected a ${type.name}, got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    for (const p of parts) assert.match((e as Error).message, typeof p === 'string' ? new RegExp(p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : p);
  }
}

test('boundary: a NaN in θ̄ is a divergence naming the algorithm, the round, the field and the index, with metrics off too', () => {
  const nan = pluginWith('nan-theta', (out, ctx) => {
    if (ctx.round === 1) out.state.thetaBar[4] = NaN;
    return out;
  });
  assertNamed(errorsOf(nan), DivergenceError, 'nan-theta', 'round 2', 'thetaBar[4]', 'NaN');
});

test('boundary: a θ̄ of the wrong length, a round returning nothing, agents of the wrong length: errors naming the plug-in and the field', () => {
  assertNamed(errorsOf(pluginWith('short-theta', (out) => ({ ...out, state: { thetaBar: out.state.thetaBar.subarray(0, d - 1) } }))), FedPGError, 'short-theta', 'thetaBar', `length ${d - 1}`, `expected ${d}`);
  assertNamed(errorsOf(pluginWith('no-result', () => undefined)), FedPGError, 'no-result', 'round', 'missing');
  assertNamed(errorsOf(pluginWith('two-agents', (out) => ({ ...out, agents: out.agents?.slice(0, 2) }))), FedPGError, 'two-agents', 'agents', 'length 2', 'N = 3');
  assertNamed(errorsOf(pluginWith('bad-local', (out) => ({ ...out, agents: out.agents?.map((a, i) => (i === 1 ? { ...a, thetaLocal: new Float64Array(3) } : a)) }))), FedPGError, 'bad-local', 'agents[1].thetaLocal', 'length 3');
  assertNamed(errorsOf(pluginWith('bad-drift', (out) => ({ ...out, agents: out.agents?.map((a, i) => (i === 2 ? { ...a, drift: Float64Array.of(1, NaN) } : a)) }))), FedPGError, 'bad-drift', 'agents[2].drift[1]', 'NaN');
  assertNamed(errorsOf(pluginWith('bad-assignment', (out) => ({ ...out, assignment: [0, 1] }))), FedPGError, 'bad-assignment', 'assignment', 'length 2');
  assertNamed(errorsOf(pluginWith('bad-anchor-mean', (out) => ({ ...out, anchorMean: new Float64Array(2) }))), FedPGError, 'bad-anchor-mean', 'anchorMean', 'length 2');
});

test('boundary: counts reported through the context must be non-negative integers (a negative or NaN count is refused by name)', () => {
  for (const [field, value] of [['messages', -2], ['syncs', NaN], ['envSteps', 1.5]] as const) {
    const alg = pluginWith(`count-${field.toLowerCase()}`, (out, ctx) => {
      ctx.count({ [field]: value });
      return out;
    });
    assertNamed(errorsOf(alg), FedPGError, `count-${field.toLowerCase()}`, `count.${field}`, String(value));
  }
});

test('boundary: a short output buffer or a θ of the wrong length given to the context is refused naming the plug-in and the argument', () => {
  const short = defineAlgorithm<St>({
    name: 'short-buffer',
    description: 'asks for a gradient into a buffer of the wrong length',
    init: (setup) => ({ thetaBar: Float64Array.from(setup.initialTheta) }),
    round(ctx, state) {
      ctx.gradient(0, state.thetaBar, 'g', new Float64Array(d - 2));
      return { state };
    },
  });
  assertNamed(errorsOf(short as never), FedPGError, 'short-buffer', 'gradient', 'out', `length ${d - 2}`, `expected ${d}`);
  const wrongTheta = defineAlgorithm<St>({
    name: 'short-theta-arg',
    description: 'evaluates a θ of the wrong length',
    init: (setup) => ({ thetaBar: Float64Array.from(setup.initialTheta) }),
    round(ctx, state) {
      ctx.gradient(0, state.thetaBar.subarray(1), 'g', new Float64Array(d));
      return { state };
    },
  });
  assertNamed(errorsOf(wrongTheta as never), FedPGError, 'short-theta-arg', 'gradient', 'theta', `length ${d - 1}`);
});

test('boundary: a round that updates θ̄ in place is refused (the trace would show θ̄ᵗ = θ̄ᵗ⁺¹)', () => {
  const inPlace = defineAlgorithm<St>({
    name: 'in-place',
    description: 'FedAvg-PG writing θ̄ᵗ⁺¹ into the state it was given',
    init: (setup) => ({ thetaBar: Float64Array.from(setup.initialTheta) }),
    round(ctx, state) {
      const agents = Array.from({ length: ctx.agents }, (_, i) => localUpdate(ctx, i, state.thetaBar));
      state.thetaBar.set(aggregate(state.thetaBar, agents.map((a) => a.thetaLocal), 1));
      return { state, agents };
    },
  });
  assertNamed(errorsOf(inPlace as never), FedPGError, 'in-place', 'thetaBar', 'in place');
  // The honest algorithm's trace has θ̄ᵗ ≠ θ̄ᵗ⁺¹ and they are copies, not the state's own arrays.
  const run = createRun(problem, { ...base, algorithm: fedAvgPG, detail: 'agents' });
  const t = run.step();
  assert.notDeepEqual(Array.from(t.thetaBefore as Float64Array), Array.from(t.thetaAfter as Float64Array));
});

test('boundary: what init returns and what agentTheta returns are checked too', () => {
  const badInit = defineAlgorithm<St>({
    name: 'bad-init',
    description: 'init returns a θ̄ of the wrong length',
    init: () => ({ thetaBar: new Float64Array(2) }),
    round: (_ctx, state) => ({ state }),
  });
  assert.throws(() => createRun(problem, { ...base, algorithm: badInit, metrics: false }), (e: Error) => e instanceof FedPGError && /bad-init/.test(e.message) && /init/.test(e.message) && /thetaBar/.test(e.message) && /length 2/.test(e.message));
  const badPersonal = defineAlgorithm<St>({
    name: 'bad-personal',
    description: 'agentTheta returns one vector too few',
    init: (setup) => ({ thetaBar: Float64Array.from(setup.initialTheta) }),
    round: (_ctx, state) => ({ state: { thetaBar: Float64Array.from(state.thetaBar) } }),
    agentTheta: (state) => [state.thetaBar, state.thetaBar],
  });
  assertNamed(errorsOf(badPersonal as never), FedPGError, 'bad-personal', 'agentTheta', 'length 2', 'N = 3');
});

test('defineAlgorithm checks its own declarations: options not an object, an unknown type, a default outside its range, a name of a run parameter', () => {
  const def = (options: unknown, extra: Record<string, unknown> = {}) => () =>
    defineAlgorithm({ name: 'decl', description: 'x', options: options as never, init: () => ({ thetaBar: new Float64Array(1) }), round: (_c, s) => ({ state: s }), ...extra });
  const named = (...parts: string[]) => (e: Error) => e instanceof FedPGError && parts.every((p) => e.message.includes(p));
  assert.throws(def(5), named('decl', 'options', '5'));
  assert.throws(def({ mu: { type: 'float', default: 1, doc: 'μ' } }), named('decl', 'options.mu.type', '"float"'));
  assert.throws(def({ mu: { type: 'number', min: 0, max: 1, default: 2, doc: 'μ' } }), named('decl', 'options.mu.default', '2', '≤ 1'));
  assert.throws(def({ mode: { type: 'enum', values: ['a', 'b'], default: 'c', doc: 'mode' } }), named('decl', 'options.mode.default', '"c"'));
  assert.throws(def({ mode: { type: 'enum', default: 'a', doc: 'mode' } }), named('decl', 'options.mode.values'));
  assert.throws(def({ mu: { type: 'number', min: 2, max: 1, doc: 'μ' } }), named('decl', 'options.mu', 'min 2', 'max 1'));
  assert.throws(def({ entropy: { type: 'number', min: 0, default: 0.1, doc: 'τ' } }), named('decl', 'options.entropy', 'run parameter'));
  assert.throws(def({ states: { type: 'integer', min: 1, default: 3, doc: 'S' } }), named('decl', 'options.states', 'experiment parameter'));
  assert.throws(def({ mu: { type: 'number', default: 1 } }), named('decl', 'options.mu.doc'));
  assert.throws(def({ mu: { type: 'number', default: 1, doc: 'μ', mni: 0 } }), named('decl', 'options.mu.mni', 'min'));
  assert.throws(def({}, { rounds: () => 1 }), named('decl', 'rounds', 'round'));
  // A correct declaration passes and keeps its schema.
  const ok = defineAlgorithm({ name: 'decl-ok', description: 'x', options: { mu: { type: 'number', min: 0, default: 0.5, doc: 'μ' } }, init: () => ({ thetaBar: new Float64Array(1) }), round: (_c, s) => ({ state: s }) });
  assert.equal(ok.options.mu.default, 0.5);
});
