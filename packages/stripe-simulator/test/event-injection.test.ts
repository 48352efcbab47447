import { describe, expect, it } from 'vitest'
import { objectKindsOf } from '../src/event-kinds.js'
import { fixture } from '../src/fixtures/index.js'
import { StripeSimulator } from '../src/index.js'

function simulator() {
  const sim = new StripeSimulator({ seed: 4 })
  const account = sim.createAccount({ apiVersion: '2024-06-20' })
  return { sim, account, store: sim.store(account.id, false), live: sim.store(account.id, true) }
}

/** A raw event as `store.add` takes it, for the test of every field. */
function rawEvent(overrides: Record<string, unknown> = {}) {
  return {
    id: 'evt_1Raw',
    object: 'event',
    api_version: '2024-06-20',
    created: 1_750_000_000,
    data: { object: { ...fixture('charge'), livemode: false } },
    livemode: false,
    pending_webhooks: 0,
    request: { id: null, idempotency_key: null },
    type: 'charge.succeeded',
    ...overrides,
  }
}

describe('events Stripe would never send are refused where they are injected', () => {
  it('refuses an event without an evt_ id, and one whose data.object has no id', () => {
    const { sim, account, store } = simulator()
    const { id: _id, ...withoutId } = rawEvent()
    expect(() => store.add(withoutId as never)).toThrow(
      "[stripe-simulator] Refused event: Expected an event id like 'evt_1AbC...', got nothing.",
    )
    expect(() =>
      sim.createEvent({
        account: account.id,
        livemode: false,
        type: 'charge.succeeded',
        object: { object: 'charge' },
      }),
    ).toThrow('The charge in event')
    expect(store.list('event')).toEqual([])
  })

  it('refuses a charge.succeeded whose data.object is an invoice, and says what the type carries', () => {
    const { sim, account } = simulator()
    expect(() =>
      sim.createEvent({
        account: account.id,
        livemode: false,
        type: 'charge.succeeded',
        object: fixture('invoice'),
      }),
    ).toThrow(
      'Refused event: A `charge.succeeded` event carries an object of kind \'charge\' in `data.object`, got "invoice"',
    )
    expect(() =>
      sim.createEvent({
        account: account.id,
        livemode: false,
        type: 'charge.dispute.created',
        object: fixture('charge'),
      }),
    ).toThrow("kind 'dispute'")
    expect(() =>
      sim.createEvent({
        account: account.id,
        livemode: false,
        type: 'charge.succeeded',
        object: { id: 'ch_1' },
      }),
    ).toThrow('got nothing')
  })

  it('refuses a livemode that differs from the data the event is stored under, or from its object', () => {
    const { sim, account, store, live } = simulator()
    expect(() => store.add(rawEvent({ livemode: true }) as never)).toThrow(
      'Event evt_1Raw says livemode: true but would be stored with the test-mode data.',
    )
    expect(() => live.add(rawEvent() as never)).toThrow('would be stored with the live-mode data')
    const testCharge = { ...fixture('charge'), livemode: false }
    expect(() =>
      sim.createEvent({ account: account.id, livemode: true, type: 'charge.succeeded', object: testCharge }),
    ).toThrow('is live mode, but its charge says livemode: false')
    expect(live.list('event')).toEqual([])
  })

  it('refuses an event type at an API version that does not have it', () => {
    const { sim, account, store } = simulator()
    const payment = fixture('invoice_payment')
    expect(() =>
      sim.createEvent({
        account: account.id,
        livemode: false,
        type: 'invoice_payment.paid',
        object: payment,
      }),
    ).toThrow('Stripe has no `invoice_payment.paid` events at API version 2024-06-20.')
    const paid = sim.createEvent({
      account: account.id,
      livemode: false,
      type: 'invoice_payment.paid',
      object: payment,
      apiVersion: '2025-03-31.basil',
    })
    expect(paid.type).toBe('invoice_payment.paid')
    expect(() => store.add(rawEvent({ api_version: 'last week' }) as never)).toThrow(
      "like '2025-03-31.basil'",
    )
  })

  it('stores what Stripe does send, through createEvent and the store alike', () => {
    const { sim, account, store } = simulator()
    store.add(rawEvent() as never)
    sim.createEvent({
      account: account.id,
      livemode: false,
      type: 'charge.dispute.created',
      object: fixture('dispute'),
    })
    sim.createEvent({
      account: account.id,
      livemode: false,
      type: 'balance.available',
      object: fixture('balance'),
    })
    sim.createEvent({
      account: account.id,
      livemode: false,
      type: 'widget.created',
      object: { id: 'wd_1', object: 'widget' },
    })
    expect(store.list('event').map((event) => event.type)).toEqual([
      'widget.created',
      'balance.available',
      'charge.dispute.created',
      'charge.succeeded',
    ])
  })

  it('names the object kind of event types after stripe-node: nested resources, Issuing and Checkout', () => {
    expect(objectKindsOf('charge.dispute.funds_withdrawn')).toEqual(['dispute'])
    expect(objectKindsOf('charge.refund.updated')).toEqual(['refund'])
    expect(objectKindsOf('customer.subscription.trial_will_end')).toEqual(['subscription'])
    expect(objectKindsOf('checkout.session.completed')).toEqual(['checkout.session'])
    expect(objectKindsOf('issuing_card.created')).toEqual(['issuing.card'])
    expect(objectKindsOf('invoice.payment_succeeded')).toEqual(['invoice'])
    expect(objectKindsOf('payment_intent.amount_capturable_updated')).toEqual(['payment_intent'])
    expect(objectKindsOf('source.mandate_notification')).toEqual(['source_mandate_notification'])
  })
})
