/** A domain event as a notification: its text, its privacy, its stable id. */
import { type DomainEvent, eventAmount } from '../enrich/domain-events.js'
import { printable } from '../shared/printable.js'
import type { Notification } from './notifier.js'
import { resolvePrivacy, withoutCustomer } from './privacy.js'
import { formatNotification } from './text/format.js'
import type { NotificationText } from './text/parts.js'
import type { DeliveryOptions } from './types.js'

/** The {@link Notification} of an event with the given text: its id is the event's idempotency id. */
export function toNotification(event: DomainEvent, text: NotificationText): Notification {
  const amount = eventAmount(event)
  return {
    id: event.id,
    type: event.type,
    // Buyer-entered text reaches lock screens, terminals and subjects: no control character gets through.
    title: printable(text.title),
    body: printable(text.body),
    account: event.account,
    livemode: event.livemode,
    ...(amount ? { amount } : {}),
    ...(event.dashboardUrl ? { url: event.dashboardUrl } : {}),
    createdAt: event.createdAt,
    event,
  }
}

function isText(value: unknown): value is NotificationText {
  if (typeof value !== 'object' || value === null) return false
  const text = value as Partial<NotificationText>
  return typeof text.title === 'string' && typeof text.body === 'string'
}

/**
 * The notification of an event, made once for every notifier. Private customer details stay out of the
 * whole notification, not only its text; a format hook that throws or returns no text is reported
 * through `fail` and the default text is used.
 */
export function notificationOf(
  given: DomainEvent,
  options: Pick<DeliveryOptions, 'privacy' | 'locale' | 'timeZone' | 'format'>,
  fail: (what: string, cause: unknown) => void,
): Notification {
  const { privacy, locale, timeZone, format } = options
  const event = resolvePrivacy(privacy).customer ? withoutCustomer(given) : given
  const defaults = formatNotification(event, {
    ...(privacy === undefined ? {} : { privacy }),
    ...(locale === undefined ? {} : { locale }),
    ...(timeZone === undefined ? {} : { timeZone }),
  })
  if (!format) return toNotification(event, defaults)
  let text: unknown
  try {
    text = format(event, defaults)
  } catch (error) {
    fail(`format ${event.id} with the format hook (the default text is used)`, error)
    return toNotification(event, defaults)
  }
  if (isText(text)) return toNotification(event, { title: text.title, body: text.body })
  fail(
    `format ${event.id}: the format hook must return { title, body } strings (the default text is used)`,
    undefined,
  )
  return toNotification(event, defaults)
}
