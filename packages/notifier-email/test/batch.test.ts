import { type DomainEvent, type Notification, NotifierError } from '@cashnotify/core/notifier'
import { sampleAccount, sampleEvent, sampleNotification } from '@cashnotify/core/testing'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { type EmailNotifierOptions, emailNotifier } from '../src/index.js'
import { type Receiver, startReceiver } from './receiver.js'

const WINDOW_MS = 5 * 60_000
const context = (signal = new AbortController().signal) => ({ signal, attempt: 1 })

let receiver: Receiver
let closers: Array<() => Promise<void>>
beforeEach(async () => {
  receiver = await startReceiver()
  closers = []
})
afterEach(async () => {
  vi.useRealTimers()
  for (const close of closers) await close()
  await receiver.close()
})

function notifier(options: Partial<EmailNotifierOptions> = {}) {
  const created = emailNotifier({
    to: 'jane@example.com',
    from: 'CashNotify <sales@example.com>',
    smtp: { host: '127.0.0.1', port: receiver.port },
    batch: { everyMinutes: 5 },
    ...options,
  })
  closers.push(async () => created.close?.())
  return created
}

/**
 * The window's timer is fake, the SMTP traffic is real: fake `setTimeout` only while notifications are
 * queued, end the window by advancing the clock, then give the real timers back before the e-mail goes out
 * (nodemailer and smtp-server time their own steps with `setTimeout`).
 */
function fakeWindowClock(): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
}
function endWindow(): void {
  vi.advanceTimersByTime(WINDOW_MS)
  vi.useRealTimers()
}

function notification(event: DomainEvent, overrides: Partial<Notification> = {}): Notification {
  return sampleNotification(event, overrides)
}

function header(index: number, name: string): string {
  return String(receiver.mails[index]?.parsed.headers.get(name) ?? '')
}

describe('batch mode', () => {
  it('sends the notifications of one window as one e-mail listing all, resolving each send() only then', async () => {
    fakeWindowClock()
    const email = notifier()
    const batch = [
      notification(sampleEvent('sale')),
      notification(sampleEvent('refund')),
      notification(sampleEvent('payout.paid')),
    ]
    const settled: string[] = []
    const sends = batch.map((n) => email.send(n, context()).then(() => settled.push(n.id)))
    await vi.advanceTimersByTimeAsync(WINDOW_MS - 1)
    expect(settled).toEqual([])
    expect(receiver.mails).toEqual([])
    vi.advanceTimersByTime(1)
    vi.useRealTimers()
    await Promise.all(sends)
    expect(settled.sort()).toEqual(batch.map((n) => n.id).sort())
    expect(receiver.mails).toHaveLength(1)
    const mail = receiver.mails[0]
    expect(mail?.parsed.subject).toBe('[Test] 3 notifications · Acme Inc')
    expect(header(0, 'x-cashnotify-ids')).toBe(batch.map((n) => n.id).join(', '))
    expect(mail?.parsed.messageId).toMatch(/^<batch\.[0-9a-f]{32}@cashnotify>$/)
    for (const n of batch) {
      // Test data is marked once, the email's way, instead of core's `[test] ` title mark.
      expect(mail?.parsed.text).toContain(`[Test mode] ${n.title.replace('[test] ', '')}`)
      expect(mail?.parsed.html).toContain(n.title.replace('[test] ', ''))
      expect(mail?.parsed.html).not.toContain('[test]')
      expect(mail?.parsed.html).toContain(`href="${n.url}"`)
    }
    expect(mail?.parsed.attachments.map((a) => a.contentType)).toEqual(['image/png'])
  })

  it('starts a new e-mail with the next window', async () => {
    const email = notifier()
    fakeWindowClock()
    const first = [
      email.send(notification(sampleEvent('sale')), context()),
      email.send(notification(sampleEvent('refund')), context()),
    ]
    endWindow()
    await Promise.all(first)
    fakeWindowClock()
    const second = [
      email.send(notification(sampleEvent('dispute.created')), context()),
      email.send(notification(sampleEvent('payout.failed')), context()),
    ]
    await vi.advanceTimersByTimeAsync(WINDOW_MS - 1)
    expect(receiver.mails).toHaveLength(1)
    vi.advanceTimersByTime(1)
    vi.useRealTimers()
    await Promise.all(second)
    expect(receiver.mails).toHaveLength(2)
    expect(header(0, 'x-cashnotify-ids')).toBe('sale:pi_Sample01, refund:re_Sample01')
    expect(header(1, 'x-cashnotify-ids')).toBe('dispute.created:dp_Sample01, payout.failed:po_Sample02')
    expect(receiver.mails[0]?.parsed.messageId).not.toBe(receiver.mails[1]?.parsed.messageId)
  })

  it('sends a window of one notification as the ordinary e-mail', async () => {
    const email = notifier()
    fakeWindowClock()
    const sending = email.send(notification(sampleEvent('sale')), context())
    endWindow()
    await sending
    expect(receiver.mails[0]?.parsed.subject).toBe('[Test] $49.00 sale · Acme Inc')
    expect(receiver.mails[0]?.parsed.messageId).toBe('<sale=3Api_Sample01@cashnotify>')
    expect(header(0, 'x-cashnotify-id')).toBe('sale:pi_Sample01')
  })

  it('names the number of accounts, and marks test mode only when every notification is test data', async () => {
    const email = notifier()
    const other = {
      ...sampleEvent('refund'),
      account: sampleAccount({ id: 'acct_1OtherShop000000', name: 'Other Shop' }),
    }
    fakeWindowClock()
    const sends = [
      email.send(notification(sampleEvent('sale'), { livemode: true }), context()),
      email.send(notification(other), context()),
    ]
    endWindow()
    await Promise.all(sends)
    const mail = receiver.mails[0]
    expect(mail?.parsed.subject).toBe('2 notifications · 2 accounts')
    expect(mail?.parsed.attachments.map((a) => a.cid)).toHaveLength(2)
    expect(mail?.parsed.text).toContain('[Test mode] $10.00 refund · Other Shop')
  })

  it('uses `batch.subject`', async () => {
    const email = notifier({ batch: { everyMinutes: 5, subject: (ns) => `Sales batch (${ns.length})` } })
    fakeWindowClock()
    const sends = [
      email.send(notification(sampleEvent('sale')), context()),
      email.send(notification(sampleEvent('refund')), context()),
    ]
    endWindow()
    await Promise.all(sends)
    expect(receiver.mails[0]?.parsed.subject).toBe('Sales batch (2)')
  })

  it('lists a notification sent twice in one window once, and settles both sends', async () => {
    const email = notifier()
    fakeWindowClock()
    const sale = notification(sampleEvent('sale'))
    const sends = [
      email.send(sale, context()),
      email.send(sale, context()),
      email.send(notification(sampleEvent('refund')), context()),
    ]
    endWindow()
    await Promise.all(sends)
    expect(header(0, 'x-cashnotify-ids')).toBe('sale:pi_Sample01, refund:re_Sample01')
  })

  it('takes a notification whose signal aborts out of the window, rejecting its send at once', async () => {
    const email = notifier()
    fakeWindowClock()
    const controller = new AbortController()
    const aborted = email.send(notification(sampleEvent('sale')), context(controller.signal))
    const kept = email.send(notification(sampleEvent('refund')), context())
    controller.abort(new Error('send timed out'))
    const error = await aborted.catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NotifierError)
    expect(error).toMatchObject({ retryable: true })
    expect((error as Error).message).toContain('waited for its batch window (5 min): send timed out')
    expect((error as Error).message).toContain('longer than `batch.everyMinutes`')
    endWindow()
    await kept
    expect(receiver.ids()).toEqual(['refund:re_Sample01'])
  })

  it('sends nothing when every notification of the window was aborted, and clears the timer', async () => {
    const email = notifier()
    fakeWindowClock()
    const controller = new AbortController()
    const sending = email
      .send(notification(sampleEvent('sale')), context(controller.signal))
      .catch((e: unknown) => e)
    expect(vi.getTimerCount()).toBe(1)
    controller.abort()
    expect(await sending).toBeInstanceOf(NotifierError)
    expect(vi.getTimerCount()).toBe(0)
    endWindow()
    expect(receiver.mails).toEqual([])
  })

  it('rejects every send of the window with the retryable error when the server refuses the batch', async () => {
    const email = notifier()
    receiver.fail(451)
    fakeWindowClock()
    const sends = [
      email.send(notification(sampleEvent('sale')), context()),
      email.send(notification(sampleEvent('refund')), context()),
    ]
    endWindow()
    const errors = await Promise.all(sends.map((s) => s.catch((e: unknown) => e)))
    for (const error of errors) {
      expect(error).toBeInstanceOf(NotifierError)
      expect(error).toMatchObject({ retryable: true })
      expect((error as Error).message).toContain('answered 451')
    }
  })

  it('cancels a batch in flight once every send waiting for it aborted', async () => {
    const email = notifier()
    receiver.stall()
    fakeWindowClock()
    const controllers = [new AbortController(), new AbortController()]
    const sends = [
      email.send(notification(sampleEvent('sale')), context(controllers[0]?.signal)).catch((e: unknown) => e),
      email
        .send(notification(sampleEvent('refund')), context(controllers[1]?.signal))
        .catch((e: unknown) => e),
    ]
    endWindow()
    await vi.waitFor(() => expect(receiver.connections()).toBe(1))
    controllers[0]?.abort(new Error('first gave up'))
    expect(await sends[0]).toMatchObject({
      message: '[cashnotify] [email] Sending was aborted: first gave up.',
    })
    expect(receiver.connections()).toBe(1)
    controllers[1]?.abort(new Error('second gave up'))
    expect(await sends[1]).toMatchObject({
      message: '[cashnotify] [email] Sending was aborted: second gave up.',
    })
    await vi.waitFor(() => expect(receiver.connections()).toBe(0))
  })

  it('close() sends the open window at once, clears its timer, then closes', async () => {
    const email = notifier()
    fakeWindowClock()
    const sends = [
      email.send(notification(sampleEvent('sale')), context()),
      email.send(notification(sampleEvent('refund')), context()),
    ]
    expect(vi.getTimerCount()).toBe(1)
    const closing = email.close?.()
    expect(vi.getTimerCount()).toBe(0)
    vi.useRealTimers()
    await closing
    await Promise.all(sends)
    expect(receiver.mails).toHaveLength(1)
    expect(header(0, 'x-cashnotify-ids')).toBe('sale:pi_Sample01, refund:re_Sample01')
    await vi.waitFor(() => expect(receiver.connections()).toBe(0))
  })
})
