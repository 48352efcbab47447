import { describe, expect, it } from 'vitest'
import { VERSION_CHANGES } from '../src/index.js'
import { FIELD_ADDITIONS } from '../src/render/additions.js'
import { EVENT_TYPES_SINCE, existsAt } from '../src/render/changes.js'
import { previousAttributes, renderAt } from '../src/render/render.js'
import { atLeast, type RenderSource, requestedVersion } from '../src/render/versions.js'

const empty: RenderSource = { get: () => undefined, list: () => [] }

/** The date before a version's (`2024-12-18.acacia` gives `2024-12-17`). */
const dayBefore = (version: string): string =>
  new Date(Date.parse(version.slice(0, 10)) - 86_400_000).toISOString().slice(0, 10)

describe('API version rendering', () => {
  it('lists the version changes newest first, so each downgrade sees the shape its version left', () => {
    const dates = VERSION_CHANGES.map((change) => change.version.slice(0, 10))
    expect(dates).toEqual([...dates].sort().reverse())
    for (const change of VERSION_CHANGES) expect(change.version).toMatch(/^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$/)
    expect(new Set(VERSION_CHANGES.map((change) => change.kind))).toEqual(
      new Set([
        'account',
        'balance_transaction',
        'charge',
        'checkout.session',
        'customer',
        'dispute',
        'invoice',
        'item',
        'line_item',
        'payment_intent',
        'payout',
        'plan',
        'price',
        'product',
        'refund',
        'subscription',
        'subscription_item',
      ]),
    )
  })

  it('compares versions by date and reads the request header without preview flags', () => {
    expect(atLeast('2025-03-31.basil', '2025-03-31')).toBe(true)
    expect(atLeast('2024-12-18.acacia', '2025-03-31')).toBe(false)
    expect(requestedVersion('2024-06-20; invoice_partial_payments_beta=v3', 'x')).toBe('2024-06-20')
    expect(requestedVersion(null, '2026-10-28.endive')).toBe('2026-10-28.endive')
    expect(existsAt('invoice_payment.paid', '2025-02-24.acacia')).toBe(false)
    expect(existsAt('invoice_payment.paid', EVENT_TYPES_SINCE['invoice_payment.paid'] ?? '')).toBe(true)
    expect(existsAt('refund.created', '2020-08-27')).toBe(true)
  })

  it('removes fields added after a version, nested ones included', () => {
    const charge = {
      id: 'ch_1',
      object: 'charge',
      outcome: { network_advice_code: null, type: 'authorized' },
      payment_method_details: { card: { regulated_status: null, brand: 'visa' } },
    }
    expect(renderAt(charge, '2024-12-18.acacia', empty)).toMatchObject({
      outcome: { network_advice_code: null },
    })
    const older = renderAt(charge, '2024-11-20.acacia', empty)
    expect(older).toMatchObject({
      outcome: { type: 'authorized' },
      payment_method_details: { card: { brand: 'visa' } },
    })
    expect(older).not.toHaveProperty('outcome.network_advice_code')
    expect(older).not.toHaveProperty('payment_method_details.card.regulated_status')
  })

  it('keeps each added field from the version that added it on, and leaves it out the day before', () => {
    for (const addition of FIELD_ADDITIONS) {
      for (const field of addition.fields) {
        const segments = field.split('.')
        const object: Record<string, unknown> = { id: 'x_1', object: addition.kind }
        let at = object
        for (const segment of segments.slice(0, -1)) {
          const child: Record<string, unknown> = { kept: true }
          at[segment] = child
          at = child
        }
        at[segments.at(-1) ?? ''] = 'added'
        const since = renderAt(object, addition.version, empty)
        const before = renderAt(object, dayBefore(addition.version), empty)
        expect(since, `${addition.kind}.${field} at ${addition.version}`).toHaveProperty(segments, 'added')
        expect(before, `${addition.kind}.${field} before ${addition.version}`).not.toHaveProperty(segments)
      }
    }
  })

  it('renames product features and leaves events as they were rendered', () => {
    const product = { id: 'prod_1', object: 'product', marketing_features: [{ name: 'Fast' }] }
    expect(renderAt(product, '2023-10-16', empty)).toEqual({
      id: 'prod_1',
      object: 'product',
      features: [{ name: 'Fast' }],
    })
    expect(renderAt(product, '2024-04-10', empty)).toEqual(product)
    const event = { id: 'evt_1', object: 'event', data: { object: product } }
    expect(renderAt(event, '2020-08-27', empty)).toEqual(event)
  })

  it('computes previous_attributes: changed top-level fields, nested hashes narrowed, lists whole', () => {
    const before = {
      status: 'active',
      cancellation_details: { reason: null, comment: null },
      items: { object: 'list', data: [1] },
    }
    const after = {
      status: 'active',
      cancellation_details: { reason: 'x', comment: null },
      items: { object: 'list', data: [2] },
      cancel_at: 5,
    }
    expect(previousAttributes(before, after)).toEqual({
      cancellation_details: { reason: null },
      items: { object: 'list', data: [1] },
      cancel_at: null,
    })
  })
})
