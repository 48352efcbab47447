import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Notifier } from '../delivery/notifier.js'
import { NotifierError } from '../shared/errors.js'
import { containsSecret } from '../shared/redact.js'
import { DOMAIN_EVENT_TYPES, sampleEvent, sampleNotification } from './fixtures.js'

/** A notifier wired to a real receiver, as the shared suite needs it. */
export interface NotifierHarness {
  /** The notifier under test, sending to a working receiver. */
  readonly notifier: Notifier
  /**
   * The idempotency ids of the notifications the receiver got, in order, as the receiver sees them
   * (a header, a field of the body, a message id...): proves the id is passed through.
   */
  received(): Promise<readonly string[]>
  /** Makes the receiver refuse every delivery (a 5xx, an SMTP 451 ...) until {@link recover}. */
  fail(): void | Promise<void>
  /** Makes the receiver accept the connection and never answer, until {@link recover}. */
  stall(): void | Promise<void>
  /** Back to normal. */
  recover(): void | Promise<void>
  /** Stops the receiver and closes the notifier. */
  close(): Promise<void>
}

/** Options of {@link notifierTestSuite}. */
export interface NotifierSuiteOptions {
  /** The suite's title, e.g. the notifier's name. */
  readonly name: string
  /** A fresh harness for each test. */
  setup(): Promise<NotifierHarness>
  /** Longest a send may take before the suite calls it hung, ms. @default 5000 */
  readonly timeoutMs?: number
}

function context(signal: AbortSignal = new AbortController().signal, attempt = 1) {
  return { signal, attempt }
}

/**
 * The tests every notifier must pass, ours and users': the contract's shape, delivery of every event
 * type, the idempotency id reaching the receiver, clear errors that say whether a retry can help, and
 * an abort signal that ends a stalled send. Call it inside a vitest test file.
 *
 * @example
 * ```ts
 * notifierTestSuite({ name: 'my notifier', setup: async () => myHarness() })
 * ```
 */
export function notifierTestSuite(options: NotifierSuiteOptions): void {
  const timeoutMs = options.timeoutMs ?? 5_000
  describe(`${options.name}: the notifier contract`, () => {
    let harness: NotifierHarness
    beforeEach(async () => {
      harness = await options.setup()
    })
    afterEach(async () => {
      await harness.recover()
      await harness.close()
    })

    it('has a short name and a send that returns a promise', async () => {
      expect(harness.notifier.name).toMatch(/^[a-z0-9][a-z0-9._-]*$/i)
      const sending = harness.notifier.send(sampleNotification(), context())
      expect(sending).toBeInstanceOf(Promise)
      await sending
    })

    it('delivers every domain event type, each with its idempotency id', async () => {
      const sent = DOMAIN_EVENT_TYPES.map((type) => sampleNotification(sampleEvent(type)))
      for (const notification of sent) await harness.notifier.send(notification, context())
      expect(await harness.received()).toEqual(sent.map((n) => n.id))
    })

    it('passes the same id again when the same notification is retried', async () => {
      const notification = sampleNotification()
      await harness.notifier.send(notification, context(undefined, 1))
      await harness.notifier.send(notification, context(undefined, 2))
      expect(await harness.received()).toEqual([notification.id, notification.id])
    })

    it('rejects with a clear, retryable NotifierError when the receiver fails, and leaks no secret', async () => {
      await harness.fail()
      const error = await harness.notifier.send(sampleNotification(), context()).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(NotifierError)
      expect((error as NotifierError).notifier).toBe(harness.notifier.name)
      expect((error as NotifierError).retryable).toBe(true)
      expect((error as Error).message).toContain(`[${harness.notifier.name}]`)
      expect(containsSecret(JSON.stringify({ message: (error as Error).message }))).toBe(false)
    })

    it(
      'ends a stalled send when the signal aborts',
      async () => {
        await harness.stall()
        const controller = new AbortController()
        const started = Date.now()
        const sending = harness.notifier.send(sampleNotification(), context(controller.signal))
        setTimeout(() => controller.abort(new Error('send timed out')), 100)
        const error = await sending.catch((e: unknown) => e)
        expect(error).toBeInstanceOf(Error)
        expect(Date.now() - started).toBeLessThan(timeoutMs)
      },
      timeoutMs + 1_000,
    )

    it('does not deliver when the signal is already aborted', async () => {
      const controller = new AbortController()
      controller.abort(new Error('stopping'))
      await expect(
        harness.notifier.send(sampleNotification(), context(controller.signal)),
      ).rejects.toBeInstanceOf(Error)
      expect(await harness.received()).toEqual([])
    })
  })
}
