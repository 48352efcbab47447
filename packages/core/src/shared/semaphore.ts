/** A counting semaphore: at most `limit` holders at once, the others served in arrival order. */
export class Semaphore {
  readonly #limit: number
  readonly #waiting: Array<() => void> = []
  #held = 0

  constructor(limit: number) {
    this.#limit = limit
  }

  /** Resolves with the function that gives the slot back, once a slot is free. */
  async acquire(): Promise<() => void> {
    if (this.#held >= this.#limit) await new Promise<void>((resolve) => this.#waiting.push(resolve))
    else this.#held++
    let released = false
    return () => {
      if (released) return
      released = true
      const next = this.#waiting.shift()
      // The slot passes straight to the next in line: no one can overtake it between the two.
      if (next) next()
      else this.#held--
    }
  }
}
