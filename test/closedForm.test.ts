import assert from 'node:assert/strict';
import { test } from 'node:test';
import { agentMDP, evaluatePolicy, exactGradient, optimalValue, twoState } from '../src/index';

/*
 * Two-state toy (src/mdp/generators/twoState.ts): "stay" keeps the state, "switch" flips it.
 * Agent 0's reward: R(0,stay) = 1, else 0. ρ = (1, 0).
 *
 * Case 1: θ = 0 (uniform π), γ = 1/2.
 *   P_π = [[½, ½], [½, ½]], r_π = (½, 0). Both rows of P_π equal (½, ½), so P_π V = m·1 with
 *   m = (V₀+V₁)/2: V₀ = ½ + ½m, V₁ = ½m ⇒ m = ¼ + ½m ⇒ m = ½, V = (¾, ¼).
 *   Q(0,stay) = 1 + ½V₀ = 11/8, Q(0,switch) = ½V₁ = 1/8, Q(1,stay) = ½V₁ = 1/8, Q(1,switch) = ½V₀ = 3/8.
 *   A = Q − V: (5/8, −5/8, −1/8, 1/8). J = ρᵀV = ¾.
 *   d = (1−γ)ρ + γ dP_π = ½(1,0) + ½(½,½) = (¾, ¼).
 *   ∇J(s,a) = d(s)π(a|s)A(s,a)/(1−γ) = (¾·½·⅝·2, −…, ¼·½·(−⅛)·2, …) = (15/32, −15/32, −1/32, 1/32).
 */
test('two-state toy at θ = 0, γ = 1/2: V, Q, A, d, J and ∇J match the hand derivation', () => {
  const mdp = agentMDP(twoState({ gamma: 0.5 }), 0);
  const ev = evaluatePolicy(mdp, [0, 0, 0, 0]);
  const close = (got: ArrayLike<number>, want: number[]) =>
    want.forEach((w, i) => assert.ok(Math.abs(got[i] - w) <= 1e-15, `index ${i}: got ${got[i]}, want ${w}`));
  close(ev.V, [3 / 4, 1 / 4]);
  close(ev.Q, [11 / 8, 1 / 8, 1 / 8, 3 / 8]);
  close(ev.advantage, [5 / 8, -5 / 8, -1 / 8, 1 / 8]);
  close(ev.occupancy, [3 / 4, 1 / 4]);
  assert.ok(Math.abs(ev.J - 3 / 4) <= 1e-15);
  close(exactGradient(mdp, [0, 0, 0, 0]), [15 / 32, -15 / 32, -1 / 32, 1 / 32]);
});

/*
 * Case 2: general θ, γ. With p = π(stay|0), q = π(stay|1) and r_π = (p, 0) for agent 0:
 *   I − γP_π = [[1−γp, −γ(1−p)], [−γ(1−q), 1−γq]], determinant Δ = (1−γp)(1−γq) − γ²(1−p)(1−q),
 *   V₀ = p(1−γq)/Δ, V₁ = pγ(1−q)/Δ  (Cramer's rule).
 *   d with ρ = (1,0): dᵀ = (1−γ) e₀ᵀ (I − γP_π)⁻¹ = (1−γ)(1−γq, γ(1−p))/Δ.
 */
test('two-state toy at a general θ matches Cramer-rule closed forms', () => {
  const gamma = 0.8;
  const theta = [0.3, -0.4, 1.1, 0.2];
  const mdp = agentMDP(twoState({ gamma }), 0);
  const p = Math.exp(0.3) / (Math.exp(0.3) + Math.exp(-0.4));
  const q = Math.exp(1.1) / (Math.exp(1.1) + Math.exp(0.2));
  const det = (1 - gamma * p) * (1 - gamma * q) - gamma * gamma * (1 - p) * (1 - q);
  const V0 = (p * (1 - gamma * q)) / det;
  const V1 = (p * gamma * (1 - q)) / det;
  const d = [((1 - gamma) * (1 - gamma * q)) / det, ((1 - gamma) * gamma * (1 - p)) / det];
  const ev = evaluatePolicy(mdp, theta);
  assert.ok(Math.abs(ev.V[0] - V0) < 1e-14 && Math.abs(ev.V[1] - V1) < 1e-14, `V = ${ev.V}, want ${V0}, ${V1}`);
  assert.ok(Math.abs(ev.occupancy[0] - d[0]) < 1e-14 && Math.abs(ev.occupancy[1] - d[1]) < 1e-14);
  assert.ok(Math.abs(ev.J - V0) < 1e-14);
  const Q = [1 + gamma * V0, gamma * V1, gamma * V1, gamma * V0];
  const pi = [p, 1 - p, q, 1 - q];
  const grad = exactGradient(mdp, theta);
  for (let k = 0; k < 4; k++) {
    const s = k >> 1;
    const want = (d[s] * pi[k] * (Q[k] - (s === 0 ? V0 : V1))) / (1 - gamma);
    assert.ok(Math.abs(grad[k] - want) < 1e-14, `∂J/∂θ[${k}] = ${grad[k]}, want ${want}`);
  }
});

/*
 * Optimum of agent 0 (τ = 0): stay in state 0 forever from s₀ = 0: J* = 1/(1−γ). From state 1 the best is
 * to switch then stay: V*(1) = γ/(1−γ).
 */
test('two-state optimum equals 1/(1−γ) and γ/(1−γ)', () => {
  const gamma = 0.9;
  const opt = optimalValue(agentMDP(twoState({ gamma }), 0));
  assert.ok(Math.abs(opt.J - 1 / (1 - gamma)) < 1e-12, `J* = ${opt.J}`);
  assert.ok(Math.abs(opt.V[1] - gamma / (1 - gamma)) < 1e-12, `V*(1) = ${opt.V[1]}`);
  assert.deepEqual(Array.from(opt.pi), [1, 0, 0, 1]);
});
