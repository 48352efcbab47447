import { Keyv } from 'keyv'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { DeliveryFilter } from '../src/delivery/index.js'
import type { DomainEvent } from '../src/enrich/domain-events.js'
import { ConfigError } from '../src/shared/errors.js'
import { money } from '../src/shared/money.js'
import type { Notifier } from '../src/delivery/notifier.js'
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
    expect(() => delivery.use({ name: 'x' } as unknown as Notifier)).toThrow(/Expected a notifier/)
    expect(() => delivery.use(fakeNotifier('a:b'))).toThrow(/`name`/)
    expect(() => delivery.use(fakeNotifier(''))).toThrow(ConfigError)
  })

  it.each([
    [{ concurrency: 0 }, 'Expected `concurrency` of notifier "a" to be an integer of at least 1, got 0.'],
    [{ timeoutMs: 1.5 }, 'Expected `timeoutMs` of notifier "a" to be an integer of at least 1, got 1.5.'],
    [{ retry: { attempts: 0 } }, 'Expected `retry.attempts` of notifier "a" to be an integer of at least 1'],
    [{ retry: { tries: 3 } }, 'Unknown retry option of notifier "a": `tries`.'],
    [{ filters: {} }, 'Unknown option of notifier "a": `filters`.'],
    [{ filter: { types: ['sales'] } }, 'Expected `filter.types` of notifier "a" to hold only sale, refund'],
    [
      { filter: { mode: 'prod' } },
      'Expected `filter.mode` of notifier "a" to be live, test or both, got "prod".',
    ],
    [{ filter: { minAmount: { usd: -1 } } }, '`filter.minAmount.usd` of notifier "a"'],
    [{ filter: { types: 'sale' } }, 'Expected `filter.types` of notifier "a" to hold only'],
    [{ filter: null }, 'Expected `filter` of notifier "a" to be an object, got null.'],
    [{ retry: [] }, 'Expected `retry` of notifier "a" to be an object, got an array.'],
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
