/**
 * The fedpg-lab side of bench/sideBySide.ts: argv[2] is a JSON job {S, A, b, gamma}. Builds the Garnet of
 * bench/measure.ts's 'exact' job (seed 1, θ(k) = sin(1 + k)), writes it and θ as raw files for the SciPy
 * side (exactScale.ts's mdpFiles), runs three untimed ∇J (V8 compiles the WebAssembly kernels in two
 * tiers), prints one line of JSON (the files, the Krylov tables' bytes, the problem's, the products of the
 * two solves, the RSS after a collection), then for every line read from stdin runs one timed
 * `exactGradient` and prints its CPU seconds (user + system of this process).
 */
import { averageMDP, exactGradient, garnet } from '../dist/index';
import { krylovFactorLayout } from '../dist/estimators/krylovFactor';
import { lastKrylovIterations } from '../dist/mdp/krylovSolve';
import { mdpFiles } from './exactScale';

const job = JSON.parse(process.argv[2]) as { S: number; A: number; b: number; gamma: number };
const mdp = averageMDP(garnet({ states: job.S, actions: job.A, branching: job.b, agents: 1, gamma: job.gamma, heterogeneity: 0, seed: 1, limits: { problemEntries: 1e9 } }));
const theta = Float64Array.from({ length: job.S * job.A }, (_, k) => Math.sin(1 + k));
const timed = (): number => {
  const t = process.cpuUsage();
  exactGradient(mdp, theta);
  const used = process.cpuUsage(t);
  return (used.user + used.system) / 1e6;
};
const files = mdpFiles(mdp, theta);
for (let i = 0; i < 3; i++) timed();
const P = mdp.transitions;
const problemBytes = P.rowStart.byteLength + P.next.byteLength + P.prob.byteLength + P.aliasCut.byteLength + P.aliasOther.byteLength + mdp.reward.length * 8 + mdp.rho.byteLength;
(globalThis as { gc?: () => void }).gc?.();
console.log(JSON.stringify({ files, bytes: krylovFactorLayout(mdp).end, problemBytes, iterations: [lastKrylovIterations.value, lastKrylovIterations.occupancy], gmres: lastKrylovIterations.gmres, rssBytes: process.memoryUsage().rss }));
let pending = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  pending += chunk;
  for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
    pending = pending.slice(nl + 1);
    console.log(JSON.stringify(timed()));
  }
});
process.stdin.on('end', () => process.exit(0));
