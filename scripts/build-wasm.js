// `npm run build` step: assemble the WebAssembly kernels with wabt, src/estimators/walk.wat (the sampled
// estimator's trajectory kernel), src/core/lu.wat (dense LU and its solves), src/core/krylov.wat (GMRES's products and vector operations), src/estimators/exactGradient.wat
// (the exact oracle's per-agent part) and src/core/xor4096.wat (a random stream's first outputs), into
// dist/…/*.wasm next to the modules that load them, so the package ships the binaries and loads them synchronously.
const { readFileSync, writeFileSync, mkdirSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const kernels = [
  ['estimators', 'walk'],
  ['core', 'lu'],
  ['core', 'krylov'],
  ['estimators', 'exactGradient'],
  ['core', 'xor4096'],
];

require('wabt')().then((wabt) => {
  for (const [dir, name] of kernels) {
    const parsed = wabt.parseWat(`${name}.wat`, readFileSync(join(root, 'src', dir, `${name}.wat`), 'utf8'), { simd: true });
    parsed.validate();
    const { buffer } = parsed.toBinary({});
    mkdirSync(join(root, 'dist', dir), { recursive: true });
    writeFileSync(join(root, 'dist', dir, `${name}.wasm`), Buffer.from(buffer));
    parsed.destroy();
  }
}).catch((e) => {
  console.error(`build-wasm: ${e.message}`);
  process.exit(1);
});
