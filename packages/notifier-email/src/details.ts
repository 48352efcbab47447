import type { CustomerInfo, DomainEvent, ProductLine, SubscriptionInfo } from '@cashnotify/core/notifier'

/** One line of an e-mail's detail table: a label and its value, both plain text (escaped when rendered). */
export interface Detail {
  readonly label: string
  readonly value: string
}

/** Shows dates in one time zone, with the zone named, so a reader never guesses. */
export interface DateStyle {
  readonly timeZone: string
}

/**
 * The facts of a domain event worth reading in an e-mail, in the order a person looks for them.
 * Absent fields are left out; fields that could not be known are listed by {@link unavailableNote}.
 */
export function details(event: DomainEvent, style: DateStyle): Detail[] {
  const rows: Array<Detail | undefined> = []
  const day = (date: Date | undefined) => (date ? formatDay(date, style) : undefined)
  switch (event.type) {
    case 'sale':
      rows.push(
        row('Amount', event.amount.formatted),
        row('Stripe fee', event.fee?.formatted),
        row('Net', event.net?.formatted),
        row('Customer', customer(event.customer)),
        row('Products', products(event.products)),
        row('Subscription', subscription(event.subscription)),
        row('Description', event.description),
        row('Payment', event.paymentIntentId ?? event.chargeId),
      )
      break
    case 'refund':
      rows.push(
        row('Refunded', event.amount.formatted),
        row(
          'Of the charge',
          event.full
            ? 'refunded in full'
            : event.chargeAmount
              ? `${event.chargeAmount.formatted} (partial refund)`
              : 'partial refund',
        ),
        row('Customer', customer(event.customer)),
        row('Reason', humanise(event.reason)),
        row('Charge', event.chargeId),
      )
      break
    case 'payment.failed':
      rows.push(
        row('Amount', event.amount.formatted),
        row('Reason', event.reason),
        row('Decline code', event.declineCode),
        row('Customer', customer(event.customer)),
        row('Subscription', subscription(event.subscription)),
        row('Payment', event.paymentIntentId ?? event.invoiceId),
      )
      break
    case 'dispute.created':
      rows.push(
        row('Disputed', event.amount.formatted),
        row('Reason', humanise(event.reason)),
        row('Evidence due by', day(event.evidenceDueBy)),
        row('Charge', event.chargeId),
      )
      break
    case 'dispute.closed':
      rows.push(
        row('Disputed', event.amount.formatted),
        row('Outcome', humanise(event.outcome)),
        row('Charge', event.chargeId),
      )
      break
    case 'subscription.created':
      rows.push(
        row('Customer', customer(event.customer)),
        row('Products', products(event.products)),
        row('Subscription', subscription(event.subscription)),
        row('Trial ends', day(event.trialEnd)),
      )
      break
    case 'subscription.canceled':
      rows.push(
        row('Customer', customer(event.customer)),
        row('Subscription', subscription(event.subscription)),
        row(event.scheduled ? 'Ends' : 'Ended', day(event.endsAt)),
        row('Reason', humanise(event.reason)),
      )
      break
    case 'subscription.trial_will_end':
      rows.push(
        row('Customer', customer(event.customer)),
        row('Subscription', subscription(event.subscription)),
        row('Trial ends', day(event.trialEnd)),
      )
      break
    case 'payout.paid':
    case 'payout.failed':
      rows.push(
        row('Amount', event.amount.formatted),
        row('Arrival', day(event.arrivalDate)),
        row('Failure', event.failureMessage),
        row('Failure code', event.failureCode),
        row('Payout', event.payoutId),
      )
      break
  }
  rows.push(row('Account', `${event.account.name} (${event.account.mode} mode)`))
  rows.push(row('When', formatTime(event.createdAt, style)))
  return rows.filter((entry): entry is Detail => entry !== undefined)
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
