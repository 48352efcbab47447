import { vi } from 'vitest'
import type { CashNotifyOptions, Notification, Notifier, NotifierEntry } from '../src/index.js'
import { type Shop, shop } from './enrich-helpers.js'

/** A notifier that records what it is sent. */
export function recorder(name = 'phone'): Notifier & { sent: Notification[] } {
  const self = {
    name,
    sent: [] as Notification[],
    async send(notification: Notification) {
      self.sent.push(notification)
    },
  }
  return self
}

/** Fake time from a UTC instant. */
export function fakeTimeAt(iso: string): void {
  vi.useFakeTimers({ now: Date.parse(iso) })
}

/** A watched test-mode shop on the simulator, polled every minute so that hours of fake time pass quickly. */
export async function ruledShop(
  notifiers: readonly NotifierEntry[],
  options: CashNotifyOptions = {},
): Promise<Shop> {
  return shop({ cashnotify: { pollInterval: 60_000, notifiers, ...options } })
}

/** Makes a sale now, and lets a poll and the settle time pass so that the sale reaches rules. */
export async function sell(s: Shop, amount: number, currency = 'usd'): Promise<void> {
  s.sim.business(s.accountId).sale({ amount, currency })
  await s.run(65_000)
}

/** Moves fake time to an instant (UTC ISO), running polls on the way. */
export async function runUntil(s: Shop, iso: string): Promise<void> {
  const ms = Date.parse(iso) - Date.now()
  if (ms > 0) await s.run(ms)
}
