/** One request the simulator answered. Keys are masked: the log is safe to print. */
export interface RequestLogEntry {
  /** When it arrived, in Unix ms of the rate-limit clock (real time unless `rateLimitClock` is given). */
  readonly at: number
  /** Stripe's `Request-Id` header of the answer. */
  readonly requestId: string
  readonly method: string
  /** Path without query string. */
  readonly path: string
  /** The names of the query's parameters, in order (`limit`, `created[gte]`, `starting_after`…): never their values. */
  readonly params: readonly string[]
  /** Method and path template, e.g. `GET /v1/customers/:id`; the raw path for unknown URLs. */
  readonly endpoint: string
  /** The masked key, or null when the request had none. */
  readonly key: string | null
  /** The key's account, or null when the key was missing or unknown. */
  readonly account: string | null
  /** The key's mode, or null when unknown. */
  readonly livemode: boolean | null
  /** HTTP status answered; 0 when the connection was reset by a fault. */
  readonly status: number
}

/**
 * Counts every request, by key, endpoint and account: the figures benchmarks read.
 * `total` includes 429s; `rateLimited` counts them apart.
 */
export class RequestLog {
  readonly #entries: RequestLogEntry[] = []
  readonly #byKey = new Map<string, number>()
  readonly #byEndpoint = new Map<string, number>()
  readonly #byAccount = new Map<string, number>()
  #rateLimited = 0

  /** Every request so far. */
  get total(): number {
    return this.#entries.length
  }

  /** Requests answered 429. */
  get rateLimited(): number {
    return this.#rateLimited
  }

  /** The log, oldest first (a copy). */
  get log(): readonly RequestLogEntry[] {
    return [...this.#entries]
  }

  /** Requests made with this key (pass the full key; it is only compared, never stored in the log). */
  byKey(key: string): number {
    return this.#byKey.get(key) ?? 0
  }

  /** Requests to an endpoint, e.g. `'GET /v1/events'`. */
  byEndpoint(endpoint: string): number {
    return this.#byEndpoint.get(endpoint) ?? 0
  }

  /** Requests made with any key of this account. */
  byAccount(account: string): number {
    return this.#byAccount.get(account) ?? 0
  }

  /** Requests per Unix second (from {@link RequestLogEntry.at}), for one account or all. */
  perSecond(account?: string): Map<number, number> {
    const out = new Map<number, number>()
    for (const entry of this.#select(account)) {
      const second = Math.floor(entry.at / 1000)
      out.set(second, (out.get(second) ?? 0) + 1)
    }
    return out
  }

  /**
   * The most requests seen in any rolling 1000 ms window, for one account or all: the figure to
   * compare with a rate budget (stricter than the busiest calendar second of {@link perSecond}).
   */
  maxPerSecond(account?: string): number {
    const times = this.#select(account)
      .map((entry) => entry.at)
      .sort((a, b) => a - b)
    let max = 0
    let start = 0
    for (let end = 0; end < times.length; end++) {
      while ((times[end] as number) - (times[start] as number) >= 1000) start++
      max = Math.max(max, end - start + 1)
    }
    return max
  }

  /** Forgets everything counted so far. */
  reset(): void {
    this.#entries.length = 0
    this.#byKey.clear()
    this.#byEndpoint.clear()
    this.#byAccount.clear()
    this.#rateLimited = 0
  }

  /** @internal Called once per request by the simulator. */
  record(entry: RequestLogEntry, fullKey: string | undefined): void {
    this.#entries.push(entry)
    if (fullKey !== undefined) increment(this.#byKey, fullKey)
    increment(this.#byEndpoint, entry.endpoint)
    if (entry.account !== null) increment(this.#byAccount, entry.account)
    if (entry.status === 429) this.#rateLimited++
  }

  #select(account: string | undefined): RequestLogEntry[] {
    return account === undefined ? this.#entries : this.#entries.filter((entry) => entry.account === account)
  }
}

function increment(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1)
}
