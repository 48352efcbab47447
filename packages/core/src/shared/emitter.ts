/** An event map: event name → the listener's argument tuple. */
export type EventMap<M> = { [K in keyof M]: unknown[] }

/** A listener of event `K` of map `M`. What it returns is ignored, but a rejected promise is reported. */
export type Listener<M extends EventMap<M>, K extends keyof M> = (...args: M[K]) => unknown

interface Registration {
  readonly listener: (...args: never[]) => unknown
  readonly once: boolean
}

/**
 * A typed emitter whose `emit` never throws: a listener that throws or rejects is reported through
 * `onListenerError`, so one broken listener cannot stop the loop that emits, nor the other listeners.
 * (A plain EventEmitter lets a throwing listener unwind into the emitter's caller.)
 */
export class SafeEmitter<M extends EventMap<M>> {
  readonly #listeners = new Map<keyof M, Registration[]>()
  readonly #onListenerError: (error: unknown, event: keyof M) => void

  constructor(onListenerError: (error: unknown, event: keyof M) => void) {
    this.#onListenerError = onListenerError
  }

  /** Adds a listener. */
  on<K extends keyof M & string>(event: K, listener: Listener<M, K>): void {
    this.#add(event, { listener, once: false })
  }

  /** Adds a listener that is removed after its first call. */
  once<K extends keyof M & string>(event: K, listener: Listener<M, K>): void {
    this.#add(event, { listener, once: true })
  }

  /** Removes one listener, or every listener of `event` when none is given. */
  off<K extends keyof M & string>(event: K, listener?: Listener<M, K>): void {
    const kept = listener ? (this.#listeners.get(event) ?? []).filter((r) => r.listener !== listener) : []
    this.#listeners.set(event, kept)
  }

  /** How many listeners `event` has. */
  listenerCount(event: keyof M & string): number {
    return this.#listeners.get(event)?.length ?? 0
  }

  /** Calls every listener of `event` in order; returns whether there was one. */
  emit<K extends keyof M & string>(event: K, ...args: M[K]): boolean {
    const registrations = this.#listeners.get(event) ?? []
    if (registrations.some((r) => r.once))
      this.#listeners.set(
        event,
        registrations.filter((r) => !r.once),
      )
    for (const { listener } of registrations) {
      try {
        const result = (listener as (...a: M[K]) => unknown)(...args)
        if (result instanceof Promise) result.catch((error: unknown) => this.#onListenerError(error, event))
      } catch (error) {
        this.#onListenerError(error, event)
      }
    }
    return registrations.length > 0
  }

  #add(event: keyof M, registration: Registration): void {
    this.#listeners.set(event, [...(this.#listeners.get(event) ?? []), registration])
  }
}
