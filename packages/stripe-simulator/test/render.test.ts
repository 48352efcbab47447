import { describe, expect, it } from 'vitest'
import { EVENT_TYPES_SINCE, VERSION_CHANGES } from '../src/index.js'
import { sentAt } from '../src/render/changes.js'
import { previousAttributes, renderAt } from '../src/render/render.js'
import { atLeast, type RenderSource, requestedVersion } from '../src/render/versions.js'

const empty: RenderSource = { get: () => undefined, list: () => [] }

describe('API version rendering', () => {
  it('lists the version changes newest first, so each downgrade sees the shape its version left', () => {
    const dates = VERSION_CHANGES.map((change) => change.version)
    expect(dates).toEqual([...dates].sort().reverse())
    expect(new Set(VERSION_CHANGES.map((change) => change.kind))).toEqual(
      new Set([
        'line_item',
        'invoice',
        'subscription',
        'subscription_item',
        'charge',
        'payment_intent',
        'checkout.session',
        'product',
      ]),
    )
  })

  it('compares versions by date and reads the request header without preview flags', () => {
    expect(atLeast('2025-03-31.basil', '2025-03-31')).toBe(true)
    expect(atLeast('2024-12-18.acacia', '2025-03-31')).toBe(false)
    expect(requestedVersion('2024-06-20; invoice_partial_payments_beta=v3', 'x')).toBe('2024-06-20')
    expect(requestedVersion(null, '2026-10-28.endive')).toBe('2026-10-28.endive')
    expect(sentAt('refund.created', '2024-09-30.acacia')).toBe(false)
    expect(sentAt('charge.refund.updated', '2024-09-30.acacia')).toBe(true)
    expect(sentAt('refund.created', EVENT_TYPES_SINCE['refund.created'] ?? '')).toBe(true)
    expect(sentAt('charge.refund.updated', '2025-03-31.basil')).toBe(false)
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
