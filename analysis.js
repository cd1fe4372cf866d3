// `require('fedpg-lab/analysis')` for resolvers that ignore package.json "exports" (Node10 resolution, as tslab uses):
// src/analysis.ts.
module.exports = require('./dist/analysis');
