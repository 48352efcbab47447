import type { StoredObject } from './collection.js'
import { expandTooDeep, notExpandable } from './errors.js'

/**
 * A field of an object as expansion sees it: `include` fields are includable lists (absent unless
 * `expand[]` names them, see `render/includable.ts`), walked like lists.
 */
type Field = 'ref' | { readonly embedded: string } | { readonly list: string } | { readonly include: string }

/**
 * What can be expanded, per `object` kind: `ref` fields hold an id that expansion swaps for the object;
 * `embedded` / `list` fields hold objects that a longer path walks through. Pseudo-kinds with a dot name
 * the nested hashes of current (2025+) shapes. Legacy fields (`invoice.subscription`, `charge.invoice`)
 * stay listed so that events rendered at older API versions expand too.
 */
const FIELDS: Readonly<Record<string, Readonly<Record<string, Field>>>> = {
  account: { settings: { embedded: 'account.settings' } },
  'account.settings': { branding: { embedded: 'account.branding' } },
  'account.branding': { icon: 'ref', logo: 'ref' },
  balance: {},
  balance_transaction: { source: 'ref' },
  charge: {
    customer: 'ref',
    balance_transaction: 'ref',
    invoice: 'ref',
    payment_intent: 'ref',
    refunds: { include: 'refund' },
  },
  'checkout.session': {
    customer: 'ref',
    invoice: 'ref',
    payment_intent: 'ref',
    subscription: 'ref',
    line_items: { include: 'item' },
  },
  customer: {},
  event: {},
  file: {},
  file_link: { file: 'ref' },
  invoice: {
    customer: 'ref',
    charge: 'ref',
    payment_intent: 'ref',
    subscription: 'ref',
    lines: { list: 'line_item' },
    parent: { embedded: 'invoice.parent' },
    payments: { include: 'invoice_payment' },
  },
  invoice_payment: { invoice: 'ref', payment: { embedded: 'invoice_payment.payment' } },
  'invoice_payment.payment': { payment_intent: 'ref', charge: 'ref' },
  item: { price: { embedded: 'price' } },
  'invoice.parent': { subscription_details: { embedded: 'invoice.subscription_details' } },
  'invoice.subscription_details': { subscription: 'ref' },
  // From an invoice, `lines.data.pricing.price_details.price` would be 5 levels: Stripe refuses it. From
  // `GET /v1/invoices/:id/lines` it is `data.pricing.price_details.price` (2025-12-15.clover and newer).
  line_item: {
    subscription: 'ref',
    price: { embedded: 'price' },
    pricing: { embedded: 'line_item.pricing' },
  },
  'line_item.pricing': { price_details: { embedded: 'line_item.price_details' } },
  'line_item.price_details': { price: 'ref' },
  payment_intent: { customer: 'ref', latest_charge: 'ref', invoice: 'ref' },
  payout: { balance_transaction: 'ref', failure_balance_transaction: 'ref' },
  price: { product: 'ref' },
  product: { default_price: 'ref' },
  refund: { charge: 'ref', balance_transaction: 'ref', payment_intent: 'ref', customer: 'ref' },
  dispute: { charge: 'ref', payment_intent: 'ref' },
  subscription: { customer: 'ref', latest_invoice: 'ref', items: { list: 'subscription_item' } },
  subscription_item: { price: { embedded: 'price' } },
}

/** The kinds a `ref` field's id may name: anything expansion knows (checked on the id at run time). */
const ANY_REF = Object.keys(FIELDS).filter((kind) => !kind.includes('.'))

const MAX_DEPTH = 4

/**
 * Checks `expand[]` paths for an object of `kind` (or a list of them) before anything is read, with
 * Stripe's messages. Returns the paths split into segments.
 */
export function checkExpand(paths: readonly string[], kind: string, isList: boolean): string[][] {
  return paths.map((path) => {
    const segments = path.split('.')
    if (segments.length > MAX_DEPTH) throw expandTooDeep()
    if (isList) {
      if (segments[0] !== 'data') {
        throw notExpandable(path, validFrom([kind], segments) ? `data.${path}` : undefined)
      }
      if (segments.length === 1 || !validFrom([kind], segments.slice(1))) throw notExpandable(path)
      return segments.slice(1)
    }
    if (!validFrom([kind], segments)) throw notExpandable(path)
    return segments
  })
}

/** Whether a path is expandable from at least one of the kinds (it must end on a `ref` field). */
function validFrom(kinds: readonly string[], segments: readonly string[]): boolean {
  const [head, ...rest] = segments
  if (head === undefined) return false
  return kinds.some((kind) => {
    const field = FIELDS[kind]?.[head]
    if (field === undefined) return false
    if (field === 'ref') return rest.length === 0 || validFrom(ANY_REF, rest)
    if (rest.length === 0) return 'include' in field
    if ('embedded' in field) return validFrom([field.embedded], rest)
    const item = 'list' in field ? field.list : field.include
    return rest[0] === 'data' && validFrom([item], rest.slice(1))
  })
}

/** Looks up the object an id names; throws the right Stripe error when it cannot be read. */
export type Resolve = (id: string) => StoredObject

/**
 * Expands one checked path in place on `object` (which must be the caller's own copy). Ids become
 * copies of the stored objects; nulls and already-expanded objects are walked, never re-fetched.
 */
export function expandPath(
  object: Record<string, unknown>,
  kind: string,
  segments: readonly string[],
  resolve: Resolve,
): void {
  const [head, ...rest] = segments
  if (head === undefined) return
  const field = FIELDS[kind]?.[head]
  const value = object[head]
  if (field === undefined || value === null || value === undefined) return
  if (field === 'ref') {
    let target = value
    if (typeof value === 'string') {
      target = structuredClone(resolve(value))
      object[head] = target
    }
    if (rest.length > 0 && isRecord(target) && typeof target.object === 'string') {
      expandPath(target, target.object, rest, resolve)
    }
    return
  }
  if ('embedded' in field) {
    if (isRecord(value)) expandPath(value, field.embedded, rest, resolve)
    return
  }
  const itemKind = 'list' in field ? field.list : field.include
  if (isRecord(value) && Array.isArray(value.data)) {
    for (const item of value.data) {
      if (isRecord(item)) expandPath(item, itemKind, rest.slice(1), resolve)
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
