/** What every builder of a domain event is given, and how it reads an event's object. */
import type Stripe from 'stripe'
import type { Money } from '../shared/money.js'
import type { EventAccount } from './domain-events.js'
import { type Json, obj } from './fields.js'
import type { StripeLookups } from './lookups.js'

/** What every builder of a domain event needs: the account and its look-ups. */
export interface EnrichContext {
  /** The account, as events show it. */
  readonly account: EventAccount
  /** The account's cached, budgeted reads. */
  readonly lookups: StripeLookups
  /** Whether the events are backfill. */
  readonly backfill: boolean
  /** Makes a {@link Money} of Stripe's amount and currency, with a formatter kept per currency. */
  readonly money: (amount: number, currency: string) => Money
  /** Collects the fields a look-up missed for a reason that passes: the event is worth building again. */
  readonly transient?: Set<string>
}

/** Collects why fields are missing. */
export type Unavailable = Record<string, string>

/** Records why a look-up left a field out; a reason that passes is also noted as worth another try. */
export function lookupFailed(
  context: EnrichContext,
  unavailable: Unavailable,
  field: string,
  failure: { readonly reason: string; readonly transient?: boolean },
): void {
  unavailable[field] = failure.reason
  if (failure.transient) context.transient?.add(field)
}

/** The object of an event, as JSON. */
export function objectOf(event: Stripe.Event): Json {
  return obj(event.data.object) ?? {}
}
