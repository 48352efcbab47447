const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/**
 * A small seeded PRNG (mulberry32): ids, keys and fault probabilities repeat run after run when the
 * simulator is given a `seed`. Not for secrets: the simulator's keys only guard a local test server.
 */
export class Random {
  #state: number

  constructor(seed: number) {
    this.#state = seed >>> 0
  }

  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0
    let t = this.#state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** `length` characters from [A-Za-z0-9]. */
  alnum(length: number): string {
    let out = ''
    for (let i = 0; i < length; i++) out += ALNUM[Math.floor(this.next() * ALNUM.length)]
    return out
  }
}

/** A random 32-bit seed for simulators created without one. */
export function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0] ?? 0
}
