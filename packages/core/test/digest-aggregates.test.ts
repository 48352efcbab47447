import { Keyv } from 'keyv'
import { describe, expect, it } from 'vitest'
import { DigestAggregates, KEEP_DAYS } from '../src/digest/aggregates.js'
import { monthlyAmount } from '../src/digest/apply.js'
import { buildDigest } from '../src/digest/build.js'
import { periodOfSend } from '../src/digest/schedule.js'
import { digestNotification } from '../src/digest/text.js'
import type { DomainEvent, KeyValueStore, SaleEvent } from '../src/index.js'
import { MoneyFormats } from '../src/index.js'
import { money } from '../src/shared/money.js'
import { ZoneClock } from '../src/shared/zone-clock.js'
import { sampleAccount, sampleEvent } from '../src/testing/fixtures.js'

const REF = 'acct_1SampleAcmeInc00/test'
const ZONE = 'Europe/Paris'
const NOON = Date.parse('2026-11-02T11:00:00Z') // 12:00 in Paris, Monday 2 November

/** A store that counts the writes of each key. */
function countingStore(): KeyValueStore & { writes: string[] } {
  const keyv = new Keyv()
  const writes: string[] = []
  return {
    writes,
    get: (key) => keyv.get(key),
    set: (key, value, ttl) => {
      writes.push(key)
      return keyv.set(key, value, ttl)
    },
    delete: (key) => keyv.delete(key),
  }
}

function sale(id: string, at: number, overrides: Partial<SaleEvent> = {}): SaleEvent {
  return { ...sampleEvent('sale'), id: `sale:${id}`, createdAt: new Date(at), ...overrides }
}

/** A sale whose fee could not be known. */
function withoutFee({ fee: _fee, net: _net, ...rest }: SaleEvent): SaleEvent {
  return { ...rest, unavailable: { fee: 'missing permission rak_balance_read' } }
}

async function dayDigest(aggregates: DigestAggregates, sendDay: string, now: number) {
  const calendar = new ZoneClock(ZONE)
  return buildDigest(aggregates, {
    schedule: 'daily',
    scope: 'account',
    accounts: [{ ref: REF, account: sampleAccount() }],
    calendar,
    span: periodOfSend('day', calendar, sendDay),
    now,
  })
}

describe('digest aggregates', () => {
  it('counts each event once, even when it is emitted again', async () => {
    let now = NOON
    const aggregates = new DigestAggregates({ store: new Keyv(), timeZones: [ZONE], now: () => now })
    const first = sale('pi_1', NOON)
    await aggregates.record(REF, [first])
    await aggregates.record(REF, [
      first,
      sale('pi_2', NOON + 60_000, { customer: { email: 'bob@example.com' } }),
    ])
    await aggregates.record(REF, [first])
    now = Date.parse('2026-11-03T08:00:00Z')
    const digest = await dayDigest(aggregates, '2026-11-03', now)
    const [usd] = digest.currencies
    expect(usd?.current).toMatchObject({ currency: 'usd', gross: 9800, sales: 2, fees: 2 * 172 })
    expect(usd?.current.customers).toEqual({ total: 2, new: 2, returning: 0 })
    expect(usd?.current.series[12]).toBe(9800) // the 12:00 slot in Paris
    expect(digest.empty).toBe(false)
  })

  it('tells returning customers from new ones, across days and after a restart', async () => {
    const store = new Keyv()
    let now = NOON
    const first = new DigestAggregates({ store, timeZones: [ZONE], now: () => now })
    await first.record(REF, [sale('pi_1', NOON)])
    now += 86_400_000
    // A new instance on the same store: what the first one kept is read back.
    const second = new DigestAggregates({ store, timeZones: [ZONE], now: () => now })
    await second.record(REF, [sale('pi_2', now), sale('pi_3', now, { customer: { id: 'cus_New' } })])
    const digest = await dayDigest(second, '2026-11-04', now + 86_400_000)
    expect(digest.currencies[0]?.current.customers).toEqual({ total: 2, new: 1, returning: 1 })
    expect(digest.currencies[0]?.previous.customers).toEqual({ total: 1, new: 1, returning: 0 })
  })

  it('counts refunds, disputes, failed payments, payouts, subscriptions and their MRR', async () => {
    const now = NOON
    const aggregates = new DigestAggregates({ store: new Keyv(), timeZones: [ZONE], now: () => now })
    const at = new Date(NOON)
    const yearly = { id: 'sub_Y', interval: 'year' as const, intervalCount: 1, amount: money(12_000, 'usd') }
    const events: DomainEvent[] = [
      withoutFee(sale('pi_1', NOON)),
      { ...sampleEvent('refund'), createdAt: at },
      { ...sampleEvent('dispute.created'), createdAt: at },
      { ...sampleEvent('payment.failed'), createdAt: at },
      { ...sampleEvent('payout.paid'), createdAt: at },
      { ...sampleEvent('subscription.created'), createdAt: at },
      {
        ...sampleEvent('subscription.created'),
        id: 'subscription.created:sub_Y',
        subscription: yearly,
        createdAt: at,
      },
      { ...sampleEvent('subscription.canceled'), createdAt: at, scheduled: true },
      // The same subscription ending for good: one cancellation, not two.
      { ...sampleEvent('subscription.canceled'), id: 'subscription.canceled:end', createdAt: at },
    ]
    await aggregates.record(REF, events)
    const f = (await dayDigest(aggregates, '2026-11-03', NOON + 86_400_000)).currencies[0]?.current
    expect(f).toMatchObject({
      gross: 4900,
      refunds: 1000,
      disputes: 4900,
      fees: 0,
      feesUnknown: 1,
      net: 4900 - 1000 - 4900,
      failedPayments: 1,
      payouts: { count: 1, amount: 120_000 },
      subscriptions: { started: 2, canceled: 1, mrrChange: 4900 + 1000 - 4900 },
    })
    // The fee that was missing arrives with `sale.updated`.
    await aggregates.record(REF, [{ ...sampleEvent('sale.updated'), saleId: 'sale:pi_1', createdAt: at }])
    const completed = (await dayDigest(aggregates, '2026-11-03', NOON)).currencies[0]?.current
    expect(completed).toMatchObject({ fees: 172, feesUnknown: 0 })
  })

  it('normalises prices to a month', () => {
    const sub = (interval: 'day' | 'week' | 'month' | 'year', intervalCount: number, amount: number) => ({
      id: 'sub_1',
      interval,
      intervalCount,
      amount: money(amount, 'usd'),
    })
    expect(monthlyAmount(sub('month', 1, 4900))).toBe(4900)
    expect(monthlyAmount(sub('month', 3, 3000))).toBe(1000)
    expect(monthlyAmount(sub('year', 1, 12_000))).toBe(1000)
    expect(monthlyAmount(sub('week', 1, 1200))).toBe(5200)
    expect(monthlyAmount({ id: 'sub_1' })).toBeUndefined()
  })

  it('writes only the day a batch touched, and keeps no more than the last days', async () => {
    const store = countingStore()
    let now = NOON
    const aggregates = new DigestAggregates({ store, timeZones: [ZONE], now: () => now })
    for (let day = 0; day < KEEP_DAYS + 5; day++) {
      now = NOON + day * 86_400_000
      store.writes.length = 0
      await aggregates.record(REF, [sale(`pi_${day}`, now)])
      const dayWrites = store.writes.filter((key) => key.startsWith(`cashnotify:digest:${REF}:${ZONE}:`))
      expect(dayWrites).toHaveLength(1)
    }
    const index = (await store.get(`cashnotify:digest:${REF}:${ZONE}`)) as { days: string[] }
    expect(index.days).toHaveLength(KEEP_DAYS + 1)
    expect(await store.get(`cashnotify:digest:${REF}:${ZONE}:2026-11-02`)).toBeUndefined()
    // A late event for a day still kept corrects it; one older than that is not counted anywhere.
    await aggregates.record(REF, [sale('late', now - 86_400_000), sale('ancient', NOON)])
    const yesterday = await dayDigest(aggregates, new ZoneClock(ZONE).dayOf(now), now)
    expect(yesterday.currencies[0]?.current.sales).toBe(2)
  })

  it('writes a digest as text with the amounts in the locale, and an empty day as such', async () => {
    const now = NOON
    const aggregates = new DigestAggregates({ store: new Keyv(), timeZones: [ZONE], now: () => now })
    await aggregates.record(REF, [sale('pi_1', NOON), sale('pi_2', NOON + 1000)])
    const text = { locale: 'en-US', formats: new MoneyFormats('en-US') }
    const full = digestNotification(await dayDigest(aggregates, '2026-11-03', now), text)
    expect(full.title).toBe('[test] Acme Inc · Mon, Nov 2: $98.00 from 2 sales')
    expect(full.body).toContain('Net $94.56 · fees $3.44')
    expect(full.body).toContain('1 customer (1 new)')
    expect(full.body).toContain('Top: Pro plan ($98.00)')
    const empty = await dayDigest(aggregates, '2026-11-05', now)
    expect(empty.empty).toBe(true)
    expect(empty.currencies).toEqual([])
    expect(digestNotification(empty, text).title).toBe('[test] Acme Inc · Wed, Nov 4: no sales')
    const german = { locale: 'de-DE', formats: new MoneyFormats('de-DE') }
    // Intl puts a no-break space before the symbol.
    expect(digestNotification(await dayDigest(aggregates, '2026-11-03', now), german).title).toMatch(
      /^\[test\] Acme Inc · Mo\., 2\. Nov\.: 98,00\s\$ from 2 sales$/,
    )
  })
})
