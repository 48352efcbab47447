/** What every account's pipeline of an instance is built with. */
import type { LookupCacheOptions } from '../enrich/lookups.js'
import type { PacingSettings } from '../polling/pacing.js'
import type { PollerSettings } from '../polling/poller-types.js'
import type { MoneyFormats } from '../shared/money.js'
import type { KeyValueStore } from '../shared/store.js'
import type { StripeTransport } from '../stripe/transport.js'

/** Settings of an account's pipeline. */
export interface PipelineSettings {
  readonly store: KeyValueStore
  /** The way to Stripe that every account of the instance shares. */
  readonly transport: StripeTransport
  /** Formatters of amounts and the known currencies: the same for every account, so shared. */
  readonly formats: MoneyFormats
  readonly currencies: ReadonlySet<string>
  readonly poller: PollerSettings
  /** How long, ms, a payment that misses events waits for them: see the `settle` option. */
  readonly settleMs: number
  readonly enrichment: { readonly holdMs: number; readonly repairForMs: number }
  readonly cache: LookupCacheOptions
  /** How polls are paced by the read allocation (the shortest interval is the poller's). */
  readonly pacing: Omit<PacingSettings, 'pollInterval'>
  /** How old an event found only by a poll may be before the webhooks are taken to have missed it, ms. */
  readonly missedAfter: number
}
