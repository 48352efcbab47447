import type { Random } from './random.js'

/** What a fault does to the requests it matches. */
export type FaultKind =
  | 'server_error'
  | 'delay'
  | 'reset'
  | 'malformed'
  | 'rate_limit'
  | 'revoke'
  | 'remove_permission'

/** A fault to inject: which requests it matches, what it does, how often. */
export interface FaultSpec {
  /** Only requests made with this key (the full key, as returned by `createKey`). */
  key?: string
  /** Only requests of this account. */
  account?: string
  /** Only this endpoint: method and path template, e.g. `'GET /v1/events'`, `'GET /v1/customers/:id'`. */
  endpoint?: string
  /**
   * - `server_error`: Stripe's `api_error` body with `status`.
   * - `delay`: waits `delayMs`, then answers normally.
   * - `reset`: drops the connection (HTTP) / a network error (`Response.error()`, msw).
   * - `malformed`: 200 with the real body cut in half (invalid JSON).
   * - `rate_limit`: a 429 exactly like a real one.
   * - `revoke`: revokes the request's key, then answers (so: 401).
   * - `remove_permission`: takes `permission` from the request's restricted key, then answers.
   */
  kind: FaultKind
  /** HTTP status of `server_error`. @default 500 */
  status?: number
  /** Milliseconds of `delay`. */
  delayMs?: number
  /** How many matching requests it hits before it removes itself; `Infinity` for all. @default 1 */
  times?: number
  /** Chance (0..1) that a matching request is hit, drawn from the simulator's seeded PRNG. @default 1 */
  probability?: number
  /** The permission `remove_permission` takes away. */
  permission?: string
}

/** A handle to take an injected fault away early. */
export interface FaultHandle {
  /** Removes the fault (no-op if it already ran out). */
  remove(): void
  /** How many requests it has hit so far. */
  readonly hits: number
}

interface ActiveFault {
  readonly spec: Readonly<FaultSpec>
  remaining: number
  hits: number
}

/** The coordinates of a request that faults are matched against. */
export interface FaultTarget {
  readonly key: string | undefined
  readonly account: string | undefined
  readonly endpoint: string
}

/**
 * Injects failures into matching requests, in the order they were added. Effects that change state
 * (`revoke`, `remove_permission`) apply when the matching request arrives.
 */
export class FaultInjector {
  #faults: ActiveFault[] = []
  readonly #random: Random

  /** @internal Created by the simulator, which owns the seeded PRNG. */
  constructor(random: Random) {
    this.#random = random
  }

  /** Adds a fault; see {@link FaultSpec}. */
  add(spec: FaultSpec): FaultHandle {
    const fault: ActiveFault = { spec: Object.freeze(validate(spec)), remaining: spec.times ?? 1, hits: 0 }
    this.#faults.push(fault)
    return {
      remove: () => {
        this.#faults = this.#faults.filter((f) => f !== fault)
      },
      get hits() {
        return fault.hits
      },
    }
  }

  /** Removes every fault. */
  clear(): void {
    this.#faults = []
  }

  /** Number of faults still active. */
  get size(): number {
    return this.#faults.length
  }

  /** @internal The faults that hit this request (each one's count taken). */
  take(target: FaultTarget): Readonly<FaultSpec>[] {
    const hit: Readonly<FaultSpec>[] = []
    for (const fault of this.#faults) {
      const { spec } = fault
      if (spec.key !== undefined && spec.key !== target.key) continue
      if (spec.account !== undefined && spec.account !== target.account) continue
      if (spec.endpoint !== undefined && spec.endpoint !== target.endpoint) continue
      if (spec.probability !== undefined && this.#random.next() >= spec.probability) continue
      fault.remaining--
      fault.hits++
      hit.push(spec)
    }
    this.#faults = this.#faults.filter((f) => f.remaining > 0)
    return hit
  }
}

function validate(spec: FaultSpec): FaultSpec {
  const fail = (message: string): never => {
    throw new RangeError(`[stripe-simulator] [faults] ${message}`)
  }
  const times = spec.times ?? 1
  if (!(times === Number.POSITIVE_INFINITY || (Number.isInteger(times) && times >= 1))) {
    fail(`Expected \`times\` to be an integer >= 1 or Infinity, got ${times}.`)
  }
  if (spec.probability !== undefined && !(spec.probability >= 0 && spec.probability <= 1)) {
    fail(`Expected \`probability\` to be between 0 and 1, got ${spec.probability}.`)
  }
  if (
    spec.kind === 'delay' &&
    !(spec.delayMs !== undefined && spec.delayMs >= 0 && Number.isFinite(spec.delayMs))
  ) {
    fail(`A \`delay\` fault needs \`delayMs\` (a finite number >= 0), got ${spec.delayMs}.`)
  }
  if (
    spec.kind === 'server_error' &&
    spec.status !== undefined &&
    !(spec.status >= 500 && spec.status <= 599)
  ) {
    fail(`Expected \`status\` of a server_error to be 500..599, got ${spec.status}.`)
  }
  if (spec.kind === 'remove_permission' && spec.permission === undefined) {
    fail('A `remove_permission` fault needs `permission` (e.g. `rak_customer_read`).')
  }
  if (spec.endpoint !== undefined && !/^(GET|POST|DELETE) \//.test(spec.endpoint)) {
    fail(`Expected \`endpoint\` like 'GET /v1/events', got '${spec.endpoint}'.`)
  }
  return { ...spec }
}
