/**
 * `fedpg-lab/notebook`: the Jupyter (tslab) workspace, every export of src/notebook/: showing figures and
 * tables in a cell (`show`, `showTable`), live progress, static export through Chromium, the comparison
 * helper (`compareAlgorithms`), per-agent S × A tables, the workspace's results, figures and budgets.
 * Each name is documented where it is defined (TSDoc); docs/api.md describes the entry.
 */

export * from './notebook/chromium';
export * from './notebook/compare';
export * from './notebook/experiments';
export * from './notebook/export';
export * from './notebook/figureCheck';
export * from './notebook/frameDisplay';
export * from './notebook/gradientTables';
export * from './notebook/plotlyBundle';
export * from './notebook/progress';
export * from './notebook/results';
export * from './notebook/show';
export * from './notebook/table';
export * from './notebook/tslab';
