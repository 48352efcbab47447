import { tooManyWebhookEndpoints } from '../errors.js'
import { newId } from '../ids.js'
import type { SimState } from '../state.js'
import type { ModeData } from '../store.js'
import {
  type EndpointChanges,
  MAX_WEBHOOK_ENDPOINTS,
  newEndpoint,
  type WebhookEndpointObject,
} from './endpoint-object.js'
import { checkFaults, type DeliveryFaults } from './options.js'

/** A webhook endpoint as its creation returns it: the only time Stripe shows its `secret`. */
export type CreatedWebhookEndpoint = WebhookEndpointObject & { secret: string }

/**
 * Creates an endpoint in one account and mode (the REST route and `sim.addWebhookEndpoint` alike):
 * `we_` + 24 characters, and a signing secret `whsec_` + 32, both from the simulator's seed.
 */
export function registerEndpoint(
  state: SimState,
  data: ModeData,
  changes: EndpointChanges,
  now: number,
  faults?: DeliveryFaults,
): CreatedWebhookEndpoint {
  const checked = faults === undefined ? undefined : checkFaults(faults)
  const endpoints = data.collection('webhook_endpoint')
  if (endpoints.size >= MAX_WEBHOOK_ENDPOINTS)
    throw tooManyWebhookEndpoints(MAX_WEBHOOK_ENDPOINTS, data.livemode)
  const id = newId(state.random, 'we')
  const secret = `whsec_${state.random.alnum(32)}`
  const fakeV0Secret = data.livemode ? undefined : `whsec_${state.random.alnum(32)}`
  const endpoint = newEndpoint(id, now, data.livemode, changes)
  endpoints.insert(endpoint, now)
  state.webhooks.register(id, { secret, fakeV0Secret, faults: checked })
  return { ...structuredClone(endpoint), secret }
}
