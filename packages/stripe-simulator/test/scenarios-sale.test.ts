import { describe, expect, it } from 'vitest'
import { errorOf, nth, rejection } from './helpers.js'
import { objectOf, startShop, T0, typesOf } from './scenario-helpers.js'

describe('Business.sale', () => {
  it('makes a payment intent, a charge and its balance transaction, with their events', async () => {
    const { shop, client } = await startShop()
    const jane = shop.customer({ email: 'jane@example.com', name: 'Jane Doe', country: 'DE' })
    const sale = shop.sale({ customer: jane, amount: 2000, currency: 'usd', description: 'Consulting' })

    expect(typesOf(sale.events)).toEqual([
      'payment_intent.created',
      'charge.succeeded',
      'payment_intent.succeeded',
    ])
    expect(sale.events.map((event) => event.created)).toEqual([T0, T0 + 1, T0 + 1])
    expect(sale.invoice).toBeUndefined()
    expect(sale.paymentIntent.id).toMatch(/^pi_\w{24}$/)
    expect(sale.charge.id).toMatch(/^ch_\w{24}$/)
    expect(sale.balanceTransaction.id).toMatch(/^txn_\w{24}$/)

    const pi = await client.paymentIntents.retrieve(sale.paymentIntent.id)
    expect(pi).toMatchObject({ status: 'succeeded', amount_received: 2000, latest_charge: sale.charge.id })
    const charge = await client.charges.retrieve(sale.charge.id)
    expect(charge).toMatchObject({
      payment_intent: pi.id,
      customer: jane.id,
      balance_transaction: sale.balanceTransaction.id,
      billing_details: { email: 'jane@example.com', name: 'Jane Doe', address: { country: 'DE' } },
      payment_method_details: { type: 'card', card: { country: 'DE', brand: 'visa', last4: '4242' } },
    })
    const bt = await client.balanceTransactions.retrieve(sale.balanceTransaction.id)
    // 2.9% + 30¢: 58 + 30.
    expect(bt).toMatchObject({ amount: 2000, fee: 88, net: 1912, source: charge.id, type: 'charge' })
    expect(bt.fee_details).toEqual([
      {
        amount: 88,
        application: null,
        currency: 'usd',
        description: 'Stripe processing fees',
        type: 'stripe_fee',
      },
    ])
    expect(objectOf(sale.events, 'charge.succeeded')).toMatchObject({
      id: charge.id,
      balance_transaction: bt.id,
    })

    // Newest first, after the customer.created of the same second.
    const listed = await client.events.list({ limit: 10 })
    expect(listed.data.map((event) => event.type)).toEqual([
      'payment_intent.succeeded',
      'charge.succeeded',
      'payment_intent.created',
      'customer.created',
    ])
    expect(listed.data.slice(0, 3).map((event) => event.id)).toEqual(
      [...sale.events].reverse().map((e) => e.id),
    )
    expect((await client.customers.retrieve(jane.id)) as unknown).toMatchObject({
      address: { country: 'DE' },
    })
  })

  it('with items and a customer, is a paid one-off invoice whose lines name price and product', async () => {
    const { shop, client, sim, account, stripe } = await startShop()
    const jane = shop.customer({ email: 'jane@example.com', name: 'Jane Doe', country: 'US' })
    const { product, price } = shop.product({ name: 'T-shirt', unitAmount: 2500, currency: 'usd' })
    const sale = shop.sale({ customer: jane, items: [{ price, quantity: 2 }] })
    const invoice = sale.invoice
    if (invoice === undefined) throw new Error('Expected an invoice')

    expect(typesOf(sale.events)).toEqual([
      'invoice.created',
      'invoice.finalized',
      'payment_intent.created',
      'charge.succeeded',
      'payment_intent.succeeded',
      'invoice.paid',
      'invoice.payment_succeeded',
      'invoice_payment.paid',
    ])
    expect(objectOf(sale.events, 'invoice.created')).toMatchObject({ status: 'draft', number: null })
    expect(objectOf(sale.events, 'invoice.finalized')).toMatchObject({ status: 'open', amount_paid: 0 })
    expect(objectOf(sale.events, 'invoice.paid')).toMatchObject({ status: 'paid', amount_paid: 5000 })
    expect(objectOf(sale.events, 'invoice.paid')).not.toHaveProperty('payments')

    const got = await client.invoices.retrieve(invoice.id)
    expect(got).toMatchObject({
      status: 'paid',
      billing_reason: 'manual',
      customer: jane.id,
      customer_email: 'jane@example.com',
      customer_name: 'Jane Doe',
      customer_address: { country: 'US' },
      amount_paid: 5000,
      number: `${jane.invoice_prefix}-0001`,
      parent: null,
    })
    const line = nth(got.lines.data, 0)
    expect(line.id).toMatch(/^il_/)
    expect(line).toMatchObject({
      amount: 5000,
      quantity: 2,
      description: 'T-shirt',
      pricing: { type: 'price_details', price_details: { price: price.id, product: product.id } },
      parent: { type: 'invoice_item_details', invoice_item_details: { subscription: null } },
    })
    expect((await client.invoices.listLineItems(invoice.id)).data.map((l) => l.id)).toEqual([line.id])
    expect((await client.products.retrieve(product.id)).name).toBe('T-shirt')
    expect(sale.paymentIntent.description).toBe('Payment for Invoice')

    // The includable `payments` list and the invoice payments endpoint (2025-03-31.basil and newer).
    const withPayments = await client.invoices.retrieve(invoice.id, {
      expand: ['payments.data.payment.payment_intent'],
    })
    const payment = nth(withPayments.payments?.data ?? [], 0)
    expect(payment).toMatchObject({ status: 'paid', amount_paid: 5000, is_default: true })
    expect(payment.payment.payment_intent).toMatchObject({
      id: sale.paymentIntent.id,
      latest_charge: sale.charge.id,
    })
    const byIntent = await client.invoicePayments.list({
      payment: { type: 'payment_intent', payment_intent: sale.paymentIntent.id },
    })
    expect(byIntent.data.map((p) => p.invoice)).toEqual([invoice.id])
    expect(payment.id).toMatch(/^inpay_/)

    // Invoice lines need the invoice permission; expanding their price needs the price permission.
    const key = sim.createKey({
      account: account.id,
      kind: 'restricted',
      mode: 'test',
      permissions: ['rak_invoice_read'],
    })
    const restricted = stripe(key)
    expect((await restricted.invoices.listLineItems(invoice.id)).data).toHaveLength(1)
    const denied = await rejection(
      restricted.invoices.listLineItems(invoice.id, { expand: ['data.pricing.price_details.price'] }),
    )
    expect(denied.statusCode).toBe(403)
    expect(denied.message).toContain('rak_price_read')
  })

  it('with checkout, completes a Checkout Session whose line items come through expand or their endpoint', async () => {
    const { shop, client, sim, account, call } = await startShop()
    const { product, price } = shop.product({ name: 'E-book', unitAmount: 1500, currency: 'eur' })
    const sale = shop.sale({
      items: [{ price }],
      checkout: true,
      guest: { email: 'guest@example.com', name: 'Gus Guest', country: 'FR' },
    })
    const session = sale.checkoutSession
    if (session === undefined) throw new Error('Expected a checkout session')
    expect(sale.invoice).toBeUndefined()
    expect(session.id).toMatch(/^cs_test_a1\w{56}$/)
    expect(typesOf(sale.events)).toEqual([
      'payment_intent.created',
      'charge.succeeded',
      'payment_intent.succeeded',
      'checkout.session.completed',
    ])
    const completed = objectOf(sale.events, 'checkout.session.completed')
    expect(completed).toMatchObject({
      status: 'complete',
      payment_status: 'paid',
      customer: null,
      payment_intent: sale.paymentIntent.id,
      amount_total: 1500,
      currency: 'eur',
      customer_details: { email: 'guest@example.com', name: 'Gus Guest', address: { country: 'FR' } },
    })
    expect(completed).not.toHaveProperty('line_items')
    expect(sale.charge).toMatchObject({ customer: null, billing_details: { email: 'guest@example.com' } })
    // EEA cards: 1.5% + €0.25.
    expect(sale.balanceTransaction).toMatchObject({ fee: 48, net: 1452, currency: 'eur' })

    const plain = await client.checkout.sessions.retrieve(session.id)
    expect(plain).not.toHaveProperty('line_items')
    const expanded = await client.checkout.sessions.retrieve(session.id, {
      expand: ['line_items.data.price.product'],
    })
    const item = nth(expanded.line_items?.data ?? [], 0)
    expect(item).toMatchObject({ object: 'item', description: 'E-book', amount_total: 1500, quantity: 1 })
    expect(item.price?.product).toMatchObject({ id: product.id, name: 'E-book' })
    const listed = await client.checkout.sessions.listLineItems(session.id, {
      expand: ['data.price.product'],
    })
    expect(listed.data.map((i) => i.id)).toEqual([item.id])
    expect(listed.url).toBe(`/v1/checkout/sessions/${session.id}/line_items`)

    const key = sim.createKey({
      account: account.id,
      kind: 'restricted',
      mode: 'test',
      permissions: ['rak_checkout_session_read'],
    })
    expect((await call(`/v1/checkout/sessions/${session.id}/line_items`, { key })).status).toBe(200)
    const denied = await call(`/v1/checkout/sessions/${session.id}/line_items?expand[]=data.price.product`, {
      key,
    })
    expect(denied.status).toBe(403)
    expect((await errorOf(denied)).message).toContain('rak_product_read')
  })

  it('shows the first 10 line items of an expanded session, as Stripe does, and every one through their endpoint', async () => {
    const { shop, client } = await startShop()
    const prices = Array.from(
      { length: 12 },
      (_, i) => shop.product({ name: `Item ${i}`, unitAmount: 100 + i, currency: 'usd' }).price,
    )
    const guest = { email: 'guest@example.com' }
    const sale = shop.sale({ items: prices.map((price) => ({ price })), checkout: true, guest })
    const id = sale.checkoutSession?.id ?? ''
    const expanded = await client.checkout.sessions.retrieve(id, {
      expand: ['line_items', 'payment_intent.latest_charge.balance_transaction'],
    })
    expect(expanded.line_items?.data.map((item) => item.description)).toEqual(
      prices.slice(0, 10).map((_, i) => `Item ${i}`),
    )
    expect(expanded.line_items?.has_more).toBe(true)
    const listed = await client.checkout.sessions.listLineItems(id, { limit: 100 })
    expect(listed.data).toHaveLength(12)
    expect(listed.has_more).toBe(false)
    // A secret key expands through the payment to its fee.
    const intent = expanded.payment_intent as { latest_charge: { balance_transaction: { fee: number } } }
    expect(intent.latest_charge.balance_transaction.fee).toBe(sale.balanceTransaction?.fee)
  })

  it('counts zero-decimal (JPY) amounts in yen and three-decimal (KWD) ones in fils, multiples of 10', async () => {
    const { shop, client } = await startShop()
    const ken = shop.customer({ email: 'ken@example.jp', country: 'JP' })
    const { price: yen } = shop.product({ name: 'Bento', unitAmount: 4900, currency: 'jpy' })
    const jpy = shop.sale({ customer: ken, items: [{ price: yen }] })
    expect(jpy.charge).toMatchObject({ amount: 4900, currency: 'jpy' })
    // Japan: 3.6%, no fixed fee.
    expect(jpy.balanceTransaction).toMatchObject({ fee: 176, net: 4724 })
    expect((await client.invoices.retrieve(jpy.invoice?.id ?? '')).amount_paid).toBe(4900)

    const { price: fils } = shop.product({ name: 'Dates', unitAmount: 4500, currency: 'kwd' })
    const kwd = shop.sale({ customer: ken, items: [{ price: fils }] })
    expect(kwd.charge).toMatchObject({ amount: 4500, currency: 'kwd' })
    expect(kwd.balanceTransaction.fee % 10).toBe(0)
    expect(kwd.balanceTransaction).toMatchObject({ fee: 230, net: 4270 })
    expect(() => shop.product({ name: 'Odd', unitAmount: 4505, currency: 'kwd' })).toThrow(/multiple of 10/)
    expect(() => shop.sale({ amount: 12.5, currency: 'usd' })).toThrow(/positive integer/)
  })

  it('refuses sales Stripe could not make', async () => {
    const { shop } = await startShop()
    const { price } = shop.product({ name: 'Mug', unitAmount: 1200, currency: 'usd' })
    const { price: euro } = shop.product({ name: 'Cup', unitAmount: 900, currency: 'eur' })
    expect(() => shop.sale({ items: [{ price }] })).toThrow(/needs a `customer`/)
    expect(() => shop.sale({ items: [{ price }], checkout: true })).toThrow(/`customer` or a `guest`/)
    expect(() => shop.sale({ amount: 500, checkout: true, guest: { email: 'a@b.c' } })).toThrow(
      /needs `items`/,
    )
    expect(() =>
      shop.sale({ items: [{ price }, { price: euro }], checkout: true, guest: { email: 'a@b.c' } }),
    ).toThrow(/one currency/)
    expect(() =>
      shop.sale({ items: [{ price: 'price_missing' }], checkout: true, guest: { email: 'a@b.c' } }),
    ).toThrow(/No price 'price_missing'/)
  })
})
