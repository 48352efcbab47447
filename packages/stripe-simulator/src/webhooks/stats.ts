/** Delivery attempts of one endpoint (or all), counted as they end. */
export interface WebhookDeliveryStats {
  /** Attempts sent (duplicates included). */
  readonly attempted: number
  /** Attempts the endpoint answered with a 2xx. */
  readonly succeeded: number
  /** Attempts answered otherwise, timed out, or refused at the network. */
  readonly failed: number
  /** Attempts waiting for their time on the simulator clock (retries, late first attempts). */
  readonly scheduled: number
}

/** One delivery attempt, as the simulator made it. */
export interface WebhookDeliveryLogEntry {
  /** When it was sent, in Unix ms of the simulator clock. */
  readonly at: number
  /** `we_…` */
  readonly endpoint: string
  /** `evt_…` */
  readonly event: string
  /** The event's type. */
  readonly type: string
  /** 1 for the first attempt of a delivery, 2 for its first retry… */
  readonly attempt: number
  /** True for the extra copy a `duplicate` fault sends. */
  readonly duplicate: boolean
  /** The endpoint's HTTP status, or 0 when none came. */
  readonly status: number
  /** Why no status came. */
  readonly error?: 'timeout' | 'network'
  /** Whether the status was a 2xx. */
  readonly ok: boolean
}

/** An attempt that will be made once the simulator clock reaches `at`. */
export interface UpcomingDelivery {
  /** Unix ms of the simulator clock. */
  readonly at: number
  /** `we_…` */
  readonly endpoint: string
  /** `evt_…` */
  readonly event: string
  /** The event's type. */
  readonly type: string
  /** 1 for a late first attempt, 2 for the first retry… */
  readonly attempt: number
  /** True for the extra copy a `duplicate` fault sends. */
  readonly duplicate: boolean
}

/** Counters per endpoint. */
export class DeliveryCounters {
  readonly #byEndpoint = new Map<string, { attempted: number; succeeded: number; failed: number }>()
  readonly #log: WebhookDeliveryLogEntry[] = []

  /** Counts an attempt that ended. */
  record(entry: WebhookDeliveryLogEntry): void {
    this.#log.push(entry)
    let counts = this.#byEndpoint.get(entry.endpoint)
    if (counts === undefined) {
      counts = { attempted: 0, succeeded: 0, failed: 0 }
      this.#byEndpoint.set(entry.endpoint, counts)
    }
    counts.attempted++
    if (entry.ok) counts.succeeded++
    else counts.failed++
  }

  /** Counts of one endpoint, or of all when `endpoint` is undefined. */
  counts(endpoint: string | undefined): { attempted: number; succeeded: number; failed: number } {
    const selected =
      endpoint === undefined ? [...this.#byEndpoint.values()] : [this.#byEndpoint.get(endpoint)]
    const out = { attempted: 0, succeeded: 0, failed: 0 }
    for (const counts of selected) {
      out.attempted += counts?.attempted ?? 0
      out.succeeded += counts?.succeeded ?? 0
      out.failed += counts?.failed ?? 0
    }
    return out
  }

  /** The log, oldest first (a copy). */
  get log(): readonly WebhookDeliveryLogEntry[] {
    return [...this.#log]
  }
}
