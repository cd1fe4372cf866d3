import { type Frame, numberAt, type Row, toRows } from './frame';

/**
 * The gradient-domination (Polyak–Łojasiewicz) check along runs: per recorded row,
 *   ratio = (J* − J(θ̄)) / ‖∇J(θ̄)‖²   and   μ̂ = ‖∇J(θ̄)‖² / (2 (J* − J(θ̄))),
 * so that J* − J ≤ ‖∇J‖²/(2μ) holds along the run with μ = min μ̂. Theorem 1 needs μ bounded away from 0:
 * a ratio that stays bounded (entropy-regularised) versus one that grows without bound (plain softmax,
 * Mei et al. 2020). Rows whose gap is ≤ 1e-12 (round-off) get NaN.
 */
export function gradientDominationRatio(frame: Frame): Row[] {
  return toRows(frame).map((r) => {
    const gap = numberAt(r, 'gap');
    const g2 = numberAt(r, 'gradNorm') ** 2;
    const ok = gap > 1e-12 && g2 > 0;
    return { ...r, ratio: ok ? gap / g2 : NaN, mu: ok ? g2 / (2 * gap) : NaN };
  });
}
