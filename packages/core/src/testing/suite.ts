import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DOMAIN_EVENT_TYPES, sampleEvent, sampleNotification } from './fixtures.js'
import type { NotifierHarness, NotifierSuiteOptions } from './harness.js'
import { closeTests, context, failureTests, signalTests } from './suite-cases.js'

/**
 * The tests every notifier must pass, ours and users': the contract's shape, delivery of every event
 * type, the idempotency id reaching the receiver, clear errors that say whether a retry can help (a
 * failure, a refusal, a channel gone for good), what `close()` leaves behind, and an abort signal that
 * ends a stalled send at once. Call it inside a vitest test file.
 *
 * @example
 * ```ts
 * notifierTestSuite({ name: 'my notifier', setup: async () => myHarness() })
 * ```
 */
export function notifierTestSuite(options: NotifierSuiteOptions): void {
  const timing = { timeoutMs: options.timeoutMs ?? 5_000, abortMarginMs: options.abortMarginMs ?? 500 }
  describe(`${options.name}: the notifier contract`, () => {
    let harness: NotifierHarness
    beforeEach(async () => {
      harness = await options.setup()
    })
    afterEach(async () => {
      await harness.recover()
      await harness.close()
    })
    const current = (): NotifierHarness => harness
    deliveryTests(current)
    failureTests(current)
    closeTests(current)
    signalTests(current, timing)
  })
}

function deliveryTests(current: () => NotifierHarness): void {
  it('has a short name and a send that returns a promise', async () => {
    expect(current().notifier.name).toMatch(/^[a-z0-9][a-z0-9._-]*$/i)
    const sending = current().notifier.send(sampleNotification(), context())
    expect(sending).toBeInstanceOf(Promise)
    await sending
  })

  it('delivers every domain event type, each with its idempotency id', async () => {
    const sent = DOMAIN_EVENT_TYPES.map((type) => sampleNotification(sampleEvent(type)))
    for (const notification of sent) await current().notifier.send(notification, context())
    expect(await current().received()).toEqual(sent.map((n) => n.id))
  })

  it('passes the same id again when the same notification is retried', async () => {
    const notification = sampleNotification()
    await current().notifier.send(notification, context(undefined, 1))
    await current().notifier.send(notification, context(undefined, 2))
    expect(await current().received()).toEqual([notification.id, notification.id])
  })
}
