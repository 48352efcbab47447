import type Stripe from 'stripe'
import { invalidValue, missingParameter, StripeApiError, unsupportedParameter } from '../errors.js'
import { checkExpand } from '../expand.js'
import type { ParamReader } from '../params.js'
import { isApiVersion } from '../render/versions.js'
import type { Wire } from '../wire.js'

/** A webhook endpoint as stored and served (its secret is kept apart: Stripe shows it on creation only). */
export type WebhookEndpointObject = Wire<Stripe.WebhookEndpoint>

/** Stripe's limit: "You can register up to 16 webhook endpoints" (per account, here per mode too). */
export const MAX_WEBHOOK_ENDPOINTS = 16

/** What a create or update sets; absent fields stay as they are. */
export interface EndpointChanges {
  url?: string
  enabledEvents?: string[]
  apiVersion?: string
  description?: string | null
  /** Keys set to `''` are removed, as Stripe's metadata updates do; `null` clears all. */
  metadata?: Record<string, string> | null
  disabled?: boolean
}

// `*` or a dotted lower-case name: Stripe's own types, and the made-up ones the simulator accepts elsewhere.
const EVENT_TYPE = /^[a-z0-9_]+(\.[a-z0-9_]+)+$/

/** Reads `POST /v1/webhook_endpoints` (url and enabled_events required). */
export function readCreate(params: ParamReader): EndpointChanges {
  const changes = readCommon(params)
  if (params.boolean('connect') === true) throw unsupportedParameter('connect') // Connect is not modelled
  const apiVersion = params.string('api_version')
  params.finish()
  if (changes.url === undefined) throw missingParameter('url')
  if (changes.enabledEvents === undefined) throw missingParameter('enabled_events')
  if (apiVersion !== undefined && !isApiVersion(apiVersion)) {
    throw invalidValue('api_version', `Invalid api_version: ${apiVersion}`)
  }
  return apiVersion === undefined ? changes : { ...changes, apiVersion }
}

/** Reads `POST /v1/webhook_endpoints/:id` (everything optional, plus `disabled`). */
export function readUpdate(params: ParamReader): EndpointChanges {
  const changes = readCommon(params)
  const disabled = params.boolean('disabled')
  params.finish()
  return disabled === undefined ? changes : { ...changes, disabled }
}

/** A new endpoint object, shaped as stripe-node's `WebhookEndpoint` (and Stripe's fixture). */
export function newEndpoint(
  id: string,
  created: number,
  livemode: boolean,
  changes: EndpointChanges,
): WebhookEndpointObject {
  return applyChanges(
    {
      id,
      object: 'webhook_endpoint',
      api_version: changes.apiVersion ?? null,
      application: null,
      created,
      description: null,
      enabled_events: [],
      livemode,
      metadata: {},
      status: 'enabled',
      url: '',
    },
    changes,
  )
}

/** A copy of `endpoint` with the changes applied. */
export function applyChanges(
  endpoint: WebhookEndpointObject,
  changes: EndpointChanges,
): WebhookEndpointObject {
  const next: WebhookEndpointObject = structuredClone(endpoint)
  if (changes.url !== undefined) next.url = changes.url
  if (changes.enabledEvents !== undefined) next.enabled_events = [...changes.enabledEvents]
  if (changes.description !== undefined) next.description = changes.description
  if (changes.disabled !== undefined) next.status = changes.disabled ? 'disabled' : 'enabled'
  if (changes.metadata === null) next.metadata = {}
  else if (changes.metadata !== undefined) {
    for (const [key, value] of Object.entries(changes.metadata)) {
      if (value === '') delete next.metadata[key]
      else next.metadata[key] = value
    }
  }
  return next
}

/** Whether an endpoint wants events of `type`. */
export function wants(endpoint: WebhookEndpointObject, type: string): boolean {
  return (
    endpoint.status === 'enabled' && endpoint.enabled_events.some((name) => name === '*' || name === type)
  )
}

/** Runs a parameter check for the control API: a Stripe 400 becomes a TypeError at the call. */
export function asTypeError<T>(check: () => T): T {
  try {
    return check()
  } catch (error) {
    if (error instanceof StripeApiError) throw new TypeError(`[stripe-simulator] ${error.message}`)
    throw error
  }
}

function readCommon(params: ParamReader): EndpointChanges {
  const changes: EndpointChanges = {}
  const url = params.string('url')
  if (url !== undefined) changes.url = checkUrl(url)
  const events = params.strings('enabled_events')
  if (events !== undefined) changes.enabledEvents = checkEvents(events)
  if (params.has('description')) changes.description = params.string('description') ?? null
  if (params.has('metadata')) changes.metadata = params.stringMap('metadata') ?? null
  const expand = params.strings('expand') ?? []
  checkExpand(expand, 'webhook_endpoint', false) // nothing on an endpoint is expandable
  return changes
}

/**
 * Stripe wants public HTTPS URLs. A local simulator delivers to loopback and plain HTTP too (that is
 * what tests listen on), but to nothing that is not an http(s) URL.
 */
function checkUrl(raw: string): string {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw invalidValue('url', `Invalid URL: ${raw}`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalidValue('url', `Invalid URL: ${raw}`)
  return raw
}

function checkEvents(events: readonly string[]): string[] {
  if (events.length === 0) throw missingParameter('enabled_events')
  events.forEach((name, i) => {
    if (name !== '*' && !EVENT_TYPE.test(name)) {
      throw invalidValue(
        `enabled_events[${i}]`,
        `Invalid enabled_events[${i}]: ${JSON.stringify(name)} is not an event type.`,
      )
    }
  })
  return [...events]
}
