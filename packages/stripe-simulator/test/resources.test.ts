import type Stripe from 'stripe'
import { describe, expect, it } from 'vitest'
import { fixture } from '../src/fixtures/index.js'
import { ManualClock } from '../src/index.js'
import { errorOf, nth, rejection, startSimulator } from './helpers.js'

const S0 = Date.UTC(2025, 5, 1) / 1000

/** A simulator with one connected set of fixtures (customer, product, price, charge, invoice...). */
async function withObjects() {
  const context = await startSimulator({ clock: new ManualClock(S0 * 1000) })
  const store = context.sim.store(context.account.id, false)
  for (const name of [
    'customer',
    'product',
    'price',
    'balance_transaction',
    'payment_intent',
    'charge',
    'invoice',
    'subscription',
    'payout',
  ] as const) {
    store.add(fixture(name))
  }
  return { ...context, store, client: context.stripe(context.secret()) }
}

describe('list and retrieve endpoints', () => {
  it('serves every probe endpoint with limit=1, empty lists included', async () => {
    const { stripe, secret } = await startSimulator()
    const client = stripe(secret())
    for (const list of [
      client.customers.list({ limit: 1 }),
      client.invoices.list({ limit: 1 }),
      client.payouts.list({ limit: 1 }),
      client.subscriptions.list({ limit: 1 }),
      client.products.list({ limit: 1 }),
      client.prices.list({ limit: 1 }),
      client.balanceTransactions.list({ limit: 1 }),
      client.charges.list({ limit: 1 }),
      client.paymentIntents.list({ limit: 1 }),
      client.checkout.sessions.list({ limit: 1 }),
    ]) {
      const page = await list
      expect(page).toMatchObject({ object: 'list', data: [], has_more: false })
      expect(page.url).toMatch(/^\/v1\//)
    }
  })

  it('lists stored objects newest first with the common list parameters', async () => {
    const { sim, account, secret, stripe } = await startSimulator()
    const store = sim.store(account.id, false)
    for (let i = 0; i < 5; i++)
      store.add({ ...fixture('customer'), id: `cus_${i}`, created: S0 + i, email: `c${i}@example.com` })
    const client = stripe(secret())
    const page = await client.customers.list({ limit: 2, starting_after: 'cus_3' })
    expect(page.data.map((c) => c.id)).toEqual(['cus_2', 'cus_1'])
    expect(page.has_more).toBe(true)
    expect((await client.customers.list({ email: 'c4@example.com' })).data.map((c) => c.id)).toEqual([
      'cus_4',
    ])
    expect((await client.customers.list({ created: { lt: S0 + 2 } })).data.map((c) => c.id)).toEqual([
      'cus_1',
      'cus_0',
    ])
    const missing = await rejection(client.customers.list({ ending_before: 'cus_nope' }))
    expect(missing.message).toBe("No such customer: 'cus_nope'")
    expect(missing.param).toBe('ending_before')
  })

  it('retrieves by id and answers 404 resource_missing with param id otherwise', async () => {
    const { client } = await withObjects()
    const customer = fixture('customer')
    expect((await client.customers.retrieve(customer.id)).id).toBe(customer.id)
    const err = await rejection(client.invoices.retrieve('in_missing'))
    expect(err).toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
      param: 'id',
      message: "No such invoice: 'in_missing'",
    })
    const txn = await rejection(client.balanceTransactions.retrieve('txn_missing'))
    expect(txn.message).toBe("No such balance transaction: 'txn_missing'")
  })

  it('says when the object exists in the other mode, as Stripe does', async () => {
    const { sim, account, stripe, secret } = await startSimulator()
    sim.store(account.id, true).add(fixture('customer'))
    const err = await rejection(stripe(secret('test')).customers.retrieve(fixture('customer').id))
    expect(err.message).toBe(
      `No such customer: '${fixture('customer').id}'; a similar object exists in live mode, but a test mode key was used to make this request.`,
    )
  })

  it('applies the filters of each resource (invoices by current and legacy subscription field)', async () => {
    const { client, store } = await withObjects()
    const invoice = fixture('invoice')
    const subscriptionId = invoice.parent?.subscription_details?.subscription as string
    expect((await client.invoices.list({ subscription: subscriptionId })).data.map((i) => i.id)).toEqual([
      invoice.id,
    ])
    store.add({ ...invoice, id: 'in_legacy', parent: null, subscription: 'sub_legacy' })
    expect((await client.invoices.list({ subscription: 'sub_legacy' })).data.map((i) => i.id)).toEqual([
      'in_legacy',
    ])
    expect((await client.invoices.list({ status: 'draft' })).data).toEqual([])
    expect((await client.charges.list({ customer: fixture('customer').id })).data).toHaveLength(1)
    expect((await client.products.list({ ids: [fixture('product').id, 'prod_x'] })).data).toHaveLength(1)
    expect((await client.products.list({ active: false })).data).toHaveLength(0)
    expect((await client.prices.list({ product: fixture('product').id })).data).toHaveLength(1)
  })

  it('hides canceled subscriptions unless status is given, as Stripe does', async () => {
    const { client, store } = await withObjects()
    store.add({ ...fixture('subscription'), id: 'sub_canceled', status: 'canceled' })
    expect((await client.subscriptions.list()).data.map((s) => s.id)).toEqual([fixture('subscription').id])
    expect((await client.subscriptions.list({ status: 'canceled' })).data.map((s) => s.id)).toEqual([
      'sub_canceled',
    ])
    expect((await client.subscriptions.list({ status: 'all' })).data).toHaveLength(2)
    const byPrice = await client.subscriptions.list({ price: fixture('price').id })
    expect(byPrice.data.map((s) => s.id)).toEqual([fixture('subscription').id])
  })

  it('refuses real Stripe parameters it does not implement, rather than ignoring them', async () => {
    const { call, secret } = await startSimulator()
    const response = await call('/v1/customers?test_clock=clock_1', { key: secret() })
    expect(response.status).toBe(400)
    expect(await errorOf(response)).toMatchObject({ param: 'test_clock' })
  })

  it('expands ids into objects, several levels deep and in lists', async () => {
    const { client } = await withObjects()
    const charge = await client.charges.retrieve(fixture('charge').id, {
      expand: ['customer', 'balance_transaction', 'payment_intent.latest_charge'],
    })
    expect((charge.customer as Stripe.Customer).object).toBe('customer')
    expect((charge.balance_transaction as Stripe.BalanceTransaction).fee).toBe(59)
    const intent = charge.payment_intent as Stripe.PaymentIntent
    expect((intent.latest_charge as Stripe.Charge).id).toBe(fixture('charge').id)
    const invoices = await client.invoices.list({
      expand: ['data.customer', 'data.parent.subscription_details.subscription'],
    })
    const invoice = invoices.data[0] as Stripe.Invoice
    expect((invoice.customer as Stripe.Customer).email).toBe('jenny.rosen@example.com')
    const parentSubscription = invoice.parent?.subscription_details?.subscription as
      | Stripe.Subscription
      | undefined
    expect(parentSubscription?.object).toBe('subscription')
    const withLines = await client.invoices.retrieve(invoice.id, { expand: ['lines.data.subscription'] })
    expect((nth(withLines.lines.data, 0).subscription as Stripe.Subscription).object).toBe('subscription')
    const subscription = await client.subscriptions.retrieve(fixture('subscription').id, {
      expand: ['items.data.price.product'],
    })
    expect((nth(subscription.items.data, 0).price.product as Stripe.Product).name).toBe('T-shirt')
  })

  it("refuses what cannot be expanded, with Stripe's messages", async () => {
    const { client } = await withObjects()
    const notAField = await rejection(client.charges.retrieve(fixture('charge').id, { expand: ['metadata'] }))
    expect(notAField).toMatchObject({
      statusCode: 400,
      message: 'This property cannot be expanded (metadata).',
    })
    const listWithoutData = await rejection(client.charges.list({ expand: ['customer'] }))
    expect(listWithoutData.message).toBe(
      "This property cannot be expanded (customer). You may want to try expanding 'data.customer' instead.",
    )
    const tooDeep = await rejection(
      client.invoices.list({ expand: ['data.lines.data.pricing.price_details.price'] }),
    )
    expect(tooDeep.message).toBe('You cannot expand more than 4 levels of a property.')
    const eventObject = await rejection(client.events.list({ expand: ['data.data.object'] }))
    expect(eventObject.statusCode).toBe(400)
  })

  it('fails loudly when an expanded id is not in the store (a scenario bug, never silent)', async () => {
    const { sim, account, stripe, secret } = await startSimulator()
    sim.store(account.id, false).add(fixture('charge'))
    const err = await rejection(
      stripe(secret()).charges.retrieve(fixture('charge').id, { expand: ['customer'] }),
    )
    expect(err.statusCode).toBe(500)
    expect(err.message).toMatch(
      /\[stripe-simulator\] Cannot expand 'cus_.*': no such customer in the test-mode store/,
    )
  })

  it('copies objects in and out of the store', async () => {
    const { sim, account } = await startSimulator()
    const store = sim.store(account.id, false)
    const customer = fixture('customer')
    store.add(customer)
    customer.email = 'changed@example.com'
    const stored = store.get('customer', customer.id)
    expect(stored?.email).toBe('jenny.rosen@example.com')
    if (stored) stored.email = 'mutated@example.com'
    expect(store.get('customer', customer.id)?.email).toBe('jenny.rosen@example.com')
    store.update({ ...fixture('customer'), email: 'updated@example.com' })
    expect(store.list('customer').map((c) => c.email)).toEqual(['updated@example.com'])
    expect(() => store.add(fixture('customer'))).toThrow(/already exists/)
    expect(store.remove('customer', customer.id)).toBe(true)
    expect(store.list('customer')).toEqual([])
  })
})
