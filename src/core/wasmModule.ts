import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The part of the WebAssembly API used here (the project's TypeScript lib has no DOM types). */
export interface WasmApi {
  Module: (new (bytes: Uint8Array) => object) & { customSections(module: object, name: string): ArrayBuffer[] };
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

/** The global WebAssembly object. */
export function wasmApi(): WasmApi {
  return (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
}

/** The custom section in which scripts/build-wasm.js records the SHA-256 (hex) of the .wat a binary was assembled from. */
export const SOURCE_HASH_SECTION = 'fedpg-lab.source-sha256';

const compiled = new Map<string, object>();

/**
 * The compiled module of a kernel `<name>.wasm` that `npm run build` assembles into dist/<folder>/ (see
 * scripts/build-wasm.js): next to the calling module `here` (its __dirname) when that is the built
 * package, else the built copy (tests and tsx run the sources). Compiled once per thread, synchronously.
 * When the kernel's source src/<folder>/<name>.wat is at hand (a checkout, not an installed package), the
 * binary must have been assembled from it: its recorded hash is compared with the .wat's, and a stale
 * binary is refused, naming both files. Reading the binary is loading code, like `require`, not data I/O.
 */
export function kernelModule(here: string, folder: string, name: string): object {
  const candidates = [join(here, `${name}.wasm`), join(here, '..', '..', 'dist', folder, `${name}.wasm`)];
  const path = candidates.find((p) => existsSync(p));
  if (!path) throw new Error(`fedpg-lab: the kernel ${name}.wasm is missing (looked in ${candidates.join(', ')}); run \`npm run build\``);
  const known = compiled.get(path);
  if (known) return known;
  const api = wasmApi();
  const module = new api.Module(readFileSync(path));
  const source = [join(here, `${name}.wat`), join(here, '..', '..', 'src', folder, `${name}.wat`)].find((p) => existsSync(p));
  if (source) {
    const want = createHash('sha256').update(readFileSync(source, 'utf8')).digest('hex');
    const sections = api.Module.customSections(module, SOURCE_HASH_SECTION);
    const got = sections.length === 1 ? Buffer.from(sections[0]).toString('ascii') : null;
    if (got !== want) throw new Error(`fedpg-lab: the kernel ${path} was not assembled from ${source} (${got === null ? 'it records no source hash' : `source hash ${got.slice(0, 12)}…, the .wat's is ${want.slice(0, 12)}…`}): it is stale; run \`npm run build\``);
  }
  compiled.set(path, module);
  return module;
}
