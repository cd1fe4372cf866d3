import { loadRows } from '../../src/index';
import { finalRows } from '../../src/analysis';
import { type Report } from './context';

/** The windy cliff: one deterministic run per configuration. */
export function windySection(r: Report): void {
  r.section('Windy cliff (windy-cliff)', 'windy-cliff', () => {
    const final = finalRows(loadRows(r.dir('windy-cliff')));
    r.say('Exact gradients, one deterministic run per configuration: J and ‖∇J_τ‖² after the last round (no claim: one problem, no replication).');
    r.say();
    r.table(final.map((x) => ({ algorithm: x.algorithm, wind: x.wind, T: x.round, J: x.J, gradNormSq: x.gradNormSq })));
  });
}
