// `require('fedpg-lab/baselines')` for resolvers that ignore package.json "exports" (Node10 resolution, as tslab uses):
// src/baselines.ts.
module.exports = require('./dist/baselines');
