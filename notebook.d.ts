// Types of `fedpg-lab/notebook` for Node10 module resolution (tslab's TypeScript 5.0): see notebook.js.
export * from './dist/notebook';
