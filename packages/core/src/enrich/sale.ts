import { baseFields } from './base-fields.js'
import { type EnrichContext, lookupFailed, objectOf, type Unavailable } from './context.js'
import { resolveCustomer } from './customer.js'
import type { Money, ProductLine, SaleEvent } from './domain-events.js'
import {
  idOf,
  invoiceSubscriptionId,
  items,
  type Json,
  lineProduct,
  lineProductId,
  num,
  obj,
  str,
} from './fields.js'
import { type PaymentGroup, saleKey } from './payment-groups.js'
import { productLine } from './product-lines.js'
import { resolveSubscription } from './subscription-info.js'

/** The newest object of a kind among a group's events (a later `charge.updated` knows more). */
function latest(group: PaymentGroup, kind: string): Json | undefined {
  const objects = group.events.map(objectOf).filter((object) => object.object === kind)
  return objects.at(-1)
}

/**
 * The charge snapshot that knows most. Within one second Stripe's order is arbitrary, so "the last one"
 * can be a `charge.succeeded` without the balance transaction a `charge.updated` of the same second
 * carries: prefer a snapshot with its balance transaction, then one that is captured, then the newest
 * by `previous_attributes` (an update came after what it changed), then the latest event.
 */
function bestCharge(group: PaymentGroup): Json | undefined {
  const snapshots = group.events
    .map((event, order) => ({ event, object: objectOf(event), order }))
    .filter(({ object }) => object.object === 'charge')
  const rank = ({ event, object, order }: (typeof snapshots)[number]): number[] => [
    object.balance_transaction ? 1 : 0,
    object.captured === false ? 0 : 1,
    event.data.previous_attributes ? 1 : 0,
    event.created,
    order,
  ]
  const better = (a: number[], b: number[]): boolean => {
    for (let i = 0; i < a.length; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0)
    return false
  }
  let best: (typeof snapshots)[number] | undefined
  for (const snapshot of snapshots) if (!best || better(rank(snapshot), rank(best))) best = snapshot
  return best?.object
}

function amountOf(
  context: EnrichContext,
  charge?: Json,
  intent?: Json,
  invoice?: Json,
  session?: Json,
): Money | undefined {
  const candidates: Array<[unknown, unknown]> = [
    [charge?.amount_captured ?? charge?.amount, charge?.currency],
    [intent?.amount_received ?? intent?.amount, intent?.currency],
    [invoice?.amount_paid, invoice?.currency],
    [session?.amount_total, session?.currency],
  ]
  for (const [amount, currency] of candidates) {
    const value = num(amount)
    const code = str(currency)
    if (value !== undefined && value > 0 && code) return context.money(value, code)
  }
  return undefined
}

async function fees(
  charge: Json | undefined,
  intent: Json | undefined,
  context: EnrichContext,
  unavailable: Unavailable,
): Promise<{ fee?: Money; net?: Money }> {
  const chargeId = str(charge?.id) ?? idOf(intent?.latest_charge) ?? str(items(intent?.charges)[0]?.id)
  if (charge && charge.balance_transaction === null) {
    // Stripe sometimes creates it later and says so in a `charge.updated`: worth waiting for.
    lookupFailed(context, unavailable, 'fee', {
      reason: 'balance transaction not yet created',
      transient: true,
    })
    return {}
  }
  const btId = idOf(charge?.balance_transaction)
  if (!btId && !chargeId) {
    unavailable.fee = 'no charge to read the fee from'
    return {}
  }
  const result = await context.lookups.balanceTransaction(btId ? { id: btId } : { chargeId: chargeId ?? '' })
  if (!result.ok) {
    lookupFailed(context, unavailable, 'fee', result)
    return {}
  }
  const bt = result.value
  const currency = str(bt?.currency)
  const fee = num(bt?.fee)
  const net = num(bt?.net)
  if (!bt || !currency || fee === undefined || net === undefined) {
    lookupFailed(context, unavailable, 'fee', {
      reason: 'balance transaction not yet created',
      transient: true,
    })
    return {}
  }
  return { fee: context.money(fee, currency), net: context.money(net, currency) }
}

async function products(
  invoice: Json | undefined,
  context: EnrichContext,
  unavailable: Unavailable,
): Promise<ProductLine[]> {
  if (!invoice) return []
  let lines = items(invoice.lines)
  if (obj(invoice.lines)?.has_more === true) {
    const all = await context.lookups.invoiceLines(str(invoice.id) ?? '')
    if (all.ok) lines = all.value
    else lookupFailed(context, unavailable, 'products', all)
  }
  return Promise.all(
    lines.map((line) =>
      productLine(
        {
          productId: lineProductId(line),
          productName: str(lineProduct(line)?.name),
          fallbackName: str(line.description),
          quantity: num(line.quantity) ?? 1,
          amount: num(line.amount),
          currency: str(line.currency) ?? str(invoice.currency),
        },
        context,
        unavailable,
      ),
    ),
  )
}

/** The products of a Checkout payment without invoice: its line items, when the key may read them. */
async function checkoutProducts(
  session: Json,
  context: EnrichContext,
  unavailable: Unavailable,
): Promise<ProductLine[]> {
  const result = await context.lookups.checkoutLineItemsWithFee(str(session.id) ?? '')
  if (!result.ok) {
    lookupFailed(context, unavailable, 'products', result)
    return []
  }
  return Promise.all(
    result.value.map((item) =>
      productLine(
        {
          productId: idOf(obj(item.price)?.product),
          productName: str(obj(obj(item.price)?.product)?.name),
          fallbackName: str(item.description),
          quantity: num(item.quantity) ?? 1,
          amount: num(item.amount_total),
          currency: str(item.currency),
        },
        context,
      ),
    ),
  )
}

/** The invoice of a payment: from its events, or read by the id a payment object names. */
async function invoiceOf(group: PaymentGroup, context: EnrichContext, unavailable: Unavailable) {
  const invoice = latest(group, 'invoice')
  if (invoice) return invoice
  const id = [...group.ids].find((candidate) => candidate.startsWith('in_'))
  if (!id) return undefined
  const result = await context.lookups.invoice(id)
  if (result.ok) return result.value
  lookupFailed(context, unavailable, 'products', result)
  return undefined
}

/** One sale from the events of one payment; `undefined` when they prove no money moved. */
export async function buildSale(group: PaymentGroup, context: EnrichContext): Promise<SaleEvent | undefined> {
  const unavailable: Unavailable = {}
  const charge = bestCharge(group)
  const intent = latest(group, 'payment_intent')
  const session = latest(group, 'checkout.session')
  const invoice = await invoiceOf(group, context, unavailable)
  const amount = amountOf(context, charge, intent, invoice, session)
  if (!amount) return undefined
  const key = saleKey(group)
  const customerId =
    idOf(intent?.customer) ?? idOf(charge?.customer) ?? idOf(invoice?.customer) ?? idOf(session?.customer)
  // A Checkout sale's line items are read first: the same read brings its fee, which `fees` then finds cached.
  const checkout = !invoice && session ? checkoutProducts(session, context, unavailable) : undefined
  const [feeAndNet, customer, lines, subscription] = await Promise.all([
    checkout
      ? checkout.then(() => fees(charge, intent, context, unavailable))
      : fees(charge, intent, context, unavailable),
    resolveCustomer(customerId, [charge, session, invoice, intent], context, unavailable),
    checkout ?? products(invoice, context, unavailable),
    resolveSubscription(
      invoice ? invoiceSubscriptionId(invoice) : idOf(session?.subscription),
      context,
      unavailable,
    ),
  ])
  const paymentIntentId = [...group.ids].find((id) => id.startsWith('pi_'))
  const chargeId = str(charge?.id) ?? [...group.ids].find((id) => id.startsWith('ch_'))
  const invoiceId = str(invoice?.id)
  const description = str(intent?.description) ?? str(charge?.description)
  return {
    ...baseFields(
      'sale',
      key,
      group.events,
      context,
      paymentIntentId ? `payments/${paymentIntentId}` : `invoices/${invoiceId}`,
    ),
    unavailable,
    amount,
    ...feeAndNet,
    ...(customer ? { customer } : {}),
    products: lines,
    ...(subscription ? { subscription } : {}),
    ...(paymentIntentId ? { paymentIntentId } : {}),
    ...(chargeId ? { chargeId } : {}),
    ...(invoiceId ? { invoiceId } : {}),
    ...(description ? { description } : {}),
  }
}
