import type Stripe from 'stripe'
import { type KeyValueStore, RETENTION, STORE_KEYS } from '../shared/store.js'

/** A payment event waiting for the rest of its payment. */
export interface PendingEvent {
  readonly event: Stripe.Event
  readonly backfill: boolean
}

/** What enrichment keeps per account to emit each domain event once: persisted beside the poll state. */
export interface EnrichState {
  readonly v: 1
  /** Domain event ids and payment ids (`pay:pi_…`) already emitted, with when they may be forgotten (unix s). */
  readonly emitted: ReadonlyArray<readonly [id: string, forgetAt: number]>
  /** Payment events held until their payment settles. */
  readonly pending: readonly PendingEvent[]
}

/** Stripe keeps events 30 days: after 35, an id cannot come back. */
export const FORGET_AFTER_SECONDS = RETENTION.emittedIdsMs / 1000

const key = STORE_KEYS.enrich

/** Reads an account's enrichment state. */
export async function loadEnrichState(store: KeyValueStore, ref: string): Promise<EnrichState> {
  const value = (await store.get(key(ref))) as Partial<EnrichState> | undefined
  if (value?.v === 1 && Array.isArray(value.emitted) && Array.isArray(value.pending))
    return value as EnrichState
  return { v: 1, emitted: [], pending: [] }
}

/** Writes an account's enrichment state, forgetting ids past their time. */
export async function saveEnrichState(
  store: KeyValueStore,
  ref: string,
  state: EnrichState,
  nowSeconds: number,
) {
  await store.set(key(ref), {
    ...state,
    emitted: state.emitted.filter(([, forgetAt]) => forgetAt > nowSeconds),
  })
}
