import { Keyv } from 'keyv'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { type Notification, type Notifier, NotifierError } from '../src/index.js'
import { shop } from './enrich-helpers.js'
import { START, UNPACED } from './polling-helpers.js'

beforeEach(() => {
  vi.useFakeTimers({ now: START })
})
afterEach(() => {
  vi.useRealTimers()
})

/** A notifier that records what it sends, and can be told to fail. */
function recorder(name = 'recorder'): Notifier & { sent: Notification[]; failing: boolean } {
  const self = {
    name,
    sent: [] as Notification[],
    failing: false,
    async send(notification: Notification) {
      if (self.failing) throw new NotifierError('receiver down', { notifier: name })
      self.sent.push(notification)
    },
  }
  return self
}

describe('from Stripe to notifiers', () => {
  it('notifies each sale once, with ready-made text, and not the backfill', async () => {
    const notifier = recorder()
    const s = await shop({ cashnotify: { notifiers: [notifier] } })
    const biz = s.sim.business(s.accountId)
    const jane = biz.customer({ email: 'jane@example.com', country: 'US' })
    const pro = biz.product({ name: 'Pro plan', unitAmount: 4900, currency: 'usd' })
    biz.sale({ customer: jane, items: [{ price: pro.price }] })
    biz.sale({ amount: 1500, currency: 'usd' })
    await s.run()
    expect(notifier.sent.map((n) => n.title)).toEqual([
      '[test] $49.00 sale · Acme Inc',
      '[test] $15.00 sale · Acme Inc',
    ])
    expect(notifier.sent[0]?.body).toContain('jane@example.com (US)')
    expect(notifier.sent[0]?.body).toContain('Pro plan')
    expect(notifier.sent.map((n) => n.id)).toEqual(s.of('sale').map((sale) => sale.id))
    await s.cn.stop()
  })

  it('tells two notifiers of one kind apart by the name delivery gives them', async () => {
    const first = recorder('webhook')
    const second = recorder('webhook')
    const { CashNotify, ConfigError } = await import('../src/index.js')
    expect(() => new CashNotify({ notifiers: [first, second] })).toThrow(ConfigError)
    const s = await shop({ cashnotify: { notifiers: [first, { notifier: second, name: 'slack' }] } })
    const delivered: string[] = []
    s.cn.on('notification.delivered', ({ notifier }) => void delivered.push(notifier))
    s.sim.business(s.accountId).sale({ amount: 4900, currency: 'usd' })
    await s.run()
    expect([first.sent.length, second.sent.length]).toEqual([1, 1])
    expect(delivered.sort()).toEqual(['slack', 'webhook'])
    await s.cn.stop()
  })

  it('keeps private customer details out of the whole notification, not only its text', async () => {
    const notifier = recorder()
    const s = await shop({ cashnotify: { notifiers: [notifier], privacy: true } })
    const biz = s.sim.business(s.accountId)
    biz.sale({
      customer: biz.customer({ email: 'jane@example.com', country: 'US' }),
      amount: 4900,
      currency: 'usd',
    })
    await s.run()
    const [sent] = notifier.sent
    expect(sent?.title).toContain('$49.00')
    expect(JSON.stringify(sent)).not.toContain('jane@example.com')
    expect(sent?.event.stripeEvents).toEqual([])
    // The app's own listeners still get everything.
    expect(s.of('sale')[0]?.customer?.email).toBe('jane@example.com')
    await s.cn.stop()
  })

  it('keeps notifications of a failing notifier until it recovers, and dead-letters after the last try', async () => {
    const flaky = recorder('flaky')
    const s = await shop({
      cashnotify: {
        notifiers: [{ notifier: flaky, retry: { attempts: 3, baseDelayMs: 1_000, maxDelayMs: 2_000 } }],
      },
    })
    const delivered: string[] = []
    s.cn.on('notification.delivered', ({ notification }) => void delivered.push(notification.id))
    flaky.failing = true
    s.sim.business(s.accountId).sale({ amount: 4900, currency: 'usd' })
    await s.run(15_000)
    expect(flaky.sent).toEqual([])
    const [dead] = await s.cn.deadLetters()
    expect(dead).toMatchObject({ notifier: 'flaky', attempts: 3, error: { code: 'notifier_failed' } })
    flaky.failing = false
    expect(await s.cn.replay()).toBe(1)
    await s.run(1_000)
    expect(flaky.sent).toHaveLength(1)
    expect(delivered).toEqual([flaky.sent[0]?.id])
    expect(await s.cn.deadLetters()).toEqual([])
    await s.cn.stop()
  })

  it('delivers after a restart what was accepted before it', async () => {
    const store = new Keyv()
    const first = recorder('mail')
    first.failing = true
    const s = await shop({ cashnotify: { store, notifiers: [first] } })
    s.sim.business(s.accountId).sale({ amount: 4900, currency: 'usd' })
    await s.run(6_000)
    await s.cn.stop()
    expect(first.sent).toEqual([])
    expect(s.of('sale')).toHaveLength(1)

    const second = recorder('mail')
    const { CashNotify } = await import('../src/index.js')
    const again = new CashNotify({
      store,
      stripe: { fetch: s.fetch },
      budget: { startFull: false },
      readAllocation: UNPACED,
      notifiers: [second],
      backfill: 0,
      pollInterval: 1_000,
    })
    await again.addAccount({ apiKey: s.key })
    await again.start()
    await vi.advanceTimersByTimeAsync(10_000)
    // Sent once, from the outbox: the new instance's polls do not accept the sale a second time.
    expect(second.sent.map((n) => n.id)).toEqual([s.of('sale')[0]?.id])
    await again.close()
    expect(vi.getTimerCount()).toBe(0)
  })
})
