import { ols } from '../core/stats';

/**
 * The log–log slope a curve f would show over a finite window: the OLS slope of ln f(x) on ln x at the
 * given x values (the same points a measured slope is fitted to). A rate C/(T + t₀) is ∝ T⁻¹ only as
 * T → ∞; over T = 25…800 with t₀ = 20 its fitted slope is about −0.84, and the planned step's
 * ln(NHT)/(NHT) gives about −0.87 to −0.90. A measured slope should be compared with this, not only with
 * the asymptotic exponent.
 */
export function predictedSlope(xs: readonly number[], f: (x: number) => number): number {
  return ols(xs.map(Math.log), xs.map((x) => Math.log(f(x)))).slope;
}
