import type Stripe from 'stripe'

/** What the naive enricher read: Stripe calls, and the payments (`charge.succeeded`) it made sales of. */
export interface NaiveEnrichment {
  readonly calls: number
  readonly payments: number
}

/**
 * The baseline a careful first version writes, per payment and without a cache: each `charge.succeeded`
 * reads its fee (balance transaction) and its customer, if it has one; each `invoice.paid` reads the
 * product of each line and its subscription; each `checkout.session.completed` lists its line items.
 * Other events are read for nothing. `between` runs after each call (a clock to move, on fake time).
 */
export async function naiveEnrich(
  stripe: Stripe,
  events: readonly Stripe.Event[],
  between: () => Promise<void> = async () => undefined,
): Promise<NaiveEnrichment> {
  let calls = 0
  let payments = 0
  const call = async (work: () => Promise<unknown>): Promise<void> => {
    calls++
    await work().catch(() => undefined)
    await between()
  }
  for (const event of events) {
    if (event.type === 'charge.succeeded') {
      payments++
      const { balance_transaction: bt, customer } = event.data.object
      if (typeof bt === 'string') await call(() => stripe.balanceTransactions.retrieve(bt))
      if (typeof customer === 'string') await call(() => stripe.customers.retrieve(customer))
    } else if (event.type === 'invoice.paid') {
      const invoice = event.data.object
      for (const line of invoice.lines.data) {
        const product = line.pricing?.price_details?.product
        if (typeof product === 'string') await call(() => stripe.products.retrieve(product))
      }
      const subscription = invoice.parent?.subscription_details?.subscription
      if (typeof subscription === 'string') await call(() => stripe.subscriptions.retrieve(subscription))
    } else if (event.type === 'checkout.session.completed') {
      const session = event.data.object.id
      await call(() => stripe.checkout.sessions.listLineItems(session))
    }
  }
  return { calls, payments }
}
