// `require('fedpg-lab/notebook')` for resolvers that ignore package.json "exports" (Node10 resolution, as tslab uses):
// src/notebook.ts.
module.exports = require('./dist/notebook');
