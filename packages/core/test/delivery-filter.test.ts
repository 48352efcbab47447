import { Keyv } from 'keyv'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { DeliveryFilter } from '../src/delivery/index.js'
import type { Notifier } from '../src/delivery/notifier.js'
import type { DomainEvent } from '../src/enrich/domain-events.js'
import { ConfigError } from '../src/shared/errors.js'
import { money } from '../src/shared/money.js'
import { sampleAccount, sampleEvent } from '../src/testing/fixtures.js'
import { fakeNotifier, makeDelivery, sale, settle } from './delivery-helpers.js'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

describe('Delivery: filters', () => {
  async function notified(filter: DeliveryFilter, events: DomainEvent[]): Promise<string[]> {
    const { delivery } = makeDelivery()
    const a = fakeNotifier('a')
    delivery.use(a, { filter })
    await delivery.start()
    for (const event of events) await delivery.accept(event)
    await settle()
    await delivery.stop()
    return a.delivered
  }
  const live = { livemode: true, account: sampleAccount({ id: 'acct_live', mode: 'live' }) }

  it('skips backfilled events unless asked', async () => {
    const events = [sale(1, { backfill: true }), sale(2)]
    expect(await notified({}, events)).toEqual(['sale:pi_2'])
    expect(await notified({ backfill: true }, events)).toEqual(['sale:pi_1', 'sale:pi_2'])
  })

  it('by account id or ref', async () => {
    const events = [sale(1), sale(2, live)]
    expect(await notified({ accounts: ['acct_live'] }, events)).toEqual(['sale:pi_2'])
    expect(await notified({ accounts: ['acct_live/test'] }, events)).toEqual([])
    expect(await notified({ accounts: ['acct_1SampleAcmeInc00/test'] }, events)).toEqual(['sale:pi_1'])
  })

  it('by event type', async () => {
    const events = [sampleEvent('sale'), sampleEvent('refund'), sampleEvent('payout.paid')]
    expect(await notified({ types: ['refund', 'payout.paid'] }, events)).toEqual([
      'refund:re_Sample01',
      'payout.paid:po_Sample01',
    ])
  })

  it('by minimum amount per currency', async () => {
    const events = [
      sale(1, { amount: money(9_999, 'usd') } as Partial<DomainEvent>),
      sale(2, { amount: money(10_000, 'usd') } as Partial<DomainEvent>),
      sale(3, { amount: money(500, 'eur') } as Partial<DomainEvent>),
      sampleEvent('subscription.canceled'),
    ]
    const { subscription, ...noPrice } = sampleEvent('subscription.created')
    const bare = { ...noPrice, subscription: { id: subscription.id } }
    expect(await notified({ minAmount: { USD: 10_000 } }, [...events, bare])).toEqual([
      'sale:pi_2',
      'sale:pi_3',
      'subscription.created:sub_Sample01',
    ])
  })

  it('by mode', async () => {
    const events = [sale(1), sale(2, live)]
    expect(await notified({ mode: 'live' }, events)).toEqual(['sale:pi_2'])
    expect(await notified({ mode: 'test' }, events)).toEqual(['sale:pi_1'])
    expect(await notified({ mode: 'both' }, events)).toEqual(['sale:pi_1', 'sale:pi_2'])
  })
})

describe('Delivery: use()', () => {
  it('refuses two notifiers with the same name', () => {
    const { delivery } = makeDelivery()
    delivery.use(fakeNotifier('webhook'))
    expect(() => delivery.use(fakeNotifier('webhook'))).toThrow(ConfigError)
    expect(() => delivery.use(fakeNotifier('webhook'))).toThrow(/already in use/)
    expect(delivery.notifiers()).toEqual(['webhook'])
  })

  it('refuses what is not a notifier, and names that break store keys', () => {
    const { delivery } = makeDelivery()
    expect(() => delivery.use({ name: 'x' } as unknown as Notifier)).toThrow(
      /Expected `notifier` to be a notifier/,
    )
    expect(() => delivery.use(fakeNotifier('a:b'))).toThrow(/`name`/)
    expect(() => delivery.use(fakeNotifier(''))).toThrow(ConfigError)
  })

  it.each([
    [{ concurrency: 0 }, '[a] Expected `concurrency` to be at least 1, got 0.'],
    [{ timeoutMs: 1.5 }, '[a] Expected `timeoutMs` to be an integer, got 1.5.'],
    [{ retry: { attempts: 0 } }, '[a] Expected `retry.attempts` to be at least 1, got 0.'],
    [{ retry: { tries: 3 } }, '[a] Unknown option `retry.tries`.'],
    [{ filters: {} }, '[a] Unknown option `filters`.'],
    [
      { filter: { types: ['sales'] } },
      '[a] Expected `filter.types[0]` to be one of "sale", "sale.updated", "refund"',
    ],
    [
      { filter: { mode: 'prod' } },
      '[a] Expected `filter.mode` to be one of "live", "test", "both", got "prod".',
    ],
    [{ filter: { minAmount: { usd: -1 } } }, '[a] Expected `filter.minAmount.usd` to be at least 0, got -1.'],
    [{ filter: { types: 'sale' } }, '[a] Expected `filter.types` to be an array, got "sale".'],
    [{ filter: null }, '[a] Expected `filter` to be an object, got null.'],
    [{ retry: [] }, '[a] Expected `retry` to be an object, got an array.'],
  ])('refuses invalid options %j', (options, message) => {
    const { delivery } = makeDelivery()
    expect(() => delivery.use(fakeNotifier('a'), options as never)).toThrow(message)
  })

  it('sends what a notifier added while running has waiting in the store', async () => {
    const store = new Keyv()
    const first = makeDelivery({ store })
    first.delivery.use(fakeNotifier('late'))
    await first.delivery.accept(sale(1))
    const second = makeDelivery({ store })
    await second.delivery.start()
    const late = fakeNotifier('late')
    second.delivery.use(late)
    await settle()
    expect(late.delivered).toEqual(['sale:pi_1'])
    await second.delivery.stop()
  })
})
