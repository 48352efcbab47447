import type Stripe from 'stripe'
import { unixSeconds } from './clock.js'
import { checkEvent } from './event-check.js'
import { newId } from './ids.js'
import type { CreateEventInput } from './simulator-options.js'
import type { AccountState, SimState } from './state.js'

/**
 * Records an event at its `created` position in the account's event list for that mode, and hands it
 * to the webhook endpoints that want it. `pending_webhooks` starts at their number, as on Stripe, and
 * drops as deliveries succeed.
 */
export function createEvent(state: SimState, account: AccountState, input: CreateEventInput): Stripe.Event {
  const created = input.created ?? unixSeconds(state.clock)
  const data = input.livemode ? account.live : account.test
  const endpoints = state.webhooks.endpointsFor(data, input.type)
  const event = {
    id: input.id ?? newId(state.random, 'evt'),
    object: 'event',
    api_version: input.apiVersion ?? account.info.apiVersion,
    created,
    data: {
      object: structuredClone(input.object),
      ...(input.previousAttributes === undefined
        ? {}
        : { previous_attributes: structuredClone(input.previousAttributes) }),
    },
    livemode: input.livemode,
    pending_webhooks: endpoints.length,
    request: { id: null, idempotency_key: null },
    type: input.type,
  }
  checkEvent(event, input.livemode)
  data.collection('event').insert(event, created)
  state.webhooks.enqueue(
    { account: account.info.id, livemode: input.livemode, id: event.id, type: event.type, created },
    endpoints,
  )
  return structuredClone(event) as unknown as Stripe.Event
}
