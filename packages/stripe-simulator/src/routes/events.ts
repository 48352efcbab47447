import type { StoredObject } from '../collection.js'
import { inRange, page, readListParams } from '../list.js'
import type { Route, RouteContext } from '../router.js'
import { notFound, readExpand } from './helpers.js'

/** Stripe keeps events for 30 days; older ones are gone from list and retrieve alike. */
export const EVENT_RETENTION_SECONDS = 30 * 24 * 60 * 60

const PERMISSION = 'rak_event_read'

/** `GET /v1/events` and `GET /v1/events/:id`. */
export const eventRoutes: readonly Route[] = [
  { method: 'GET', template: '/v1/events', permission: PERMISSION, handle: listEvents },
  {
    method: 'GET',
    template: '/v1/events/:id',
    permission: PERMISSION,
    handle: (context) => {
      const expand = readExpand(context, 'event', false)
      context.params.finish()
      const id = context.path.id ?? ''
      const collection = context.data.collection('event')
      const created = collection.createdOf(id)
      if (created === undefined || created < floor(context)) throw notFound(context, 'event', id, 'id')
      return expand(collection.get(id))
    },
  },
]

function listEvents(context: RouteContext): unknown {
  const { params } = context
  params.exclusive('type', 'types')
  const listParams = readListParams(params)
  const type = params.string('type')
  const types = params.strings('types', 20)
  const delivered = deliveryMatcher(params.boolean('delivery_success'))
  const expand = readExpand(context, 'event', true)
  params.finish()
  const matchesType = typeMatcher(type, types)
  const body = page(context.data.collection('event'), listParams, {
    url: '/v1/events',
    floor: floor(context),
    matches: (event: StoredObject) =>
      inRange(event.created, listParams.created) && matchesType(event) && delivered(event),
    missingCursor: (id, param) => notFound(context, 'event', id, param),
  })
  return expand(body)
}

/** `type` may end in `.*` (every `charge.` event) or be `*`; `types[]` lists exact names. */
function typeMatcher(
  type: string | undefined,
  types: string[] | undefined,
): (event: StoredObject) => boolean {
  const typeOf = (event: StoredObject): string => String((event as unknown as { type: unknown }).type)
  if (types !== undefined) return (event) => types.includes(typeOf(event))
  if (type === undefined || type === '*') return () => true
  if (type.endsWith('.*')) {
    const prefix = type.slice(0, -1)
    return (event) => typeOf(event).startsWith(prefix)
  }
  return (event) => typeOf(event) === type
}

/**
 * `delivery_success`: whether every webhook delivery of an event succeeded. Stripe counts the deliveries
 * not (yet) acknowledged with a 2xx, pending and failed alike, in `pending_webhooks`; so an event was
 * delivered successfully when that count is 0. The simulator has no webhook endpoints, so every event
 * has 0: `true` lists all events and `false` none. Endpoints, when they exist, only need to keep
 * `pending_webhooks` up to date for this filter to follow.
 */
function deliveryMatcher(wanted: boolean | undefined): (event: StoredObject) => boolean {
  if (wanted === undefined) return () => true
  const pendingOf = (event: StoredObject): number =>
    Number((event as unknown as { pending_webhooks: unknown }).pending_webhooks ?? 0)
  return (event) => (pendingOf(event) === 0) === wanted
}

function floor(context: RouteContext): number {
  return context.now - EVENT_RETENTION_SECONDS
}
