import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The part of the WebAssembly API used here (the project's TypeScript lib has no DOM types). */
export interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

/** The global WebAssembly object. */
export function wasmApi(): WasmApi {
  return (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
}

const compiled = new Map<string, object>();

/**
 * The compiled module of a kernel `<name>.wasm` that `npm run build` assembles into dist/<folder>/ (see
 * scripts/build-wasm.js): next to the calling module `here` (its __dirname) when that is the built
 * package, else the built copy (tests and tsx run the sources). Compiled once per thread, synchronously.
 * Reading the binary is loading code, like `require`, not data I/O.
 */
export function kernelModule(here: string, folder: string, name: string): object {
  const key = `${folder}/${name}`;
  const known = compiled.get(key);
  if (known) return known;
  const candidates = [join(here, `${name}.wasm`), join(here, '..', '..', 'dist', folder, `${name}.wasm`)];
  const path = candidates.find((p) => existsSync(p));
  if (!path) throw new Error(`fedpg-lab: the kernel ${name}.wasm is missing (looked in ${candidates.join(', ')}); run \`npm run build\``);
  const module = new (wasmApi().Module)(readFileSync(path));
  compiled.set(key, module);
  return module;
}
