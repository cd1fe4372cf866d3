import { kernelModule, wasmApi } from './wasmModule';

/**
 * The first outputs of seedrandom's xor4096 generator for a string key, computed by the WebAssembly kernel
 * core/xor4096.wat instead of through seedrandom's generator object (same numbers, bit for bit: the kernel
 * follows seedrandom 3.0.5's initialisation and `next()` operation for operation; tested against seedrandom).
 * A stream that the samplers only ask for four 32-bit words (to seed xoshiro128**) never needs the object.
 */

/** Keys longer than this (UTF-16 code units) are left to seedrandom (the kernel's memory holds the key). */
export const XOR4096_KEY_LIMIT = 16384;

interface Xor4096Kernel {
  first(len: number, n: number): void;
  units: Uint16Array;
  outputs: Int32Array;
}

let kernel: Xor4096Kernel | null = null;

function instance(): Xor4096Kernel {
  if (kernel) return kernel;
  const { exports } = new (wasmApi().Instance)(kernelModule(__dirname, 'core', 'xor4096'), {});
  const buffer = (exports.memory as { buffer: ArrayBuffer }).buffer;
  kernel = { first: exports.first as Xor4096Kernel['first'], units: new Uint16Array(buffer, 1024, XOR4096_KEY_LIMIT), outputs: new Int32Array(buffer, 512, 128) };
  return kernel;
}

/**
 * Write the first `n` (≤ 128) outputs of `seedrandom.xor4096(key)` as signed 32-bit integers into `out`:
 * output k is `(g() * 2³²) | 0` for the k-th call of the generator g (its `int32()`). Returns false, writing
 * nothing, for a key longer than XOR4096_KEY_LIMIT.
 */
export function xor4096First(key: string, n: number, out: Int32Array): boolean {
  if (key.length > XOR4096_KEY_LIMIT || n > 128) return false;
  const k = instance();
  for (let i = 0; i < key.length; i++) k.units[i] = key.charCodeAt(i);
  k.first(key.length, n);
  for (let i = 0; i < n; i++) out[i] = k.outputs[i];
  return true;
}
