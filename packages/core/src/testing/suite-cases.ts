/** The shared suite's tests of how a notifier fails, closes and ends on its signal. */
import { expect, it, type TestContext } from 'vitest'
import type { NotifierContext } from '../delivery/notifier.js'
import { NotifierError } from '../shared/errors.js'
import { containsSecret } from '../shared/redact.js'
import { sampleNotification } from './fixtures.js'
import type { NotifierHarness } from './harness.js'

/** How long a stalled send is left hanging before its signal aborts: long enough to reach the receiver. */
const STALL_MS = 200

export function context(signal: AbortSignal = new AbortController().signal, attempt = 1): NotifierContext {
  return { signal, attempt }
}

/** What a send rejected with; fails the test when it resolved. */
async function sendError(harness: NotifierHarness): Promise<unknown> {
  const sent = Symbol('sent')
  const outcome = await harness.notifier.send(sampleNotification(), context()).then(
    () => sent,
    (error: unknown) => error,
  )
  expect(outcome, 'the send resolved: it was expected to reject').not.toBe(sent)
  return outcome
}

/** A `NotifierError` of this notifier, saying so in its message, with the flags given, and no secret. */
function expectNotifierError(
  error: unknown,
  harness: NotifierHarness,
  flags: Partial<Pick<NotifierError, 'retryable' | 'disable'>> = {},
): void {
  expect(error).toBeInstanceOf(NotifierError)
  const { notifier, message } = error as NotifierError
  expect(notifier).toBe(harness.notifier.name)
  expect(message).toContain(`[${harness.notifier.name}]`)
  expect(error).toMatchObject(flags)
  expect(containsSecret(JSON.stringify({ message }))).toBe(false)
}

/**
 * The capability is there, or the harness says why the channel cannot have it: a capability left out
 * by mistake fails here rather than passing unseen.
 */
async function declaredAbsent(
  harness: NotifierHarness,
  capability: 'refuse' | 'gone',
  { annotate }: TestContext,
): Promise<void> {
  const reason = harness.absent?.[capability]
  expect(
    typeof reason === 'string' && reason.trim() !== '',
    `The harness has no ${capability}(): implement it, or set \`absent.${capability}\` to why the channel has none.`,
  ).toBe(true)
  await annotate(`${capability}() absent on purpose: ${reason}`)
}

export function failureTests(current: () => NotifierHarness): void {
  it('rejects with a clear, retryable NotifierError when the receiver fails, and leaks no secret', async () => {
    await current().fail()
    expectNotifierError(await sendError(current()), current(), { retryable: true })
  })

  it('rejects a refusal (a 4xx) with a NotifierError that is not retryable, or the harness declares refuse() absent', async (test) => {
    const harness = current()
    if (!harness.refuse) return declaredAbsent(harness, 'refuse', test)
    expect(harness.absent?.refuse, 'refuse() is declared absent and implemented').toBeUndefined()
    await harness.refuse()
    expectNotifierError(await sendError(harness), harness, { retryable: false, disable: false })
    expect(await harness.received()).toEqual([])
  })

  it('disables itself when the receiver is gone for good (a 410), or the harness declares gone() absent', async (test) => {
    const harness = current()
    if (!harness.gone) return declaredAbsent(harness, 'gone', test)
    expect(harness.absent?.gone, 'gone() is declared absent and implemented').toBeUndefined()
    await harness.gone()
    expectNotifierError(await sendError(harness), harness, { retryable: false, disable: true })
    expect(await harness.received()).toEqual([])
  })
}

export function closeTests(current: () => NotifierHarness): void {
  it('resolves close(), then a send rejects clearly or reopens, as the harness declares (afterClose)', async () => {
    const harness = current()
    const { notifier } = harness
    const after = harness.afterClose ?? (notifier.close ? undefined : 'reopens')
    expect(after, 'The notifier has close(): declare `afterClose` (rejects or reopens).').toBeDefined()
    await expect(notifier.close?.() ?? Promise.resolve()).resolves.toBeUndefined()
    await expect(notifier.close?.() ?? Promise.resolve(), 'a second close()').resolves.toBeUndefined()
    const notification = sampleNotification()
    if (after === 'rejects') {
      expectNotifierError(await sendError(harness), harness)
      expect(await harness.received()).toEqual([])
    } else {
      await notifier.send(notification, context())
      expect(await harness.received()).toEqual([notification.id])
    }
  })
}

export function signalTests(
  current: () => NotifierHarness,
  timing: { readonly timeoutMs: number; readonly abortMarginMs: number },
): void {
  it(
    `ends a stalled send when its signal aborts, within ${timing.abortMarginMs} ms, and not before`,
    async () => {
      await current().stall()
      const controller = new AbortController()
      let endedAt: number | undefined
      const sending = current()
        .notifier.send(sampleNotification(), context(controller.signal))
        .then(
          () => undefined,
          (error: unknown) => error,
        )
        .finally(() => {
          endedAt = performance.now()
        })
      // Real time: the receiver is a real server, it cannot stall on fake timers.
      await new Promise((resolve) => setTimeout(resolve, STALL_MS))
      expect(endedAt, 'the send ended before its signal aborted: does stall() stall?').toBeUndefined()
      const abortedAt = performance.now()
      controller.abort(new Error('send timed out'))
      expect(await sending).toBeInstanceOf(Error)
      const late = (endedAt ?? Number.POSITIVE_INFINITY) - abortedAt
      expect(late, `the send ended ${Math.round(late)} ms after its signal aborted`).toBeLessThan(
        timing.abortMarginMs,
      )
    },
    timing.timeoutMs + STALL_MS + 1_000,
  )

  it('does not deliver when the signal is already aborted', async () => {
    const controller = new AbortController()
    controller.abort(new Error('stopping'))
    await expect(
      current().notifier.send(sampleNotification(), context(controller.signal)),
    ).rejects.toBeInstanceOf(Error)
    expect(await current().received()).toEqual([])
  })
}
