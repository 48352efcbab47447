import { Collection, type StoredObject } from '../collection.js'
import { page, readListParams } from '../list.js'
import { record } from '../render/versions.js'
import type { Route, RouteContext } from '../router.js'
import { findOr404, notFound, readExpand } from './helpers.js'

/**
 * The line lists Stripe serves under their parent: `GET /v1/invoices/:id/lines` (invoice line items,
 * invoice permission) and `GET /v1/checkout/sessions/:id/line_items` (Checkout's `item`s, checkout
 * session permission). Both page in the parent's order, with the common list parameters.
 */
export const lineRoutes: readonly Route[] = [
  {
    method: 'GET',
    template: '/v1/invoices/:id/lines',
    permission: 'rak_invoice_read',
    handle: (context) => lines(context, 'invoice', 'lines', 'line_item', 'lines'),
  },
  {
    method: 'GET',
    template: '/v1/checkout/sessions/:id/line_items',
    permission: 'rak_checkout_session_read',
    handle: (context) => lines(context, 'checkout.session', 'line_items', 'item', 'line_items'),
  },
]

function lines(
  context: RouteContext,
  kind: string,
  field: string,
  itemKind: string,
  suffix: string,
): unknown {
  const listParams = readListParams(context.params)
  const expand = readExpand(context, itemKind, true)
  context.params.finish()
  const parent = findOr404(context, kind, context.path.id ?? '')
  const data = record((parent as unknown as Record<string, unknown>)[field])?.data
  const items = (Array.isArray(data) ? data : []) as StoredObject[]
  // Sort keys count down, so that "newest first" is the parent's own order.
  const collection = new Collection<StoredObject>()
  items.forEach((item, index) => {
    collection.insert(item, items.length - index)
  })
  const path = kind === 'invoice' ? '/v1/invoices' : '/v1/checkout/sessions'
  return expand(
    page(collection, listParams, {
      url: `${path}/${parent.id}/${suffix}`,
      matches: () => true,
      missingCursor: (id, param) => notFound(context, itemKind, id, param),
    }),
  )
}
