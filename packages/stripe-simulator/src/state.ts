import type { SimAccount } from './accounts.js'
import type { Clock } from './clock.js'
import type { FaultInjector } from './faults.js'
import type { Idempotency } from './idempotency.js'
import type { KeyRing } from './keys.js'
import type { Random } from './random.js'
import type { RateLimiter } from './rate-limit.js'
import type { ReadLedger } from './read-allocation.js'
import type { RequestLog } from './request-log.js'
import type { ModeData } from './store.js'
import type { WebhookDispatcher } from './webhooks/deliveries.js'

/** An account with its two modes' data. */
export interface AccountState {
  readonly info: SimAccount
  readonly test: ModeData
  readonly live: ModeData
}

/** Bytes behind a `file_...` id. */
export interface StoredFile {
  readonly bytes: Uint8Array<ArrayBuffer>
  readonly mime: string
}

/** Where a public file link token leads. */
export interface LinkTarget {
  readonly account: string
  readonly livemode: boolean
  readonly linkId: string
  readonly fileId: string
}

/** Everything one simulator holds: passed to the request pipeline and routes, never shared. */
export interface SimState {
  readonly clock: Clock
  readonly windowClock: Clock
  readonly random: Random
  /** Ids and event order of scenario helpers: their own stream, so requests do not shift them. */
  readonly scenarioRandom: Random
  readonly keys: KeyRing
  readonly accounts: Map<string, AccountState>
  readonly files: Map<string, StoredFile>
  readonly links: Map<string, LinkTarget>
  readonly rateLimiter: RateLimiter
  readonly faults: FaultInjector
  readonly requests: RequestLog
  readonly idempotency: Idempotency
  /** Reads per account over 30 days of the simulator clock, against Stripe's read allocation. */
  readonly reads: ReadLedger
  readonly webhooks: WebhookDispatcher
}
