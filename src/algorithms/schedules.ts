import { checkInteger } from '../core/check';
import { checkStepSize, type StepSizeSchedule } from './config';

/**
 * Local step size η_t of round t (0-based).
 * - constant:  η_t = η.
 * - decaying:  η_t = η₀ / (1 + t/t₀).
 * - planned:   η = min(η_max, ln(max(e, N·H·T)) / (μ·H·T)), constant over a planned horizon of T rounds.
 *   This is the standard choice behind Õ(1/(NHT)) rates under gradient domination with constant μ: after
 *   T rounds of H steps the contraction (1 − μη)^{HT} ≤ 1/(NHT) and the noise floor ηLσ²/(μN) is
 *   Õ(1/(NHT)). The paper only asks for "a suitable step size" (docs/paper.md); this form and its constants are our choice.
 * - planned-sqrt: η = min(η_max, scale·√(N/(H·T))), the non-convex choice behind Theorem 2's
 *   Õ(1/√(NHT)) bound on (1/T) Σ_t ‖∇J(θ̄ᵗ)‖² (local SGD analyses; again our form and constant).
 * A planned schedule with `forAgents` = N_η uses N_η in place of the run's N: the same η for every N, so that
 * a speedup in N measured with it comes from averaging the agents' noise, not from a step that grows with N.
 */
export function stepSizeAt(schedule: StepSizeSchedule, t: number, agents: number, localSteps: number): number {
  checkStepSize('schedule', schedule);
  checkInteger('t', t, 0);
  checkInteger('agents', agents, 1);
  checkInteger('localSteps', localSteps, 1);
  return scheduledStepSize(schedule, t, agents, localSteps);
}

/** `stepSizeAt` without the argument checks, for the run loop, whose config was validated once at creation. */
export function scheduledStepSize(schedule: StepSizeSchedule, t: number, agents: number, localSteps: number): number {
  switch (schedule.kind) {
    case 'constant':
      return schedule.eta;
    case 'decaying':
      return schedule.eta0 / (1 + t / schedule.t0);
    case 'planned': {
      const nht = (schedule.forAgents ?? agents) * localSteps * schedule.rounds;
      return Math.min(schedule.etaMax, Math.log(Math.max(Math.E, nht)) / (schedule.mu * localSteps * schedule.rounds));
    }
    case 'planned-sqrt':
      return Math.min(schedule.etaMax, schedule.scale * Math.sqrt((schedule.forAgents ?? agents) / (localSteps * schedule.rounds)));
  }
}
