// `npm run build` step: assemble src/estimators/walk.wat (the estimator's trajectory kernel) into
// dist/estimators/walk.wasm with wabt, so the package ships the binary and loads it synchronously.
const { readFileSync, writeFileSync, mkdirSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const source = join(root, 'src', 'estimators', 'walk.wat');
const target = join(root, 'dist', 'estimators', 'walk.wasm');

require('wabt')().then((wabt) => {
  const parsed = wabt.parseWat('walk.wat', readFileSync(source, 'utf8'), { simd: true });
  parsed.validate();
  const { buffer } = parsed.toBinary({});
  mkdirSync(join(root, 'dist', 'estimators'), { recursive: true });
  writeFileSync(target, Buffer.from(buffer));
  parsed.destroy();
}).catch((e) => {
  console.error(`build-wasm: ${e.message}`);
  process.exit(1);
});
