/**
 * One notification standing for several: a burst of sales (`3 sales · $147.00 · Acme Inc`) or what quiet
 * hours held (`While you were away: 7 sales · $412.00`). Either is an ordinary {@link Notification} — the
 * first member's event as `event`, so every notifier can send it — with the members in `group` and an id
 * derived from theirs, the same for the same members across restarts.
 */
import { createHash } from 'node:crypto'
import type { Notification, NotificationMark } from '../delivery/notifier.js'
import type { DomainEventType } from '../enrich/domain-events.js'
import type { Money, MoneyFormats } from '../shared/money.js'

/** How a count of each event type reads: singular, plural. */
const NOUNS: Readonly<Record<DomainEventType, readonly [string, string]>> = {
  sale: ['sale', 'sales'],
  'sale.updated': ['completed sale', 'completed sales'],
  refund: ['refund', 'refunds'],
  'payment.failed': ['failed payment', 'failed payments'],
  'dispute.created': ['dispute', 'disputes'],
  'dispute.closed': ['closed dispute', 'closed disputes'],
  'subscription.created': ['new subscription', 'new subscriptions'],
  'subscription.canceled': ['canceled subscription', 'canceled subscriptions'],
  'subscription.trial_will_end': ['ending trial', 'ending trials'],
  'payout.paid': ['payout', 'payouts'],
  'payout.failed': ['failed payout', 'failed payouts'],
}

/** How compositions write amounts. */
export interface ComposeText {
  readonly formats: MoneyFormats
  readonly hideAmounts: boolean
}

/** `group:` or `summary:` and a digest of the member ids, whatever order they came in. */
function derivedId(prefix: string, members: readonly Notification[]): string {
  const ids = members.map((member) => member.id).sort()
  return `${prefix}:${createHash('sha256').update(ids.join('\n')).digest('hex').slice(0, 32)}`
}

function count(type: DomainEventType, n: number): string {
  const [one, many] = NOUNS[type]
  return `${n} ${n === 1 ? one : many}`
}

/** The sales' total per currency, in the order the currencies first appear. */
function totals(members: readonly Notification[], formats: MoneyFormats): Money[] {
  const sums = new Map<string, number>()
  for (const member of members)
    if (member.type === 'sale' && member.amount)
      sums.set(member.amount.currency, (sums.get(member.amount.currency) ?? 0) + member.amount.amount)
  return [...sums].map(([currency, amount]) => formats.money(amount, currency))
}

function unionOfMarks(members: readonly Notification[]): NotificationMark[] {
  return members.flatMap((member) => member.marks ?? [])
}

/** The fields every composition shares: the first member's event, the members, their marks. */
function composed(
  prefix: string,
  members: readonly Notification[],
  lead: Notification,
  text: { title: string; body: string },
  amount: Money | undefined,
): Notification {
  const marks = unionOfMarks(members)
  const { amount: _amount, marks: _marks, group: _group, ...rest } = lead
  return {
    ...rest,
    id: derivedId(prefix, members),
    title: text.title,
    body: text.body,
    ...(amount ? { amount } : {}),
    ...(marks.length > 0 ? { marks } : {}),
    group: members,
  }
}

/** A burst of sales of one account and currency as one notification: `3 sales · $147.00 · Acme Inc`. */
export function groupOf(members: readonly Notification[], text: ComposeText): Notification {
  const [first] = members
  if (!first || members.length === 1) return first as Notification
  const [total] = totals(members, text.formats)
  const tag = first.livemode ? '' : '[test] '
  const amounts = text.hideAmounts ? [] : [total?.formatted]
  const title = `${tag}${[count('sale', members.length), ...amounts, first.account.name].filter(Boolean).join(' · ')}`
  const shown = members.slice(0, 10).map((member) => member.amount?.formatted)
  const more = members.length > 10 ? ` and ${members.length - 10} more` : ''
  const body = text.hideAmounts ? `${count('sale', members.length)} in a row` : `${shown.join(' · ')}${more}`
  return composed('group', members, first, { title, body }, text.hideAmounts ? undefined : total)
}

/** What quiet hours held, as one summary: `While you were away: 7 sales · $412.00`. */
export function summaryOf(members: readonly Notification[], text: ComposeText): Notification {
  const [first] = members
  if (!first || members.length === 1) return first as Notification
  const flat = members.flatMap((member) => member.group ?? [member])
  const byType = new Map<DomainEventType, number>()
  for (const member of flat) byType.set(member.type, (byType.get(member.type) ?? 0) + 1)
  const sums = totals(flat, text.formats)
  const sales = byType.get('sale') ?? 0
  const lead = flat.find((member) => member.type === 'sale') ?? first
  const headline =
    sales > 0
      ? [count('sale', sales), ...(text.hideAmounts ? [] : [sums.map((sum) => sum.formatted).join(' + ')])]
      : [`${flat.length} notifications`]
  const tag = first.livemode ? '' : '[test] '
  const title = `${tag}While you were away: ${headline.join(' · ')}`
  const counts = [...byType].map(([type, n]) => count(type, n))
  const body = `${first.account.name}: ${counts.join(', ')}`
  const amount = sums.length === 1 && !text.hideAmounts ? sums[0] : undefined
  return composed('summary', flat, lead, { title, body }, amount)
}
