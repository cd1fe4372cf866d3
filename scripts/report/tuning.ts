import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRows } from '../../src/index';
import { finalRows, groupBy, logMeanCI, type Row } from '../../src/analysis';
import { ROOT, type Report } from './context';

/** The step-size constant each rate experiment uses (read from its file), by schedule kind. */
function usedConstants(): Record<string, Record<string, unknown>> {
  const stepOf = (name: string, pick: (s: Record<string, unknown>) => boolean) => {
    const spec = JSON.parse(readFileSync(join(ROOT, 'data', 'experiments', `${name}.json`), 'utf8'));
    const all = [spec.parameters?.stepSize, ...(Array.isArray(spec.grid) ? spec.grid : [spec.grid]).flatMap((g: Record<string, unknown[]>) => g.stepSize ?? [])];
    return all.find((s) => s && typeof s === 'object' && pick(s)) as Record<string, unknown>;
  };
  return {
    planned: stepOf('rate-theorem1', (s) => s.kind === 'planned' && s.forAgents === undefined),
    decaying: stepOf('rate-theorem1-logfree', (s) => s.kind === 'decaying'),
    'planned-sqrt': stepOf('rate-theorem2', (s) => s.kind === 'planned-sqrt' && s.forAgents === undefined),
  };
}

/** How the constants were chosen: the final gap of every candidate on the tuning Garnets, and whether each rate experiment uses the argmin. */
export function tuningSection(r: Report): void {
  r.section('How the step sizes were chosen (rate-tuning)', 'rate-tuning', () => {
    const rows = finalRows(loadRows(r.dir('rate-tuning')));
    const used = usedConstants();
    const pct = Math.round(r.level * 100);
    r.say(`Each candidate scored by its final gap J* − J(θ̄ᵀ), geometric mean over the ${new Set(rows.map((x) => x.seed)).size} tuning Garnets (seeds ${[...new Set(rows.map((x) => x.seed))].join(', ')}), ${pct}% log-space t-interval; the rate experiments report other Garnets (seeds 101 and up).`);
    r.say();
    const stepOf = (x: Row) => (typeof x.stepSize === 'string' ? JSON.parse(x.stepSize) : x.stepSize) as Record<string, number | string>;
    for (const { key, rows: family } of groupBy(rows.map((x) => ({ ...x, kind: stepOf(x).kind })), ['kind'])) {
      const kind = key.kind as string;
      const scored: Row[] = groupBy(family, ['stepSize']).map(({ key: k, rows: runs }) => {
        const s = stepOf(k);
        const ci = logMeanCI(runs.map((x) => x.gap as number), r.level, 1e-16);
        const { kind: _k, etaMax: _e, ...constants } = s;
        return { ...constants, finalGap: ci.mean, lo: ci.lo, hi: ci.hi };
      });
      const best = scored.reduce((a, b) => ((b.finalGap as number) < (a.finalGap as number) ? b : a));
      const u = used[kind] ?? {};
      const constantKeys = Object.keys(best).filter((c) => !['finalGap', 'lo', 'hi'].includes(c));
      const same = constantKeys.every((c) => Math.abs((u[c] as number) - (best[c] as number)) < 1e-12);
      r.say(`**${kind}**: argmin ${constantKeys.map((c) => `${c} = ${best[c]}`).join(', ')}; the rate experiment uses ${constantKeys.map((c) => `${c} = ${u[c]}`).join(', ')}: ${same ? 'the argmin' : '**not the argmin at this budget**'}.`);
      r.say();
      r.table(scored);
    }
  });
}
