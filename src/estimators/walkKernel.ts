import { kernelModule, wasmApi } from '../core/wasmModule';

/**
 * The WebAssembly trajectory kernel (estimators/walk.wat, assembled into dist/estimators/walk.wasm by
 * `npm run build`; core/wasmModule.ts loads it and refuses a binary older than its .wat). Each estimator
 * instantiates it with its own memory, which holds that estimator's tables and buffers (the typed arrays
 * the TypeScript side reads and writes are views on it).
 */
export interface WalkKernel {
  /** The instance's memory (64 KiB pages), grown once to the estimator's layout. */
  readonly buffer: ArrayBuffer;
  init(S: number, A: number, K: number, gamma: number, lanes: number, rhoCut: number, rhoOther: number, actF: number, actI: number, succ: number, aliasCut: number, visits: number, discounted: number): void;
  /** `iters` rounds of four lockstep trajectories; lane l walks slot l·L + i while i < c_l, else the scratch slot 4L. */
  walk(iters: number, L: number, c0: number, c1: number, c2: number, c3: number): void;
  /**
   * Add slots first … first+n−1 (in order) into the S·A table at byte offset `W`: GPOMDP's reward-to-go or
   * REINFORCE's return at each visited pair; returns `returns` + their returns.
   */
  accumulate(first: number, n: number, reinforce: number, returns: number, W: number): number;
  /** π = row-wise softmax of the S×A table θ (byte offsets of both), as core/softmax.ts. */
  softmax(theta: number, pi: number, S: number, A: number): void;
  /** Byte offsets of π, R, P's row starts and 20·A bytes of scratch, for `pack`. */
  initPack(pi: number, R: number, rowStart: number, scratch: number): void;
  /** The per-θ alias and step tables for τ = 0 from π (see walk.wat). */
  pack(S: number, A: number): void;
  /** e^x, bit-identical to Math.exp (the kernel's softmax uses it). */
  exp(x: number): number;
}

/** A fresh kernel instance whose memory holds at least `bytes` bytes. */
export function createWalkKernel(bytes: number): WalkKernel {
  const { exports } = new (wasmApi().Instance)(kernelModule(__dirname, 'estimators', 'walk'), {});
  const memory = exports.memory as { buffer: ArrayBuffer; grow(pages: number): number };
  const pages = Math.ceil(bytes / 65536);
  // A 32-bit WebAssembly memory holds at most 65536 pages (4 GiB).
  if (pages > 65536) throw new RangeError(`the sampled estimator needs ${(bytes / 2 ** 30).toFixed(1)} GiB of tables (S·A, nnz(P), K), more than a WebAssembly memory holds (4 GiB)`);
  if (pages > 1) memory.grow(pages - 1);
  return {
    buffer: memory.buffer,
    init: exports.init as WalkKernel['init'],
    walk: exports.walk as WalkKernel['walk'],
    accumulate: exports.accumulate as WalkKernel['accumulate'],
    softmax: exports.softmax as WalkKernel['softmax'],
    exp: exports.exp as WalkKernel['exp'],
    initPack: exports.initPack as WalkKernel['initPack'],
    pack: exports.pack as WalkKernel['pack'],
  };
}
