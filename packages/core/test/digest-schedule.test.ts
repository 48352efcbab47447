import type { StripeSimulator } from '@cashnotify/stripe-simulator'
import { Keyv } from 'keyv'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  CashNotify,
  type CashNotifyOptions,
  ConfigError,
  type Digest,
  type DigestNotification,
  type Notification,
  type Notifier,
} from '../src/index.js'
import { shop } from './enrich-helpers.js'
import { advance, watcher } from './polling-helpers.js'

afterEach(() => {
  vi.useRealTimers()
})

const HOUR = 3_600_000
const MINUTE = 60_000

/** Polls every 5 minutes: a day of fake time is a few hundred polls. */
const SLOW_POLLS = { pollInterval: 5 * MINUTE, maxPollInterval: 5 * MINUTE } as const
const DAILY_PARIS: CashNotifyOptions['digests'] = [
  { name: 'daily', every: 'day', at: '09:00', timeZone: 'Europe/Paris', scope: 'both' },
]

/** A notifier that records the digests it gets (and one without `sendDigest`, that records sends). */
function digestRecorder(name: string): Notifier & { digests: DigestNotification[] } {
  const self = {
    name,
    digests: [] as DigestNotification[],
    send: async () => {},
    sendDigest: async (digest: DigestNotification) => void self.digests.push(digest),
  }
  return self
}
function plainRecorder(name: string): Notifier & { sent: Notification[] } {
  const self = { name, sent: [] as Notification[], send: async (n: Notification) => void self.sent.push(n) }
  return self
}

/** Advances fake time to an instant. */
const until = (iso: string): Promise<void> => advance(Date.parse(iso) - Date.now())

/** What the simulator itself holds for a period: the figures a digest must show. */
function simulatorFigures(sim: StripeSimulator, account: string, start: Date, end: Date) {
  const store = sim.store(account, false)
  const within = (created: number): boolean =>
    created * 1000 >= start.getTime() && created * 1000 < end.getTime()
  const charges = store.list('charge').filter((c) => c.status === 'succeeded' && within(c.created))
  const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0)
  const fee = (id: unknown): number =>
    typeof id === 'string' ? (store.get('balance_transaction', id)?.fee ?? 0) : 0
  const subscriptions = store.list('subscription').filter((s) => within(s.created))
  const buyers = charges.map((c) => (typeof c.customer === 'string' ? c.customer : c.billing_details.email))
  return {
    gross: sum(charges.map((c) => c.amount)),
    sales: charges.length,
    fees: sum(charges.map((c) => fee(c.balance_transaction))),
    refunds: sum(
      store
        .list('refund')
        .filter((r) => within(r.created))
        .map((r) => r.amount),
    ),
    disputes: sum(
      store
        .list('dispute')
        .filter((d) => within(d.created))
        .map((d) => d.amount),
    ),
    customers: new Set(buyers.filter(Boolean)).size,
    started: subscriptions.length,
    mrr: sum(subscriptions.map((s) => s.items.data[0]?.price.unit_amount ?? 0)),
  }
}

describe('scheduled digests', () => {
  it('sends a day of business as a digest whose every figure matches the simulator', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-11-02T07:30:00Z') }) // 08:30 in Paris, Monday
    const withDigests = digestRecorder('mail')
    const without = plainRecorder('desktop')
    const s = await shop({
      cashnotify: { ...SLOW_POLLS, digests: DAILY_PARIS, notifiers: [withDigests, without] },
    })
    const digests: Array<{ digest: Digest; at: number }> = []
    s.cn.on('digest', (digest) => void digests.push({ digest, at: Date.now() }))
    const delivered: string[] = []
    s.cn.on('notification.delivered', ({ notifier, notification }) => {
      if ('digest' in notification) delivered.push(`${notifier} ${notification.id}`)
    })
    const biz = s.sim.business(s.accountId)
    const jane = biz.customer({ email: 'jane@example.com', country: 'US' })
    const ebook = biz.product({ name: 'Ebook', unitAmount: 1500, currency: 'usd' })
    const pro = biz.product({
      name: 'Pro',
      unitAmount: 2900,
      currency: 'usd',
      recurring: { interval: 'month' },
    })

    // 09:00 Paris: the digest of Sunday, before the account was watched — empty.
    await until('2026-11-02T08:01:00Z')
    expect(digests.map(({ digest }) => [digest.scope, digest.empty])).toEqual([
      ['account', true],
      ['all', true],
    ])
    const first = biz.sale({ customer: jane, items: [{ price: ebook.price }] })
    await advance(HOUR)
    const guest = biz.sale({
      amount: 4900,
      currency: 'usd',
      guest: { email: 'bob@example.com', country: 'FR' },
    })
    biz.refund(first.charge, { amount: 500 })
    await advance(2 * HOUR)
    biz.subscribe({ customer: biz.customer({ email: 'carol@example.com', country: 'DE' }), price: pro.price })
    biz.dispute(guest.charge)
    await advance(8 * HOUR)
    biz.sale({ customer: jane, amount: 700, currency: 'usd' })
    await until('2026-11-03T08:01:00Z')

    const sent = digests.slice(2)
    expect(sent.map(({ digest }) => digest.scope)).toEqual(['account', 'all'])
    const [{ digest, at } = { digest: undefined, at: 0 }] = sent
    expect(new Date(at).toISOString()).toBe('2026-11-03T08:00:00.000Z')
    expect(digest?.period).toEqual({
      kind: 'day',
      start: new Date('2026-11-01T23:00:00Z'),
      end: new Date('2026-11-02T23:00:00Z'),
      timeZone: 'Europe/Paris',
    })
    const expected = simulatorFigures(
      s.sim,
      s.accountId,
      new Date('2026-11-01T23:00:00Z'),
      new Date('2026-11-02T23:00:00Z'),
    )
    const usd = digest?.currencies[0]?.current
    expect(usd).toMatchObject({
      currency: 'usd',
      gross: expected.gross,
      sales: expected.sales,
      fees: expected.fees,
      feesUnknown: 0,
      refunds: expected.refunds,
      disputes: expected.disputes,
      net: expected.gross - expected.refunds - expected.disputes - expected.fees,
      subscriptions: { started: expected.started, canceled: 0, mrrChange: expected.mrr },
    })
    expect(usd?.customers).toEqual({ total: expected.customers, new: expected.customers, returning: 0 })
    expect(usd?.sales).toBe(4)
    expect(usd?.topProducts.map((p) => p.name)).toEqual(expect.arrayContaining(['Ebook', 'Pro']))
    expect(usd?.topCountries.map((c) => c.country)).toEqual(expect.arrayContaining(['US', 'FR', 'DE']))
    expect(usd?.series.reduce((a, b) => a + b, 0)).toBe(expected.gross)
    expect(digest?.currencies[0]?.previous.sales).toBe(0)
    expect(sent[1]?.digest.currencies).toEqual(digest?.currencies)

    // Delivered through the outbox to the notifier with `sendDigest`, and nothing to the other.
    expect(withDigests.digests.map((n) => n.id)).toEqual(digests.map(({ digest }) => digest.id))
    expect(withDigests.digests[2]?.title).toBe(
      `[test] Acme Inc · Mon, Nov 2: ${new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(expected.gross / 100)} from 4 sales`,
    )
    expect(delivered.every((line) => line.startsWith('mail '))).toBe(true)
    expect(delivered).toHaveLength(4)
    expect(without.sent.length).toBeGreaterThan(0) // it got the sales, not the digests
    expect(await s.cn.deadLetters()).toEqual([])
    await s.cn.stop()
  })

  it.each([
    ['2026-03-29', 23, '2026-03-30T07:00:00.000Z', '2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z'],
    ['2026-10-25', 25, '2026-10-26T08:00:00.000Z', '2026-10-24T22:00:00.000Z', '2026-10-25T23:00:00.000Z'],
  ])(
    'covers the %s daylight-saving day (%i hours) and sends at 09:00 local time',
    async (day, hours, sendAt, start, end) => {
      vi.useFakeTimers({ now: Date.parse(start) - 2 * HOUR })
      const s = await shop({ cashnotify: { ...SLOW_POLLS, digests: DAILY_PARIS } })
      const digests: Array<{ digest: Digest; at: number }> = []
      s.cn.on('digest', (digest) => {
        if (digest.scope === 'account') digests.push({ digest, at: Date.now() })
      })
      const biz = s.sim.business(s.accountId)
      await until(`${day}T00:30:00Z`) // 01:30 or 02:30 local
      biz.sale({ amount: 1000, currency: 'usd' })
      await until(new Date(Date.parse(end) - 30 * MINUTE).toISOString()) // the day's last local hour
      biz.sale({ amount: 2000, currency: 'usd' })
      await until(new Date(Date.parse(sendAt) + MINUTE).toISOString())
      const last = digests.at(-1)
      expect(new Date(last?.at ?? 0).toISOString()).toBe(sendAt)
      expect(last?.digest.period.start.toISOString()).toBe(start)
      expect(last?.digest.period.end.toISOString()).toBe(end)
      const series = last?.digest.currencies[0]?.current.series ?? []
      expect(series).toHaveLength(hours)
      expect(series[hours - 1]).toBe(2000) // the last local hour is slot 22 of 23, or 24 of 25
      expect(series.reduce((a, b) => a + b, 0)).toBe(3000)
      await s.cn.stop()
    },
  )

  it('loses nothing across a restart mid-day, and sends a digest missed while stopped once, at start', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-11-02T07:30:00Z') })
    const store = new Keyv()
    const options = { ...SLOW_POLLS, backfill: 0, store, digests: DAILY_PARIS } satisfies CashNotifyOptions
    const s = await shop({ cashnotify: options })
    const biz = s.sim.business(s.accountId)
    await advance(HOUR)
    biz.sale({ amount: 4900, currency: 'usd' })
    await advance(HOUR)
    await s.cn.stop()

    const restart = async (): Promise<{ cn: CashNotify; digests: Digest[] }> => {
      const { cn } = watcher(s.fetch, options)
      const digests: Digest[] = []
      cn.on('digest', (digest) => void digests.push(digest))
      await cn.addAccount({ apiKey: s.key })
      await cn.start()
      await advance(0)
      return { cn, digests }
    }
    const second = await restart() // mid-day, on the same store
    biz.sale({ amount: 1500, currency: 'usd' })
    await until('2026-11-03T06:00:00Z') // stopped before 09:00 in Paris
    await second.cn.stop()
    expect(second.digests.filter((d) => !d.empty)).toEqual([])

    await until('2026-11-03T10:00:00Z') // the 09:00 digest was missed
    const third = await restart()
    const missed = third.digests.filter((d) => d.scope === 'account')
    expect(missed).toHaveLength(1)
    expect(missed[0]?.period.start.toISOString()).toBe('2026-11-01T23:00:00.000Z')
    expect(missed[0]?.currencies[0]?.current).toMatchObject({ gross: 6400, sales: 2 })
    await third.cn.stop()

    const fourth = await restart() // sent once: not again
    expect(fourth.digests).toEqual([])
    await fourth.cn.stop()
  })

  it('tries a digest again a minute after its send failed (the store was down), not a period later', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-11-02T07:30:00Z') })
    const keyv = new Keyv()
    let down = false
    const store = {
      get: (key: string) => keyv.get(key),
      set: async (key: string, value: unknown, ttl?: number) => {
        if (down && key.includes('delivery')) throw new Error('disk full')
        return keyv.set(key, value, ttl)
      },
      delete: (key: string) => keyv.delete(key),
    }
    const mail = digestRecorder('mail')
    const errors: string[] = []
    const s = await shop({ cashnotify: { ...SLOW_POLLS, store, digests: DAILY_PARIS, notifiers: [mail] } })
    s.cn.on('error', (error) => void errors.push(error.message))
    down = true
    await until('2026-11-02T08:00:30Z') // 09:00 in Paris: the send fails
    expect(mail.digests).toEqual([])
    expect(errors.some((message) => message.includes('disk full'))).toBe(true)
    down = false
    await advance(2 * MINUTE)
    expect(mail.digests.map((d) => d.digest.period.start.toISOString())).toContain('2026-10-31T23:00:00.000Z') // 1 November in Paris
    await s.cn.stop()
  })

  it('retries a digest, keeps it as a dead letter after the last try, and replays it from the store', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-11-02T07:59:00Z') })
    const flaky = Object.assign(digestRecorder('mail'), { failing: true })
    flaky.sendDigest = async (digest) => {
      if (flaky.failing) throw new Error('SMTP down')
      flaky.digests.push(digest)
    }
    const digests = [{ name: 'daily', every: 'day', timeZone: 'Europe/Paris' }] as const
    const s = await shop({
      cashnotify: {
        ...SLOW_POLLS,
        digests,
        notifiers: [{ notifier: flaky, retry: { attempts: 2, baseDelayMs: 1000 } }],
      },
    })
    await advance(10 * MINUTE)
    const [dead] = await s.cn.deadLetters()
    expect(dead?.attempts).toBe(2)
    expect(dead && 'digest' in dead.notification ? dead.notification.digest.period.kind : undefined).toBe(
      'day',
    )
    flaky.failing = false
    expect(await s.cn.replay()).toBe(1)
    await advance(MINUTE)
    expect(flaky.digests.map((d) => d.id)).toEqual([dead?.notification.id])
    expect(flaky.digests[0]?.digest.createdAt).toBeInstanceOf(Date)
    await s.cn.stop()
  })

  it('builds the day so far on demand, and refuses invalid schedules with clear errors', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-11-02T07:30:00Z') })
    const s = await shop({ cashnotify: { ...SLOW_POLLS, digests: DAILY_PARIS } })
    s.sim.business(s.accountId).sale({ amount: 4900, currency: 'usd' })
    await advance(10 * MINUTE)
    const [today] = await s.cn.digest()
    expect(today?.period.start.toISOString()).toBe('2026-11-01T23:00:00.000Z')
    expect(today?.currencies[0]?.current.gross).toBe(4900)
    await expect(s.cn.digest({ timeZone: 'Asia/Tokyo' })).rejects.toThrow(ConfigError)
    await s.cn.stop()

    const invalid = (digests: unknown) => () => new CashNotify({ digests } as CashNotifyOptions)
    expect(invalid([{ name: 'daily', every: 'day', at: '9am', timeZone: 'Mars/Olympus' }])).toThrow(
      /Expected `digests\[0\]\.at` to be a local time `HH:MM`.*Expected `digests\[0\]\.timeZone` to be an IANA time zone/,
    )
    expect(
      invalid([
        { name: 'a', every: 'day' },
        { name: 'a', every: 'month' },
      ]),
    ).toThrow(/digests\[1\]\.every/)
    expect(
      invalid([
        { name: 'a', every: 'day' },
        { name: 'a', every: 'week' },
      ]),
    ).toThrow(/Expected `digests\[1\]\.name` to be a name no other digest has/)
    expect(invalid([{ name: 'a', every: 'day', day: 'monday' }])).toThrow(/digests\[0\]\.day/)
  })
})
