/**
 * `fedpg-lab/plot`: every export of src/plot/, pure functions from result rows (or runs) to Plotly figure
 * specs, their labels, notation, legends, axes and print presets. Each name is documented where it is
 * defined (TSDoc); docs/api.md describes the entry and docs/figures.md the figures.
 */

export * from './plot/agents';
export * from './plot/axes';
export * from './plot/experimentFigures';
export * from './plot/figure';
export * from './plot/history';
export * from './plot/legend';
export * from './plot/legendKey';
export * from './plot/legendSamples';
export * from './plot/notation';
export * from './plot/personalizationFigures';
export * from './plot/presets';
export * from './plot/rate';
export * from './plot/series';
export * from './plot/settings';
export * from './plot/transitionFigures';
export * from './plot/comparisonFigures';
