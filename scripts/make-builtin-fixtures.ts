// Records traces of the five built-in algorithms as test/fixtures/builtin-traces.json. The committed file
// was made by running this script against the code of main *before* the algorithm plug-in refactor
// (commit f4b4776), so test/builtinFixtures.test.ts checks that the refactored built-ins are bit-identical
// to the old ones. Usage: tsx scripts/make-builtin-fixtures.ts [out.json]
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRun, garnet } from '../src/index';

/** The configurations recorded: every built-in, exact and sampled oracles, with non-default options. */
export function fixtureCases(): { name: string; config: Record<string, unknown> }[] {
  const cases: { name: string; config: Record<string, unknown> }[] = [];
  for (const algorithm of ['fast-fedpg', 'fedavg-pg', 'minibatch-pg', 'local-pg', 'scaffold']) {
    cases.push({ name: `${algorithm}/exact`, config: { algorithm, localSteps: 3, stepSize: 0.6, oracle: { kind: 'exact' }, entropy: 0.05, seed: 11, detail: 'full' } });
    cases.push({
      name: `${algorithm}/sampled`,
      config: { algorithm, localSteps: 3, stepSize: { kind: 'decaying', eta0: 0.5, t0: 2 }, serverStep: 0.8, oracle: { kind: 'sampled', horizon: 8, batch: 3 }, seed: 'fx', detail: 'full' },
    });
  }
  cases.push({ name: 'fast-fedpg/sampled-reuse', config: { algorithm: 'fast-fedpg', localSteps: 2, stepSize: 0.4, oracle: { kind: 'sampled', horizon: 6, batch: 2, estimator: 'reinforce' }, reuseAnchor: true, seed: 5, detail: 'agents' } });
  return cases;
}

/** The problem every case runs on. */
export function fixtureProblem() {
  return garnet({ states: 6, actions: 3, branching: 2, agents: 3, gamma: 0.9, heterogeneity: 1, seed: 7 });
}

const arr = (x: ArrayLike<number> | null | undefined) => (x ? Array.from(x) : null);

/** Five rounds of a case: the JSON-round-tripped traces (NaN becomes null), and the run state saved after round 2. */
export function recordCase(config: Record<string, unknown>): { traces: unknown[]; history: unknown; stateAfter2: unknown } {
  const run = createRun(fixtureProblem(), config as never);
  const traces = [];
  let stateAfter2: unknown = null;
  for (let t = 0; t < 5; t++) {
    if (t === 2) stateAfter2 = JSON.parse(JSON.stringify(run.state));
    const tr = run.step();
    traces.push({
      round: tr.round,
      stepSize: tr.stepSize,
      J: tr.J,
      gap: tr.gap,
      gradNorm: tr.gradNorm,
      envSteps: tr.envSteps,
      messages: tr.messages,
      syncs: tr.syncs,
      agents: tr.agents,
      thetaAfter: arr(tr.thetaAfter),
      anchors: tr.anchors ? tr.anchors.map(arr) : null,
      anchorMean: arr(tr.anchorMean),
      thetaLocal: tr.thetaLocal ? tr.thetaLocal.map(arr) : null,
      corrections: tr.corrections ? tr.corrections.map(arr) : null,
      driftPerStep: tr.driftPerStep ? tr.driftPerStep.map(arr) : null,
      gradients: tr.gradients ? tr.gradients.map((g) => g.map(arr)) : null,
    });
  }
  return { ...JSON.parse(JSON.stringify({ traces, history: run.history })), stateAfter2 };
}

if (require.main === module) {
  const out = process.argv[2] ?? join(__dirname, '..', 'test', 'fixtures', 'builtin-traces.json');
  const cases = fixtureCases().map((c) => ({ ...c, recorded: recordCase(c.config) }));
  writeFileSync(out, `${JSON.stringify({ madeBy: 'scripts/make-builtin-fixtures.ts on main before the plug-in refactor', cases })}\n`);
  console.log(`wrote ${cases.length} cases to ${out}`);
}
