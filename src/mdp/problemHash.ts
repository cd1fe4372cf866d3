import { createHash } from 'node:crypto';
import type { FederatedProblem } from './problem';
import type { Transitions } from './transitions';

const hashes = new WeakMap<FederatedProblem, string>();

/**
 * The content hash of a federated problem: SHA-256 of S, A, γ, ρ, every agent's reward table and the
 * transition model(s) (row starts, successors, probabilities; one shared P or every P_i), as their bytes.
 * Names, labels and `meta` are not part of it: two problems with equal numbers are the same problem. A
 * saved run state records it so that it restores only onto the problem it was computed on (runs/run.ts).
 * Computed once per problem object.
 */
export function problemHash(problem: FederatedProblem): string {
  let known = hashes.get(problem);
  if (known === undefined) {
    const h = createHash('sha256');
    const bytes = (a: Float64Array | Int32Array) => h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    const kernel = (P: Transitions) => {
      bytes(P.rowStart);
      bytes(P.next);
      bytes(P.prob);
    };
    h.update(`fedpg-lab/problem S=${problem.S} A=${problem.A} N=${problem.rewards.length} gamma=${problem.gamma} ${problem.agentTransitions ? 'per-agent P' : 'shared P'}\n`);
    bytes(problem.rho);
    for (const r of problem.rewards) bytes(r);
    for (const P of problem.agentTransitions ?? [problem.transitions]) kernel(P);
    known = h.digest('hex');
    hashes.set(problem, known);
  }
  return known;
}
