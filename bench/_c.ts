import { averageMDP, garnet } from '../src/index';
import { runCReference } from './cReference';
for (let i = 0; i < 3; i++) for (const c of [{ S: 50, A: 4, b: 5, K: 50, M: 100 }, { S: 500, A: 10, b: 5, K: 100, M: 100 }]) {
  const mdp = averageMDP(garnet({ states: c.S, actions: c.A, branching: c.b, agents: 1, gamma: 0.9, heterogeneity: 0, seed: 1 }));
  const theta = Float64Array.from({ length: c.S * c.A }, (_, k) => Math.sin(1 + k));
  const r = runCReference(mdp, theta, c.K, c.M, 15, 1);
  console.log(c.S, 'C new', (c.K * c.M / r.seconds / 1e6).toFixed(1), 'same', (c.K * c.M / r.secondsPrepared / 1e6).toFixed(1));
}
