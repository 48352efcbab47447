import { describe, expect, it } from 'vitest'
import { nth } from './helpers.js'
import { eventOf, JULY_1, objectOf, startShop, subscribed, T0, typesOf } from './scenario-helpers.js'

const DAY = 86_400

describe('Business.subscribe and renew', () => {
  it('creates the subscription, its first invoice and payment, all retrievable and linked', async () => {
    const { sub, client, customer, product, price } = await subscribed()
    expect(typesOf(sub.events)).toEqual([
      'customer.subscription.created',
      'invoice.created',
      'invoice.finalized',
      'payment_intent.created',
      'charge.succeeded',
      'payment_intent.succeeded',
      'invoice.paid',
      'invoice.payment_succeeded',
      'invoice_payment.paid',
    ])
    const subscription = await client.subscriptions.retrieve(sub.subscription.id)
    const item = nth(subscription.items.data, 0)
    expect(subscription).toMatchObject({
      status: 'active',
      customer: customer.id,
      latest_invoice: sub.invoice.id,
    })
    expect(subscription.id).toMatch(/^sub_/)
    expect(item.id).toMatch(/^si_\w{14}$/)
    expect(item).toMatchObject({
      current_period_start: T0,
      current_period_end: JULY_1,
      price: { id: price.id },
    })
    const invoice = await client.invoices.retrieve(sub.invoice.id)
    expect(invoice).toMatchObject({
      billing_reason: 'subscription_create',
      status: 'paid',
      amount_paid: 4900,
      parent: { type: 'subscription_details', subscription_details: { subscription: subscription.id } },
    })
    expect(nth(invoice.lines.data, 0)).toMatchObject({
      description: '1 × Pro plan (at $49.00 / month)',
      period: { start: T0, end: JULY_1 },
      pricing: { price_details: { price: price.id, product: product.id } },
      parent: { subscription_item_details: { subscription: subscription.id, subscription_item: item.id } },
    })
    expect(sub.paymentIntent).toMatchObject({ description: 'Subscription creation', customer: customer.id })
    expect((await client.charges.retrieve(sub.charge?.id ?? '')).payment_intent).toBe(sub.paymentIntent?.id)
  })

  it('through Checkout (subscription mode): checkout.session.completed names the subscription and invoice', async () => {
    const { shop, client } = await startShop()
    const jane = shop.customer({ email: 'jane@example.com', country: 'CA' })
    const { price, product } = shop.product({
      name: 'Team',
      unitAmount: 9900,
      currency: 'cad',
      recurring: { interval: 'year' },
    })
    const sub = shop.subscribe({ customer: jane, price, checkout: true })
    const session = sub.checkoutSession
    if (session === undefined) throw new Error('Expected a checkout session')
    expect(typesOf(sub.events).at(-1)).toBe('checkout.session.completed')
    expect(objectOf(sub.events, 'checkout.session.completed')).toMatchObject({
      mode: 'subscription',
      payment_intent: null,
      subscription: sub.subscription.id,
      invoice: sub.invoice.id,
      customer: jane.id,
      amount_total: 9900,
      customer_details: { email: 'jane@example.com', address: { country: 'CA' } },
    })
    const items = await client.checkout.sessions.listLineItems(session.id)
    expect(nth(items.data, 0)).toMatchObject({
      description: 'Team',
      price: { id: price.id, product: product.id },
    })
    expect(nth(sub.subscription.items.data, 0).current_period_end).toBe(Date.UTC(2026, 5, 1) / 1000)
  })

  it('renews: a subscription_cycle invoice, its payment, and the period change in previous_attributes', async () => {
    const { shop, sub, client, clock } = await subscribed()
    expect(() => shop.renew(sub.subscription)).toThrow(
      `Subscription ${sub.subscription.id}'s period ends at 2025-07-01T00:00:00Z, after the simulator clock (2025-06-01T00:00:00Z). Advance the clock to it, or pass \`at\`.`,
    )
    clock.set(JULY_1 * 1000)
    const renewal = shop.renew(sub.subscription)
    expect(typesOf(renewal.events)).toEqual([
      'invoice.created',
      'customer.subscription.updated',
      'invoice.finalized',
      'payment_intent.created',
      'charge.succeeded',
      'payment_intent.succeeded',
      'invoice.paid',
      'invoice.payment_succeeded',
      'invoice_payment.paid',
    ])
    expect(nth(renewal.events, 0).created).toBe(JULY_1)
    const updated = eventOf(renewal.events, 'customer.subscription.updated')
    expect(updated.data.previous_attributes).toMatchObject({
      latest_invoice: sub.invoice.id,
      items: { data: [{ current_period_start: T0, current_period_end: JULY_1 }] },
    })
    expect(renewal.invoice).toMatchObject({
      billing_reason: 'subscription_cycle',
      period_start: T0,
      period_end: JULY_1,
    })
    expect(nth(renewal.invoice.lines.data, 0).period).toEqual({
      start: JULY_1,
      end: Date.UTC(2025, 7, 1) / 1000,
    })
    expect(renewal.paymentIntent?.description).toBe('Subscription update')
    const invoices = await client.invoices.list({ subscription: sub.subscription.id })
    expect(invoices.data.map((invoice) => invoice.number)).toEqual([
      renewal.invoice.number,
      sub.invoice.number,
    ])
    expect(renewal.invoice.number).toMatch(/-0002$/)
  })

  it('renders invoices, lines, subscriptions and payments at pre-basil versions, in events and on GET', async () => {
    const { shop, sub, client, price, clock } = await subscribed({ apiVersion: '2024-06-20' })
    clock.set(JULY_1 * 1000)
    const renewal = shop.renew(sub.subscription)
    for (const event of renewal.events) expect(event.api_version).toBe('2024-06-20')
    const paid = objectOf(renewal.events, 'invoice.paid')
    expect(paid).toMatchObject({
      charge: renewal.charge?.id,
      payment_intent: renewal.paymentIntent?.id,
      subscription: sub.subscription.id,
      paid: true,
      subscription_details: { metadata: {} },
      rendering: null, // `rendering_options` before 2024-04-10
    })
    for (const field of ['parent', 'payments', 'amount_overpaid', 'total_taxes', 'rendering_options']) {
      expect(paid).not.toHaveProperty(field)
    }
    const line = nth((paid.lines as { data: Record<string, unknown>[] }).data, 0)
    expect(line).toMatchObject({
      type: 'subscription',
      subscription: sub.subscription.id,
      price: { id: price.id, object: 'price', unit_amount: 4900 },
      plan: { id: price.id, object: 'plan', amount: 4900, interval: 'month' },
      proration: false,
    })
    for (const field of ['parent', 'pricing', 'taxes', 'subtotal']) expect(line).not.toHaveProperty(field)
    expect(objectOf(renewal.events, 'invoice.finalized')).toMatchObject({
      payment_intent: renewal.paymentIntent?.id,
      charge: null,
      paid: false,
    })
    expect(objectOf(renewal.events, 'invoice.created')).toMatchObject({ payment_intent: null, charge: null })
    expect(objectOf(renewal.events, 'charge.succeeded')).toMatchObject({ invoice: renewal.invoice.id })
    const previous = eventOf(renewal.events, 'customer.subscription.updated').data.previous_attributes
    expect(previous).toEqual({
      latest_invoice: sub.invoice.id,
      current_period_start: T0,
      current_period_end: JULY_1,
    })
    const subObject = objectOf(renewal.events, 'customer.subscription.updated')
    expect(subObject).toMatchObject({ current_period_start: JULY_1, discount: null })
    expect(nth((subObject.items as { data: object[] }).data, 0)).not.toHaveProperty('current_period_end')

    // GET renders at the request's version; the account's stays current.
    const old = { apiVersion: '2024-06-20' }
    const got = (await client.invoices.retrieve(renewal.invoice.id, {}, old)) as unknown as Record<
      string,
      unknown
    >
    expect(got).toMatchObject({ charge: renewal.charge?.id, subscription: sub.subscription.id, paid: true })
    const current = await client.invoices.retrieve(renewal.invoice.id)
    expect(current).not.toHaveProperty('charge')
    expect(current.parent?.subscription_details?.subscription).toBe(sub.subscription.id)
    const expandedCharge = (await client.invoices.retrieve(
      renewal.invoice.id,
      { expand: ['charge'] },
      old,
    )) as unknown
    expect(expandedCharge).toMatchObject({ charge: { id: renewal.charge?.id, invoice: renewal.invoice.id } })
    const oldPayments = await client.invoices
      .retrieve(renewal.invoice.id, { expand: ['payments'] }, old)
      .catch((e) => e)
    expect(oldPayments).toMatchObject({
      statusCode: 400,
      message: 'This property cannot be expanded (payments).',
    })
    const subscription = (await client.subscriptions.retrieve(sub.subscription.id, {}, old)) as unknown
    expect(subscription).toMatchObject({ current_period_end: Date.UTC(2025, 7, 1) / 1000 })
  })

  it('renders basil (2025-03-31) and current shapes: parent and pricing on lines, which keep subscription', async () => {
    const basil = await subscribed({ apiVersion: '2025-03-31.basil' })
    const invoice = objectOf(basil.sub.events, 'invoice.paid')
    for (const field of ['charge', 'payment_intent', 'paid', 'subscription', 'payments']) {
      expect(invoice).not.toHaveProperty(field)
    }
    expect(invoice).toMatchObject({
      parent: { subscription_details: { subscription: basil.sub.subscription.id } },
    })
    const line = nth((invoice.lines as { data: Record<string, unknown>[] }).data, 0)
    expect(line).toMatchObject({
      pricing: { price_details: { price: basil.price.id, product: basil.product.id } },
    })
    // Basil removed price, plan, subscription_item... from lines, not `subscription` (stripe-node 18's changelog).
    expect(line).toMatchObject({ subscription: basil.sub.subscription.id })
    for (const field of ['price', 'plan', 'subscription_item', 'subtotal'])
      expect(line).not.toHaveProperty(field)
    expect(objectOf(basil.sub.events, 'charge.succeeded')).not.toHaveProperty('invoice')
    expect(objectOf(basil.sub.events, 'payment_intent.succeeded')).not.toHaveProperty('invoice')

    const current = await subscribed()
    const currentLine = nth(current.sub.invoice.lines.data, 0)
    expect(objectOf(current.sub.events, 'invoice.paid').lines).toMatchObject({
      data: [{ subscription: current.sub.subscription.id, subtotal: 4900 }],
    })
    // `price_details.price` is expandable from 2025-12-15.clover on.
    const lines = await current.client.invoices.listLineItems(current.sub.invoice.id, {
      expand: ['data.pricing.price_details.price'],
    })
    expect(nth(lines.data, 0).pricing?.price_details?.price).toMatchObject({
      id: current.price.id,
      unit_amount: 4900,
    })
    const refused = await current.client.invoices
      .listLineItems(
        current.sub.invoice.id,
        { expand: ['data.pricing.price_details.price'] },
        { apiVersion: '2025-03-31.basil' },
      )
      .catch((e) => e)
    expect(refused).toMatchObject({ statusCode: 400 })
    expect(currentLine.id).toMatch(/^il_/)
  })

  it('with a trial: a $0 invoice, trial_will_end three days before, and a paid renewal that ends the trial', async () => {
    const { shop, sub, clock } = await subscribed({ trialDays: 14 })
    expect(typesOf(sub.events)).toEqual([
      'customer.subscription.created',
      'invoice.created',
      'invoice.finalized',
      'invoice.paid',
      'invoice.payment_succeeded',
    ])
    expect(sub.paymentIntent).toBeUndefined()
    expect(sub.subscription).toMatchObject({ status: 'trialing', trial_start: T0, trial_end: T0 + 14 * DAY })
    expect(sub.invoice).toMatchObject({ amount_due: 0, status: 'paid' })
    expect(nth(sub.invoice.lines.data, 0).description).toBe('Trial period for Pro plan')

    expect(() => shop.trialWillEnd(sub.subscription)).toThrow(/trial_will_end is due at 2025-06-12T00:00:00Z/)
    clock.set((T0 + 11 * DAY) * 1000)
    const warning = shop.trialWillEnd(sub.subscription)
    expect(typesOf(warning.events)).toEqual(['customer.subscription.trial_will_end'])
    expect(nth(warning.events, 0).created).toBe(T0 + 11 * DAY)

    clock.set((T0 + 14 * DAY) * 1000)
    const renewal = shop.renew(sub.subscription)
    expect(nth(renewal.events, 0).created).toBe(T0 + 14 * DAY)
    expect(renewal.subscription.status).toBe('active')
    expect(renewal.invoice).toMatchObject({ amount_paid: 4900, billing_reason: 'subscription_cycle' })
    expect(eventOf(renewal.events, 'customer.subscription.updated').data.previous_attributes).toMatchObject({
      status: 'trialing',
    })
    expect(() => shop.trialWillEnd(renewal.subscription)).toThrow(/not trialing/)
  })
})
