// `require('fedpg-lab/internals')` for resolvers that ignore package.json "exports" (Node10 resolution,
// as tslab uses): the internal building blocks, with no stability promise (src/internals.ts).
module.exports = require('./dist/internals');
