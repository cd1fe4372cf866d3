// `require('fedpg-lab/experiments')` for resolvers that ignore package.json "exports" (Node10 resolution, as tslab uses):
// src/experiments.ts.
module.exports = require('./dist/experiments');
