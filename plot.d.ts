// Types of `fedpg-lab/plot` for Node10 module resolution (tslab's TypeScript 5.0): see plot.js.
export * from './dist/plot';
