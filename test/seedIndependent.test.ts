import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createRun, type ExperimentSpec, garnet, sweep } from '../src/index';
import { parseExperiment } from '../src/experiments';

// Sweeps compute a run whose problem and numbers do not depend on the seed once for all its seeds. What
// makes that safe is `run.drewRandomNumbers()`: these tests check it on runs that do and do not draw, and
// that sharing changes no result file, also when some runs of the grid draw and others do not.
const tmp = () => mkdtempSync(join(tmpdir(), 'fedpg-seedfree-'));
const problem = garnet({ states: 6, actions: 3, branching: 2, agents: 4, gamma: 0.8, heterogeneity: 1, seed: 2 });

test('drewRandomNumbers: false for built-ins with the exact oracle, true when a round samples', () => {
  for (const algorithm of ['fast-fedpg', 'fedavg-pg', 'minibatch-pg', 'local-pg', 'scaffold']) {
    const run = createRun(problem, { algorithm, localSteps: 2, stepSize: 0.3, oracle: { kind: 'exact' }, seed: 5 });
    run.runFor(3);
    assert.equal(run.drewRandomNumbers(), false, algorithm);
    // The claim it supports: another seed gives the same numbers.
    const other = createRun(problem, { algorithm, localSteps: 2, stepSize: 0.3, oracle: { kind: 'exact' }, seed: 6 });
    other.runFor(3);
    assert.deepEqual(other.history, run.history, algorithm);
  }
  const sampled = createRun(problem, { algorithm: 'fast-fedpg', localSteps: 2, stepSize: 0.3, oracle: { kind: 'sampled', horizon: 5, batch: 2 }, seed: 5 });
  assert.equal(sampled.drewRandomNumbers(), false, 'nothing drawn before the first round');
  sampled.step();
  assert.equal(sampled.drewRandomNumbers(), true);
  // IFCA with random cluster seeds draws on the server's stream even with exact gradients.
  const ifca = createRun(problem, { algorithm: 'ifca', clusters: 2, clusterInit: 'random', localSteps: 2, stepSize: 0.3, oracle: { kind: 'exact' }, seed: 5 });
  ifca.step();
  assert.equal(ifca.drewRandomNumbers(), true);
});

const spec = (grid: Record<string, unknown[]>, parameters: Record<string, unknown> = {}): ExperimentSpec =>
  parseExperiment({
    format: 'fedpg-lab/experiment@1',
    name: 'seed-free',
    kind: 'runs',
    parameters: { generator: 'garnet', states: 6, actions: 3, branching: 2, gamma: 0.8, heterogeneity: 1, agents: 4, localSteps: 2, stepSize: 0.3, entropy: 0.05, rounds: 12, every: 4, ...parameters },
    grid,
    seeds: 3,
  });

const files = (dir: string, sub: string) => Object.fromEntries(readdirSync(join(dir, sub)).sort().map((f) => [f, readFileSync(join(dir, sub, f), 'utf8')]));
const seconds = (dir: string) => Object.values(files(dir, 'timings')).map((t) => (JSON.parse(t) as { seconds: number }).seconds);

for (const workers of [0, 2]) {
  test(`sharing seed-independent runs changes no result file (${workers === 0 ? 'inline' : `${workers} workers`})`, async () => {
    // Fixed problem: exact runs of fast-fedpg and fedavg-pg draw nothing; ifca with random starts and the
    // sampled runs draw. Each seed's file must be what computing it gives.
    const s = spec({ oracle: ['exact'], algorithm: ['fast-fedpg', 'fedavg-pg'] }, { problemSeed: 1 });
    const mixed = parseExperiment({
      ...JSON.parse(JSON.stringify({ format: s.format, name: s.name, kind: s.kind, parameters: s.parameters, seeds: 3 })),
      grid: [
        { oracle: ['exact'], algorithm: ['fast-fedpg', 'fedavg-pg'] },
        { oracle: ['exact'], algorithm: ['ifca'], clusters: [2], clusterInit: ['random'] },
        { oracle: ['sampled'], horizon: [5], batch: [2], algorithm: ['fast-fedpg'] },
      ],
    });
    for (const e of [s, mixed]) {
      const shared = await sweep(e, { workers, out: join(tmp(), 'r') });
      const computed = await sweep(e, { workers, out: join(tmp(), 'r'), shareSeedIndependentRuns: false });
      assert.equal(shared.failures.length + computed.failures.length, 0);
      assert.deepEqual(files(shared.dir, 'runs'), files(computed.dir, 'runs'));
    }
    // Sharing did happen: in the first spec, 2 configurations × 3 seeds, the 4 copied runs took no time.
    const long = spec({ oracle: ['exact'], algorithm: ['fast-fedpg', 'fedavg-pg'] }, { problemSeed: 1, rounds: 300, every: 100 });
    const shared = await sweep(long, { workers, out: join(tmp(), 'r') });
    assert.deepEqual(seconds(shared.dir).map((x) => x === 0), [false, true, true, false, true, true]);
    // With random cluster starts the seeds really differ, so copying them would have been wrong.
    const rows = (await sweep(mixed, { workers, out: join(tmp(), 'r') })).rows.filter((r) => r.algorithm === 'ifca' && r.round === 12);
    assert.equal(rows.length, 3);
    assert.ok(new Set(rows.map((r) => r.J)).size > 1, 'ifca with random starts gives different runs for different seeds');
  });
}

test('a problem drawn from the seed is never shared', async () => {
  const s = spec({ oracle: ['exact'], algorithm: ['fast-fedpg'] });
  const r = await sweep(s, { workers: 0, out: join(tmp(), 'r') });
  const finals = r.rows.filter((x) => x.round === 12).map((x) => x.J);
  assert.equal(new Set(finals).size, 3, 'each seed is its own Garnet');
});
