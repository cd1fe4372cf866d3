import seedrandom from 'seedrandom';
import { fail } from './check';
import { xor4096First } from './xor4096First';

/**
 * Seeded, splittable, serialisable random streams.
 *
 * Contract (docs/architecture.md, "Random streams"):
 * - A stream is named by a key: the root seed followed by the labels it was folded with, e.g.
 *   `"42/run:0/round:17/agent:3"`. Its numbers are those of seedrandom's xor4096 generator (Brent's
 *   xorgens-4096) seeded with that key string, so they depend on nothing but the key.
 * - `fold(label)` derives a child stream from the parent's *key*, not from its position: drawing from the
 *   parent never changes its children, which is why an agent's samples do not depend on other agents, on
 *   execution order or on the number of worker threads. Labels are never added to seeds (`seed + i`).
 * - `state()` is plain JSON; `restoreRng(state)` continues the stream bit-identically.
 */
export interface Rng {
  /** The stream's key (root seed and fold labels). */
  readonly key: string;
  /** A uniform number in [0, 1) with 32 random bits (the fast path used by the samplers). */
  readonly uniform: () => number;
  /** A uniform number in [0, 1) with 53 random bits. */
  double(): number;
  /** The child stream `key/label`. */
  fold(label: string | number): Rng;
  /** JSON-serialisable position of the stream. */
  state(): RngState;
}

/** The serialised form of an Rng: its key and the generator's internal state. */
export interface RngState {
  readonly key: string;
  readonly generator: 'xor4096';
  readonly internal: unknown;
}

type Stateful = seedrandom.StatefulPRNG<unknown>;

/** Shared by a stream and every stream folded from it: whether any of them has drawn a number. */
interface Usage {
  drawn: boolean;
}

/** An Rng whose generator is seeded on first use, so folding a key path costs nothing until drawn from. */
class Stream implements Rng {
  readonly key: string;
  private prng: Stateful | undefined;
  /** Outputs already taken through `takeFirst` before the generator object existed (skipped when it is made). */
  private taken = 0;
  readonly usage: Usage;
  constructor(key: string, prng?: Stateful, usage: Usage = { drawn: prng !== undefined }) {
    this.key = key;
    this.prng = prng;
    this.usage = usage;
  }
  private generator(): Stateful {
    if (!this.prng) {
      this.usage.drawn = true;
      this.prng = seedrandom.xor4096(this.key, { state: true }) as unknown as Stateful;
      for (; this.taken > 0; this.taken--) this.prng();
    }
    return this.prng;
  }
  /**
   * The stream's first `n` outputs as 32-bit integers, from the xor4096 kernel without building the
   * generator object; false (nothing taken) once anything has been drawn or for a key the kernel does not take.
   */
  takeFirst(out: Int32Array, n: number): boolean {
    if (this.prng || this.taken > 0 || !xor4096First(this.key, n, out)) return false;
    this.usage.drawn = true;
    this.taken = n;
    return true;
  }
  get uniform(): () => number {
    return this.generator() as unknown as () => number;
  }
  double(): number {
    return this.generator().double();
  }
  fold(label: string | number): Rng {
    return new Stream(`${this.key}/${label}`, undefined, this.usage);
  }
  state(): RngState {
    return { key: this.key, generator: 'xor4096', internal: this.generator().state() };
  }
}

/**
 * Whether anything has been drawn from `rng` or from a stream folded from it since it was made by
 * createRng (a restored stream counts as drawn; so does an Rng not made here, which cannot be told). False
 * means that the numbers computed with these streams did not depend on the seed.
 */
export function drewFrom(rng: Rng): boolean {
  return rng instanceof Stream ? rng.usage.drawn : true;
}

/**
 * Fill `out[0..n)` with the next `n` outputs of `rng` as 32-bit integers, `(rng.uniform() * 2³²) | 0` each
 * (exact: its uniforms are k/2³²). For a fresh stream, which is how every sampled estimate gets its own, they
 * come from the xor4096 kernel (core/xor4096First.ts) without seeding seedrandom's generator object, which
 * costs more than an estimate of a few short trajectories; the stream then continues as if drawn through
 * `uniform` (tested).
 */
export function nextInt32s(rng: Rng, out: Int32Array, n: number): void {
  if (rng instanceof Stream && rng.takeFirst(out, n)) return;
  const u = rng.uniform;
  for (let i = 0; i < n; i++) out[i] = (u() * 4294967296) | 0;
}

/** A root stream for a seed (an integer or a string). */
export function createRng(seed: number | string): Rng {
  if (typeof seed === 'number' && !Number.isSafeInteger(seed)) fail('seed', seed, `must be an integer or a string, got ${seed}`);
  if (typeof seed !== 'number' && typeof seed !== 'string') fail('seed', seed, `must be an integer or a string, got ${typeof seed}`);
  return new Stream(String(seed));
}

/** Continue a stream from `rng.state()`. */
export function restoreRng(state: RngState): Rng {
  if (!state || typeof state.key !== 'string' || state.generator !== 'xor4096' || state.internal == null) {
    fail('rngState', state, 'is not a state returned by rng.state()');
  }
  return new Stream(state.key, seedrandom.xor4096('', { state: state.internal as never }) as unknown as Stateful);
}
