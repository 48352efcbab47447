/**
 * The default text of a notification: a title and a body that read at a glance on a lock screen, in a
 * Slack channel or an email subject. Amounts come already formatted from the event (`Money.formatted`),
 * so zero- and three-decimal currencies read right; dates go through `Intl.DateTimeFormat`.
 */
import type { DomainEvent } from '../../enrich/domain-events.js'
import { type PrivacyOptions, resolvePrivacy } from '../privacy.js'
import {
  disputeText,
  paymentFailedText,
  payoutText,
  refundText,
  saleText,
  subscriptionText,
} from './families.js'
import type { NotificationText, TextContext } from './parts.js'

/** Options of {@link formatNotification}. */
export interface FormatOptions {
  /**
   * Hide details from the text: `true` hides the customer (email, name, country); an object chooses,
   * e.g. `{ amounts: true }` hides the customer and the amounts. Only the text is affected: the
   * notification still carries the event for notifiers that render their own format.
   * @default false
   */
  readonly privacy?: boolean | PrivacyOptions
  /** The locale of dates, e.g. `de-DE`. Amounts keep the formatting they came with. @default 'en-US' */
  readonly locale?: string
  /** The time zone of dates and times, e.g. `Europe/Paris`. @default the system's time zone */
  readonly timeZone?: string
}

/**
 * Lets an app write its own text: it gets the event and the default text, and returns the text to send.
 *
 * @example
 * ```ts
 * const format: FormatHook = (event, defaults) =>
 *   event.type === 'sale' ? { ...defaults, title: `💰 ${defaults.title}` } : defaults
 * ```
 */
export type FormatHook = (event: DomainEvent, defaults: NotificationText) => NotificationText

function textOf(event: DomainEvent, ctx: TextContext): NotificationText {
  switch (event.type) {
    case 'sale':
    case 'sale.updated':
      return saleText(event, ctx)
    case 'refund':
      return refundText(event, ctx)
    case 'payment.failed':
      return paymentFailedText(event, ctx)
    case 'dispute.created':
    case 'dispute.closed':
      return disputeText(event, ctx)
    case 'subscription.created':
    case 'subscription.canceled':
    case 'subscription.trial_will_end':
      return subscriptionText(event, ctx)
    case 'payout.paid':
    case 'payout.failed':
      return payoutText(event, ctx)
  }
}

/**
 * The default text of a notification for an event.
 *
 * @example
 * ```ts
 * formatNotification(sale)
 * // { title: '$49.00 sale · Acme Inc', body: 'jane@example.com (US) · Pro plan · fee $1.72' }
 * formatNotification(sale, { privacy: { amounts: true } })
 * // { title: 'Sale · Acme Inc', body: 'Pro plan' }
 * ```
 */
export function formatNotification(event: DomainEvent, options: FormatOptions = {}): NotificationText {
  const privacy = resolvePrivacy(options.privacy)
  const locale = options.locale ?? 'en-US'
  // Made only when a date is shown: building an Intl.DateTimeFormat costs more than the rest together.
  const formatter = (calendarDate: boolean): Intl.DateTimeFormat =>
    new Intl.DateTimeFormat(locale, {
      dateStyle: 'medium',
      ...(calendarDate ? { timeZone: 'UTC' } : options.timeZone ? { timeZone: options.timeZone } : {}),
    })
  return textOf(event, {
    hideCustomer: privacy.customer,
    hideAmounts: privacy.amounts,
    date: (value, calendarDate = false) =>
      value && !Number.isNaN(value.getTime()) ? formatter(calendarDate).format(value) : undefined,
  })
}
