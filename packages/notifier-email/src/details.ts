import type {
  CustomerInfo,
  DisputeClosedEvent,
  DisputeCreatedEvent,
  DomainEvent,
  PaymentFailedEvent,
  PayoutEvent,
  ProductLine,
  RefundEvent,
  SaleEvent,
  SaleUpdatedEvent,
  SubscriptionCanceledEvent,
  SubscriptionCreatedEvent,
  SubscriptionInfo,
  SubscriptionTrialWillEndEvent,
} from '@cashnotify/core/notifier'

/** One line of an e-mail's detail table: a label and its value, both plain text (escaped when rendered). */
export interface Detail {
  readonly label: string
  readonly value: string
}

/** Shows dates in one time zone, with the zone named, so a reader never guesses. */
export interface DateStyle {
  readonly timeZone: string
}

/** Shows a date as a day in the reader's time zone; undefined stays undefined. */
type Day = (date: Date | undefined) => string | undefined
type Rows = Array<Detail | undefined>

/**
 * The facts of a domain event worth reading in an e-mail, in the order a person looks for them.
 * Absent fields are left out; fields that could not be known are listed by {@link unavailableNote}.
 */
export function details(event: DomainEvent, style: DateStyle): Detail[] {
  const day: Day = (date) => (date ? formatDay(date, style) : undefined)
  const rows: Rows = [
    ...eventRows(event, day),
    row('Account', `${event.account.name} (${event.account.mode} mode)`),
    row('When', formatTime(event.createdAt, style)),
  ]
  return rows.filter((entry): entry is Detail => entry !== undefined)
}

/** The rows of what is particular to each event type. */
function eventRows(event: DomainEvent, day: Day): Rows {
  switch (event.type) {
    case 'sale':
    case 'sale.updated':
      return saleRows(event)
    case 'refund':
      return refundRows(event)
    case 'payment.failed':
      return paymentFailedRows(event)
    case 'dispute.created':
    case 'dispute.closed':
      return disputeRows(event, day)
    case 'subscription.created':
    case 'subscription.canceled':
    case 'subscription.trial_will_end':
      return subscriptionRows(event, day)
    case 'payout.paid':
    case 'payout.failed':
      return payoutRows(event, day)
  }
}

function saleRows(event: SaleEvent | SaleUpdatedEvent): Rows {
  return [
    row('Amount', event.amount.formatted),
    row('Stripe fee', event.fee?.formatted),
    row('Net', event.net?.formatted),
    row('Customer', customer(event.customer)),
    row('Products', products(event.products)),
    row('Subscription', subscription(event.subscription)),
    row('Description', event.description),
    row('Payment', event.paymentIntentId ?? event.chargeId),
  ]
}

function refundRows(event: RefundEvent): Rows {
  const ofCharge = event.full
    ? 'refunded in full'
    : event.chargeAmount
      ? `${event.chargeAmount.formatted} (partial refund)`
      : 'partial refund'
  return [
    row('Refunded', event.amount.formatted),
    row('Of the charge', ofCharge),
    row('Customer', customer(event.customer)),
    row('Reason', humanise(event.reason)),
    row('Charge', event.chargeId),
  ]
}

function paymentFailedRows(event: PaymentFailedEvent): Rows {
  return [
    row('Amount', event.amount.formatted),
    row('Reason', event.reason),
    row('Decline code', event.declineCode),
    row('Customer', customer(event.customer)),
    row('Subscription', subscription(event.subscription)),
    row('Payment', event.paymentIntentId ?? event.invoiceId),
  ]
}

function disputeRows(event: DisputeCreatedEvent | DisputeClosedEvent, day: Day): Rows {
  if (event.type === 'dispute.created') {
    return [
      row('Disputed', event.amount.formatted),
      row('Reason', humanise(event.reason)),
      row('Evidence due by', day(event.evidenceDueBy)),
      row('Charge', event.chargeId),
    ]
  }
  return [
    row('Disputed', event.amount.formatted),
    row('Outcome', humanise(event.outcome)),
    row('Charge', event.chargeId),
  ]
}

function subscriptionRows(
  event: SubscriptionCreatedEvent | SubscriptionCanceledEvent | SubscriptionTrialWillEndEvent,
  day: Day,
): Rows {
  const who = [row('Customer', customer(event.customer))]
  switch (event.type) {
    case 'subscription.created':
      return [
        ...who,
        row('Products', products(event.products)),
        row('Subscription', subscription(event.subscription)),
        row('Trial ends', day(event.trialEnd)),
      ]
    case 'subscription.canceled':
      return [
        ...who,
        row('Subscription', subscription(event.subscription)),
        row(event.scheduled ? 'Ends' : 'Ended', day(event.endsAt)),
        row('Reason', humanise(event.reason)),
      ]
    case 'subscription.trial_will_end':
      return [
        ...who,
        row('Subscription', subscription(event.subscription)),
        row('Trial ends', day(event.trialEnd)),
      ]
  }
}

function payoutRows(event: PayoutEvent, day: Day): Rows {
  return [
    row('Amount', event.amount.formatted),
    row('Arrival', day(event.arrivalDate)),
    row('Failure', event.failureMessage),
    row('Failure code', event.failureCode),
    row('Payout', event.payoutId),
  ]
}

/** `Not shown: fee (missing permission rak_balance_read)`, or undefined when everything was known. */
export function unavailableNote(event: DomainEvent): string | undefined {
  const entries = Object.entries(event.unavailable)
  if (entries.length === 0) return undefined
  return `Not shown: ${entries.map(([field, why]) => `${field} (${why})`).join(', ')}.`
}

function row(label: string, value: string | undefined): Detail | undefined {
  return value === undefined || value === '' ? undefined : { label, value }
}

function customer(info: CustomerInfo | undefined): string | undefined {
  if (!info) return undefined
  const who = info.name && info.email ? `${info.name} <${info.email}>` : (info.name ?? info.email ?? info.id)
  if (!who) return undefined
  return info.country ? `${who} (${info.country})` : who
}

function products(lines: readonly ProductLine[]): string | undefined {
  const named = lines.map((line) => {
    const name = line.name ?? line.id ?? 'unnamed product'
    const quantity = line.quantity === 1 ? '' : ` × ${line.quantity}`
    return `${name}${quantity}${line.amount ? ` (${line.amount.formatted})` : ''}`
  })
  return named.length === 0 ? undefined : named.join(', ')
}

function subscription(info: SubscriptionInfo | undefined): string | undefined {
  if (!info) return undefined
  const price = info.amount ? `${info.amount.formatted}${every(info)}` : undefined
  return [price, info.status].filter(Boolean).join(', ') || info.id
}

function every(info: SubscriptionInfo): string {
  if (!info.interval) return ''
  const count = info.intervalCount ?? 1
  return count === 1 ? ` / ${info.interval}` : ` every ${count} ${info.interval}s`
}

/** `requested_by_customer` reads `requested by customer`. */
function humanise(code: string | undefined): string | undefined {
  return code?.replace(/_/g, ' ')
}

function formatDay(date: Date, style: DateStyle): string {
  return new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: style.timeZone }).format(date)
}

/** `Nov 2, 2026, 12:00 PM UTC`. */
export function formatTime(date: Date, style: DateStyle): string {
  const text = new Intl.DateTimeFormat('en-US', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: style.timeZone,
  }).format(date)
  return `${text} ${style.timeZone}`
}
