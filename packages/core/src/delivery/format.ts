/**
 * The default text of a notification: a title and a body that read at a glance on a lock screen, in a
 * Slack channel or an email subject. Amounts come already formatted from the event (`Money.formatted`),
 * so zero- and three-decimal currencies read right; dates go through `Intl.DateTimeFormat`.
 */
import type { CustomerInfo, DomainEvent, Money, ProductLine, SubscriptionInfo } from '../enrich/domain-events.js'
import type { Notification } from './notifier.js'

/** What a notification says: a title and a body (which may be empty). */
export interface NotificationText {
  /** One short line, e.g. `$49.00 sale · Acme Inc`. */
  readonly title: string
  /** Detail, parts separated by ` · `, e.g. `jane@example.com (US) · Pro plan · fee $1.72`. */
  readonly body: string
}

/** What privacy mode hides from the text, e.g. when notifications show on a shared screen. */
export interface PrivacyOptions {
  /** Hide the customer's email, name and country. @default true */
  readonly customer?: boolean
  /** Hide every amount (price, fee, refund, payout). @default false */
  readonly amounts?: boolean
}

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

const SEP = ' · '

interface Context {
  readonly hideCustomer: boolean
  readonly hideAmounts: boolean
  readonly date: (value: Date | undefined, calendarDate?: boolean) => string | undefined
}

/** The privacy option in full: `true` hides the customer only. */
export function resolvePrivacy(privacy: FormatOptions['privacy']): { customer: boolean; amounts: boolean } {
  if (privacy === true) return { customer: true, amounts: false }
  if (!privacy) return { customer: false, amounts: false }
  return { customer: privacy.customer ?? true, amounts: privacy.amounts ?? false }
}

/** Joins the parts that exist: a missing field simply does not appear (never `undefined`). */
function join(parts: ReadonlyArray<string | undefined | false>): string {
  return parts.filter((part): part is string => typeof part === 'string' && part.length > 0).join(SEP)
}

/** `requested_by_customer` → `requested by customer`; free text is left alone. */
function humanize(code: string | undefined): string | undefined {
  if (!code) return undefined
  return /^[a-z0-9_]+$/.test(code) ? code.replaceAll('_', ' ') : code
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** The customer first when shown; else the body starts with a capital, as a sentence does. */
function withCustomer(
  customer: string | undefined,
  parts: ReadonlyArray<string | undefined | false>,
): string {
  return customer ? join([customer, ...parts]) : capitalize(join(parts))
}

function customerText(customer: CustomerInfo | undefined, ctx: Context): string | undefined {
  if (!customer || ctx.hideCustomer) return undefined
  const who = customer.email ?? customer.name
  if (who) return customer.country ? `${who} (${customer.country})` : who
  return customer.country ? `customer from ${customer.country}` : undefined
}

function productsText(products: readonly ProductLine[]): string | undefined {
  const named = products.filter((line) => line.name)
  if (named.length === 0) return undefined
  const shown = named
    .slice(0, 2)
    .map((line) => (line.quantity > 1 ? `${line.quantity} × ${line.name}` : line.name))
  const more = named.length - shown.length
  return more > 0 ? `${shown.join(', ')} +${more} more` : shown.join(', ')
}

function moneyText(amount: Money | undefined, ctx: Context): string | undefined {
  return amount && !ctx.hideAmounts ? amount.formatted : undefined
}

/** `$49.00/month`, `$99.00 every 3 months`, or just the amount when the interval is unknown. */
function priceText(subscription: SubscriptionInfo | undefined, ctx: Context): string | undefined {
  const amount = moneyText(subscription?.amount, ctx)
  if (!amount || !subscription?.interval) return amount
  const count = subscription.intervalCount ?? 1
  return count > 1
    ? `${amount} every ${count} ${subscription.interval}s`
    : `${amount}/${subscription.interval}`
}

/** `[test] $49.00 sale · Acme Inc`; without an amount, `[test] Sale · Acme Inc`. */
function title(event: DomainEvent, label: string, amount: string | undefined): string {
  const lead = amount ? `${amount} ${label}` : capitalize(label)
  return `${event.livemode ? '' : '[test] '}${lead}${SEP}${event.account.name}`
}

function text(event: DomainEvent, ctx: Context): NotificationText {
  switch (event.type) {
    case 'sale':
      return {
        title: title(event, 'sale', moneyText(event.amount, ctx)),
        body: withCustomer(customerText(event.customer, ctx), [
          productsText(event.products) ?? event.description,
          moneyText(event.fee, ctx) && `fee ${moneyText(event.fee, ctx)}`,
        ]),
      }
    case 'refund': {
      const of = moneyText(event.chargeAmount, ctx)
      return {
        title: title(event, 'refund', moneyText(event.amount, ctx)),
        body: join([
          event.full ? 'Full refund' : of ? `Partial refund of a ${of} payment` : 'Partial refund',
          customerText(event.customer, ctx),
          humanize(event.reason),
        ]),
      }
    }
    case 'payment.failed':
      return {
        title: title(event, 'payment failed', moneyText(event.amount, ctx)),
        body: withCustomer(customerText(event.customer, ctx), [
          humanize(event.declineCode) ?? event.reason,
          event.subscription && 'subscription renewal',
        ]),
      }
    case 'dispute.created': {
      const due = ctx.date(event.evidenceDueBy)
      return {
        title: title(event, 'dispute', moneyText(event.amount, ctx)),
        body: join([`Reason: ${humanize(event.reason)}`, due && `evidence due by ${due}`]),
      }
    }
    case 'dispute.closed': {
      const decided = event.outcome === 'won' || event.outcome === 'lost'
      return {
        title: title(
          event,
          decided ? `dispute ${event.outcome}` : 'dispute closed',
          moneyText(event.amount, ctx),
        ),
        body: `Closed as ${humanize(event.outcome)}`,
      }
    }
    case 'subscription.created': {
      const price = priceText(event.subscription, ctx)
      const trial = ctx.date(event.trialEnd)
      return {
        title: title(event, price ? `new ${price} subscription` : 'new subscription', undefined),
        body: withCustomer(customerText(event.customer, ctx), [
          productsText(event.products),
          trial && `trial until ${trial}`,
        ]),
      }
    }
    case 'subscription.canceled': {
      const ends = ctx.date(event.endsAt)
      return {
        title: title(
          event,
          event.scheduled ? 'subscription set to cancel' : 'subscription canceled',
          undefined,
        ),
        body: withCustomer(customerText(event.customer, ctx), [
          priceText(event.subscription, ctx),
          event.scheduled
            ? `ends at period end${ends ? `, ${ends}` : ''}`
            : `canceled immediately${ends ? `, ${ends}` : ''}`,
          humanize(event.reason),
        ]),
      }
    }
    case 'subscription.trial_will_end': {
      const ends = ctx.date(event.trialEnd)
      const price = priceText(event.subscription, ctx)
      return {
        title: title(event, 'trial ending', undefined),
        body: withCustomer(customerText(event.customer, ctx), [
          ends && `trial ends ${ends}`,
          price && `then ${price}`,
        ]),
      }
    }
    case 'payout.paid': {
      // Stripe's arrival date is a calendar date (midnight UTC): shown as such, whatever the time zone.
      const arrives = ctx.date(event.arrivalDate, true)
      return {
        title: title(event, 'payout', moneyText(event.amount, ctx)),
        body: arrives ? `Arrives in your bank on ${arrives}` : '',
      }
    }
    case 'payout.failed':
      return {
        title: title(event, 'payout failed', moneyText(event.amount, ctx)),
        body: capitalize(event.failureMessage ?? humanize(event.failureCode) ?? ''),
      }
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
  const ctx: Context = {
    hideCustomer: privacy.customer,
    hideAmounts: privacy.amounts,
    date: (value, calendarDate = false) =>
      value && !Number.isNaN(value.getTime()) ? formatter(calendarDate).format(value) : undefined,
  }
  return text(event, ctx)
}

/**
 * The main amount of an event: what was paid, refunded, disputed or paid out; for a subscription event,
 * what one period costs. `undefined` when the event has none.
 */
export function eventAmount(event: DomainEvent): Money | undefined {
  if ('amount' in event) return event.amount
  return event.subscription.amount
}

/**
 * The event as notifiers may see it when customer details are private: without its customer, nor the raw
 * Stripe events that hold them, so no payload (webhook data, e-mail facts) can show them either.
 */
export function withoutCustomer(event: DomainEvent): DomainEvent {
  const { customer: _customer, ...rest } = event as DomainEvent & { customer?: unknown }
  return { ...rest, stripeEvents: [] } as DomainEvent
}

/** The {@link Notification} of an event with the given text: its id is the event's idempotency id. */
export function toNotification(event: DomainEvent, text: NotificationText): Notification {
  const amount = eventAmount(event)
  return {
    id: event.id,
    type: event.type,
    title: text.title,
    body: text.body,
    account: event.account,
    livemode: event.livemode,
    ...(amount ? { amount } : {}),
    ...(event.dashboardUrl ? { url: event.dashboardUrl } : {}),
    createdAt: event.createdAt,
    event,
  }
}
