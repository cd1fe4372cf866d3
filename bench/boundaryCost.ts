/**
 * The cost of the plug-in boundary checks (src/runs/boundary.ts) against the cost of a round: a round's
 * median CPU time, and the median CPU time of the checks the loop runs on that round's result (the round
 * result, θ̄ᵗ's copy and in-place comparison, agentTheta), timed alone on a captured result. The share is
 * what to read (it does not include the O(1) argument checks of the context's calls).
 * Run: npm run build && node --import tsx bench/boundaryCost.ts
 */
import { createRun, defineAlgorithm, fastFedPG, garnet, type RoundResult } from '../dist/index';

const boundary = require('../dist/runs/boundary') as {
  checkRoundResult: (...a: unknown[]) => Float64Array;
  checkUnchanged: (...a: unknown[]) => void;
  checkAgentTheta: (...a: unknown[]) => unknown;
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median CPU seconds per call over 15 batches of `inner` calls. */
function cpu(fn: () => void, inner: number): number {
  return median(
    Array.from({ length: 15 }, () => {
      const t = process.cpuUsage();
      for (let i = 0; i < inner; i++) fn();
      const u = process.cpuUsage(t);
      return (u.user + u.system) / 1e6 / inner;
    }),
  );
}

let last: RoundResult<unknown> | undefined;
const capture = defineAlgorithm({
  ...fastFedPG,
  name: 'capture-fast-fedpg',
  round(ctx, state) {
    last = fastFedPG.round(ctx, state as never) as RoundResult<unknown>;
    return last as never;
  },
});

const cases = [
  { label: 'S=5 A=3 N=3 H=2, exact, metrics off (cheapest round)', problem: { states: 5, actions: 3, branching: 2, agents: 3 }, config: { localSteps: 2, stepSize: 0.1, metrics: false } },
  { label: 'S=20 A=4 N=10 H=5, exact, metrics on', problem: { states: 20, actions: 4, branching: 3, agents: 10 }, config: { localSteps: 5, stepSize: 0.1 } },
  { label: 'S=20 A=4 N=10 H=5, sampled M=10 K=20, metrics off', problem: { states: 20, actions: 4, branching: 3, agents: 10 }, config: { localSteps: 5, stepSize: 0.1, metrics: false, oracle: { kind: 'sampled', horizon: 20, batch: 10 } } },
  { label: 'S=200 A=4 N=16 H=1, sampled M=1 K=5, metrics off (largest d per sample)', problem: { states: 200, actions: 4, branching: 3, agents: 16 }, config: { localSteps: 1, stepSize: 0.1, metrics: false, oracle: { kind: 'sampled', horizon: 5, batch: 1 } } },
] as const;

for (const c of cases) {
  const problem = garnet({ ...c.problem, gamma: 0.9, heterogeneity: 1, seed: 1 });
  const run = createRun(problem, { algorithm: capture, seed: 1, ...c.config } as never);
  run.runFor(10);
  const t0 = process.cpuUsage();
  run.runFor(10);
  const u0 = process.cpuUsage(t0);
  const probe = (u0.user + u0.system) / 1e6 / 10;
  const round = cpu(() => run.step({ record: false }), Math.max(3, Math.round(0.03 / Math.max(probe, 1e-6))));
  const out = last as RoundResult<{ thetaBar: Float64Array }>;
  const site = { algorithm: 'capture-fast-fedpg', where: 'round 1' };
  const d = problem.S * problem.A;
  const N = problem.rewards.length;
  const checks = cpu(() => {
    const before = out.state.thetaBar;
    const copy = Float64Array.from(before);
    boundary.checkRoundResult(site, capture, out, N, d, false);
    boundary.checkUnchanged(site, before, copy);
    boundary.checkAgentTheta(site, null, N, d);
  }, 2000);
  console.log(`${c.label}: round ${(round * 1e6).toFixed(1)} µs, checks ${(checks * 1e6).toFixed(2)} µs, share ${((100 * checks) / round).toFixed(2)} %`);
}
