import { fail } from '../core/check';
import type { AlgorithmSetup } from './algorithm';
import { stepSizeAt } from './schedules';

/**
 * Refuse, when the run is created, a personal step s with penalty weight w outside the documented stability
 * region 0 ≤ s·w < 2 (docs/personalization.md): on the penalty part the step multiplies the personal error
 * by (1 − s·w), which grows like |1 − s·w|^{H·t} when s·w > 2 (and does not shrink at s·w = 2), so such a
 * run reaches 1e16 after hundreds of rounds instead of failing at once. `step` is the option's s, or
 * undefined when s is the run's η_t: then the largest η_t, η₀ (every schedule is non-increasing), is used.
 * `names` are the fields to name in the message (`personalization.stepSize`, `personalization.lambda`).
 */
export function checkPenaltyStep(setup: AlgorithmSetup, step: number | undefined, weight: number, names: { step: string; weight: string; symbols: string }): void {
  const s = step ?? stepSizeAt(setup.stepSizeSchedule, 0, setup.agents, setup.localSteps);
  const product = s * weight;
  if (product >= 2) {
    const from = step === undefined ? `s = η₀ = ${s} (the run's step size, as ${names.step} is not given)` : `${names.step} s = ${s}`;
    fail(step === undefined ? names.weight : names.step, step ?? weight, `gives ${names.symbols} = ${product} with ${from} and ${names.weight} = ${weight}: the personal step is unstable unless ${names.symbols} < 2 (docs/personalization.md); the error would grow like |1 − ${names.symbols}|^(H·t). Lower the step or the weight`);
  }
}
