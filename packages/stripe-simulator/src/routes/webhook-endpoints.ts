import { unknownParameter } from '../errors.js'
import { checkExpand } from '../expand.js'
import { page, readListParams } from '../list.js'
import type { Route, RouteContext } from '../router.js'
import {
  applyChanges,
  readCreate,
  readUpdate,
  type WebhookEndpointObject,
} from '../webhooks/endpoint-object.js'
import { registerEndpoint } from '../webhooks/register.js'
import { findOr404, notFound } from './helpers.js'

const PATH = '/v1/webhook_endpoints'
// Stripe's restricted-key permission for webhook endpoints ("Webhook Endpoints" in the dashboard) is
// `rak_webhook_write`; reading needs `rak_webhook_read` (which `_write` implies).
const READ = 'rak_webhook_read'
const WRITE = 'rak_webhook_write'

/** `/v1/webhook_endpoints`: create, list, retrieve, update, delete, as Stripe has them. */
export const webhookEndpointRoutes: readonly Route[] = [
  { method: 'POST', template: PATH, permission: WRITE, handle: create },
  { method: 'GET', template: PATH, permission: READ, handle: list },
  {
    method: 'GET',
    template: `${PATH}/:id`,
    permission: READ,
    handle: (context) => {
      checkExpand(context.params.strings('expand') ?? [], 'webhook_endpoint', false)
      context.params.finish()
      return findOr404(context, 'webhook_endpoint', context.path.id ?? '')
    },
  },
  { method: 'POST', template: `${PATH}/:id`, permission: WRITE, handle: update },
  {
    method: 'DELETE',
    template: `${PATH}/:id`,
    permission: WRITE,
    handle: (context) => {
      context.params.finish()
      const id = context.path.id ?? ''
      findOr404(context, 'webhook_endpoint', id)
      // Its deliveries stop: Stripe does not retry to a deleted endpoint.
      context.data.collection('webhook_endpoint').delete(id)
      return { id, object: 'webhook_endpoint', deleted: true }
    },
  },
]

function create(context: RouteContext): unknown {
  const changes = readCreate(context.params)
  return registerEndpoint(context.state, context.data, changes, context.now)
}

function update(context: RouteContext): unknown {
  const changes = readUpdate(context.params)
  const endpoint = findOr404(context, 'webhook_endpoint', context.path.id ?? '') as WebhookEndpointObject
  const updated = applyChanges(endpoint, changes)
  context.data.collection('webhook_endpoint').replace(updated)
  return updated
}

/** Stripe's list takes the cursors and `limit` only (no `created`). */
function list(context: RouteContext): unknown {
  const { params } = context
  if (params.has('created')) throw unknownParameter('created')
  const listParams = readListParams(params)
  checkExpand(params.strings('expand') ?? [], 'webhook_endpoint', true)
  params.finish()
  return page(context.data.collection('webhook_endpoint'), listParams, {
    url: PATH,
    matches: () => true,
    missingCursor: (id, param) => notFound(context, 'webhook_endpoint', id, param),
  })
}
