import type { Figure, Trace } from './figure';

/** A scatter trace's mode as Plotly draws it: its own, else 'lines+markers' under 20 points and 'lines' from 20. */
export function scatterMode(t: Trace): string {
  if (typeof t.mode === 'string') return t.mode;
  return (((t.x as unknown[] | undefined) ?? []).length < 20) ? 'lines+markers' : 'lines';
}

/**
 * Whether each legend entry's sample shows what its data draw. Plotly draws an entry's sample from its own
 * trace: a line when its mode has lines, a marker when it has markers. A series drawn as markers (means at
 * design points) whose legend entry is another trace of its group, a fitted line with mode 'lines', shows a
 * line sample for data the reader sees as markers. So: for every trace shown in the legend, when any trace
 * of its legend group draws markers, the entry must draw a marker of the same symbol.
 */
export function legendSampleProblems(figure: Figure): string[] {
  const problems: string[] = [];
  const drawsMarkers = (t: Trace) => t.visible !== false && (t.type ?? 'scatter') === 'scatter' && scatterMode(t).includes('markers');
  const symbolOf = (t: Trace) => String(((t.marker as { symbol?: unknown } | undefined)?.symbol ?? 'circle'));
  for (const entry of figure.data) {
    if (entry.showlegend === false || entry.visible === false || typeof entry.name !== 'string') continue;
    if ((entry.type ?? 'scatter') !== 'scatter') continue;
    const group = entry.legendgroup === undefined ? [entry] : figure.data.filter((t) => t.legendgroup === entry.legendgroup);
    const marked = group.find(drawsMarkers);
    if (!marked) continue;
    if (!drawsMarkers(entry)) problems.push(`legend entry "${entry.name}" shows a line, but its data are drawn as markers (${symbolOf(marked)})`);
    else if (symbolOf(entry) !== symbolOf(marked)) problems.push(`legend entry "${entry.name}" shows a ${symbolOf(entry)} marker, its data are drawn as ${symbolOf(marked)}`);
  }
  return problems;
}
