// `require('fedpg-lab/plot')` for resolvers that ignore package.json "exports" (Node10 resolution, as tslab uses):
// src/plot.ts.
module.exports = require('./dist/plot');
