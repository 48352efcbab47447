/** What the shared notifier suite is given: a notifier wired to a real receiver, and its settings. */
import type { Notifier } from '../delivery/notifier.js'

/** A notifier wired to a real receiver, as the shared suite needs it. */
export interface NotifierHarness {
  /** The notifier under test, sending to a working receiver. */
  readonly notifier: Notifier
  /**
   * The idempotency ids of the notifications the receiver got, in order, as the receiver sees them
   * (a header, a field of the body, a message id...): proves the id is passed through.
   */
  received(): Promise<readonly string[]>
  /** Makes the receiver refuse every delivery for now (a 5xx, an SMTP 451 ...) until {@link recover}. */
  fail(): void | Promise<void>
  /** Makes the receiver accept the connection and never answer, until {@link recover}. */
  stall(): void | Promise<void>
  /**
   * Makes the receiver refuse every delivery for a reason a retry cannot fix (a 400 or 422, an SMTP 550
   * ...), until {@link recover}. Leave it out only when the channel has no such answer, and say why in
   * {@link absent}.
   */
  refuse?(): void | Promise<void>
  /**
   * Makes the receiver gone for good (an HTTP 410, an SMTP 521 ...), until {@link recover}. Leave it out
   * only when the channel has no such answer, and say why in {@link absent}.
   */
  gone?(): void | Promise<void>
  /**
   * Why the channel has no {@link refuse} or {@link gone}, e.g. `{ refuse: 'a desktop notification has
   * no 4xx' }`. For each capability a harness leaves out, the suite runs a test that fails unless it is
   * declared here, so a forgotten one shows. @default none: every capability is implemented
   */
  readonly absent?: { readonly refuse?: string; readonly gone?: string }
  /**
   * What a send does once `notifier.close()` resolved: `rejects` with a `NotifierError` naming the
   * notifier, or `reopens` and delivers. Required when the notifier has a `close()`.
   * @default 'reopens' when the notifier has no `close()` (there is nothing to close)
   */
  readonly afterClose?: 'rejects' | 'reopens'
  /** Back to normal. */
  recover(): void | Promise<void>
  /** Stops the receiver and closes the notifier (which the suite may have closed already). */
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
  /** How soon after its signal aborts a stalled send must have ended, ms (real time). @default 500 */
  readonly abortMarginMs?: number
}
