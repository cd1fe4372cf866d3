import type { Figure, Trace } from './figure';
import { scatterMode } from './legendSamples';

/** What a legend entry's sample shows: its colour, and its style (dash, and the marker when it draws one). */
interface Sample {
  trace: Trace;
  parts: string[];
  colour: string;
  style: string;
  dash: string;
  symbol: string | null;
  width: number;
}

/** The grey of style keys: a style (dash and marker) shown apart from any one series' colour. */
export const KEY_GREY = '#555555';

function sampleOf(t: Trace): Sample | null {
  if ((t.type ?? 'scatter') !== 'scatter' || t.showlegend === false || typeof t.name !== 'string') return null;
  const line = (t.line ?? {}) as { color?: string; dash?: string; width?: number };
  const marker = (t.marker ?? {}) as { color?: string; symbol?: string };
  const markers = scatterMode(t).includes('markers');
  const colour = line.color ?? marker.color;
  if (typeof colour !== 'string') return null;
  const dash = scatterMode(t).includes('lines') ? (line.dash ?? 'solid') : 'none';
  const symbol = markers ? (marker.symbol ?? 'circle') : null;
  return { trace: t, parts: t.name.split(', '), colour, style: `${dash}|${markers ? 'markers' : ''}`, dash, symbol, width: line.width ?? 2 };
}

/** The parts ("H = 5", "Fast-FedPG") every name of a group shares, in the first name's order. */
function commonParts(samples: readonly Sample[]): string[] {
  return samples[0].parts.filter((p) => samples.every((s) => s.parts.includes(p)));
}

/**
 * A legend factored into keys, when its entries cross two variables, one drawn as colour and the other as
 * style (dash, and marker or none): "Fast-FedPG, H = 1" … "FedAvg-PG, H = 10" (6 entries) become one entry per
 * colour ("H = 1", "H = 5", "H = 10": a line in the colour, with the marker when all of that colour's
 * markers are one symbol) and one per style in grey ("Fast-FedPG", "FedAvg-PG": the dash, with the marker
 * when all of that style's markers are one symbol). The key's labels are the parts of the names (split at
 * ", ") shared by every entry of the colour or of the style; an entry alone in both its colour and its style
 * stays as it is. The original traces leave the legend and keys are added as traces with one missing
 * point. Returns false and changes nothing when the legend does not factor (a colour or style group without
 * a shared part, two entries with one colour and style, or more entries than before); the caller keeps the
 * factored legend when it is smaller.
 */
export function factorLegend(figure: Figure): boolean {
  const samples = figure.data.map(sampleOf).filter((s): s is Sample => s !== null);
  if (samples.length < 3) return false;
  const byColour = new Map<string, Sample[]>();
  const byStyle = new Map<string, Sample[]>();
  for (const s of samples) {
    byColour.set(s.colour, [...(byColour.get(s.colour) ?? []), s]);
    byStyle.set(s.style, [...(byStyle.get(s.style) ?? []), s]);
  }
  if (new Set(samples.map((s) => `${s.colour}|${s.style}`)).size < samples.length) return false;
  const keys: Trace[] = [];
  const single = (s: Sample) => (byColour.get(s.colour) as Sample[]).length === 1 && (byStyle.get(s.style) as Sample[]).length === 1;
  for (const [colour, group] of byColour) {
    if (group.length < 2) continue;
    const label = commonParts(group);
    if (label.length === 0) return false;
    const symbols = new Set(group.map((s) => s.symbol).filter((x) => x !== null));
    const symbol = symbols.size === 1 ? [...symbols][0] : null;
    keys.push(keyTrace(label.join(', '), colour, 'solid', symbol, group[0].width));
  }
  for (const group of byStyle.values()) {
    if (group.length < 2) continue;
    const label = commonParts(group);
    if (label.length === 0) return false;
    const symbols = new Set(group.map((s) => s.symbol).filter((x) => x !== null));
    const symbol = symbols.size === 1 ? [...symbols][0] : null;
    keys.push(keyTrace(label.join(', '), KEY_GREY, group[0].dash, symbol, group[0].width));
  }
  const kept = samples.filter(single);
  if (keys.length + kept.length > samples.length) return false;
  for (const s of samples) if (!single(s)) s.trace.showlegend = false;
  figure.data.push(...keys);
  return true;
}

/** A legend-only trace (one missing point: Plotly lists no trace without points). */
function keyTrace(name: string, colour: string, dash: string, symbol: string | null, width: number): Trace {
  const mode = dash === 'none' ? 'markers' : symbol ? 'lines+markers' : 'lines';
  // A legend group of its own: Plotly lays a grouped legend out group by group, and keys without a group
  // would share one, stacked in a column.
  return { type: 'scatter', mode, x: [null], y: [null], name, legendgroup: `key: ${name}`, hoverinfo: 'skip', line: { color: colour, dash: dash === 'none' ? 'solid' : dash, width }, ...(symbol ? { marker: { color: colour, symbol, size: 5 } } : {}) };
}
