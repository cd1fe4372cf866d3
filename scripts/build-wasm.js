// `npm run build` step: assemble the WebAssembly kernels with wabt, src/estimators/walk.wat (the sampled
// estimator's trajectory kernel), src/core/lu.wat (dense LU and its solves), src/core/krylov.wat (GMRES's products and vector operations), src/estimators/exactGradient.wat
// (the exact oracle's per-agent part) and src/core/xor4096.wat (a random stream's first outputs), into
// dist/…/*.wasm next to the modules that load them, so the package ships the binaries and loads them synchronously.
// Each binary carries the SHA-256 of the .wat text it was assembled from in a custom section
// (`fedpg-lab.source-sha256`); core/wasmModule.ts refuses a binary whose hash is not its .wat's, so nothing —
// tests included — runs against a stale kernel.
const { createHash } = require('node:crypto');
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
const SECTION = 'fedpg-lab.source-sha256';

/** Unsigned LEB128, as the binary format writes sizes. */
function leb128(n) {
  const out = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** A custom section (id 0): its name, then the payload. */
function customSection(name, payload) {
  const nameBytes = Buffer.from(name, 'utf8');
  const body = Buffer.concat([Buffer.from(leb128(nameBytes.length)), nameBytes, payload]);
  return Buffer.concat([Buffer.from([0]), Buffer.from(leb128(body.length)), body]);
}

require('wabt')().then((wabt) => {
  for (const [dir, name] of kernels) {
    const text = readFileSync(join(root, 'src', dir, `${name}.wat`), 'utf8');
    const parsed = wabt.parseWat(`${name}.wat`, text, { simd: true });
    parsed.validate();
    const { buffer } = parsed.toBinary({});
    const hash = Buffer.from(createHash('sha256').update(text).digest('hex'), 'ascii');
    mkdirSync(join(root, 'dist', dir), { recursive: true });
    writeFileSync(join(root, 'dist', dir, `${name}.wasm`), Buffer.concat([Buffer.from(buffer), customSection(SECTION, hash)]));
    parsed.destroy();
  }
}).catch((e) => {
  console.error(`build-wasm: ${e.message}`);
  process.exit(1);
});
