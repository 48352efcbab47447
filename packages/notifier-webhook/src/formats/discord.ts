import type { CustomerInfo, DomainEvent, Notification, SubscriptionInfo } from '@cashnotify/core/notifier'
import { accountLine, truncate } from './text.js'

/** One field of a Discord embed. */
export interface DiscordField {
  readonly name: string
  readonly value: string
  readonly inline?: boolean
}

/** A Discord embed, as the message uses it. */
export interface DiscordEmbed {
  readonly title: string
  readonly description: string
  readonly url?: string
  readonly color: number
  readonly timestamp: string
  readonly footer: { readonly text: string; readonly icon_url?: string }
  readonly fields?: readonly DiscordField[]
}

/** A Discord webhook message. */
export interface DiscordMessage {
  readonly username?: string
  readonly embeds: readonly [DiscordEmbed]
}

/** Embed colours: good news green, money going back amber, failures red. */
export const COLORS = {
  green: 0x22c55e,
  amber: 0xf59e0b,
  red: 0xef4444,
  blurple: 0x635bff,
  blue: 0x3b82f6,
  grey: 0x6b7280,
} as const

/** Discord's limits, https://discord.com/developers/docs/resources/message#embed-object-embed-limits. */
const MAX_TITLE = 256
const MAX_DESCRIPTION = 4096
const MAX_FIELD_VALUE = 1024
const MAX_FOOTER = 2048

/**
 * A Discord message with one embed: the title (linking to the Stripe dashboard when there is a URL), the
 * body, a colour by event type, the event's time, the account in the footer, and the key facts as
 * fields. Mentions in text from Stripe are not resolved: Discord does not parse them in embeds.
 */
export function discordMessage(notification: Notification, username: string | undefined): DiscordMessage {
  const { account } = notification
  const fields = details(notification.event).map((field) => ({
    ...field,
    value: truncate(field.value, MAX_FIELD_VALUE),
    inline: true,
  }))
  const embed: DiscordEmbed = {
    title: truncate(notification.title, MAX_TITLE),
    description: truncate(notification.body, MAX_DESCRIPTION),
    ...(notification.url === undefined ? {} : { url: notification.url }),
    color: color(notification.event),
    timestamp: notification.createdAt.toISOString(),
    footer: {
      text: truncate(accountLine(account), MAX_FOOTER),
      ...(account.logo.url === undefined ? {} : { icon_url: account.logo.url }),
    },
    ...(fields.length === 0 ? {} : { fields }),
  }
  return { ...(username === undefined ? {} : { username }), embeds: [embed] }
}

function color(event: DomainEvent): number {
  switch (event.type) {
    case 'sale':
    case 'sale.updated':
      return COLORS.green
    case 'refund':
    case 'subscription.trial_will_end':
      return COLORS.amber
    case 'payment.failed':
    case 'dispute.created':
    case 'payout.failed':
      return COLORS.red
    case 'dispute.closed':
      return event.outcome === 'won' ? COLORS.green : COLORS.red
    case 'subscription.created':
      return COLORS.blurple
    case 'subscription.canceled':
      return COLORS.grey
    case 'payout.paid':
      return COLORS.blue
  }
}

/** The facts worth a field, by event type; absent values are left out, never guessed. */
function details(event: DomainEvent): Array<{ name: string; value: string }> {
  const fields: Array<[string, string | undefined]> = []
  switch (event.type) {
    case 'sale':
    case 'sale.updated':
      fields.push(
        ['Amount', event.amount.formatted],
        ['Fee', event.fee?.formatted],
        ['Net', event.net?.formatted],
        ['Customer', customer(event.customer)],
      )
      break
    case 'refund':
      fields.push(
        ['Refunded', `${event.amount.formatted}${event.full ? ' (full)' : ''}`],
        ['Reason', event.reason],
        ['Customer', customer(event.customer)],
      )
      break
    case 'payment.failed':
      fields.push(
        ['Amount', event.amount.formatted],
        ['Decline', event.declineCode],
        ['Customer', customer(event.customer)],
      )
      break
    case 'dispute.created':
      fields.push(
        ['Amount', event.amount.formatted],
        ['Reason', event.reason],
        ['Evidence due', date(event.evidenceDueBy)],
      )
      break
    case 'dispute.closed':
      fields.push(['Amount', event.amount.formatted], ['Outcome', event.outcome])
      break
    case 'subscription.created':
      fields.push(
        ['Plan', plan(event.subscription)],
        ['Customer', customer(event.customer)],
        ['Trial ends', date(event.trialEnd)],
      )
      break
    case 'subscription.canceled':
      fields.push(
        ['Plan', plan(event.subscription)],
        ['Customer', customer(event.customer)],
        [event.scheduled ? 'Ends' : 'Ended', date(event.endsAt)],
        ['Reason', event.reason],
      )
      break
    case 'subscription.trial_will_end':
      fields.push(
        ['Plan', plan(event.subscription)],
        ['Customer', customer(event.customer)],
        ['Trial ends', date(event.trialEnd)],
      )
      break
    case 'payout.paid':
    case 'payout.failed':
      fields.push(
        ['Amount', event.amount.formatted],
        ['Arrival', date(event.arrivalDate)],
        ['Failure', event.failureMessage ?? event.failureCode],
      )
      break
  }
  return fields.flatMap(([name, value]) => (value === undefined || value === '' ? [] : [{ name, value }]))
}

function customer(info: CustomerInfo | undefined): string | undefined {
  return info?.email ?? info?.name ?? info?.id
}

/** `$49.00 / month`, `$490.00 / 2 months`, or the subscription id when the price is unknown. */
function plan(subscription: SubscriptionInfo): string {
  const { amount, interval, intervalCount = 1 } = subscription
  if (amount === undefined) return subscription.id
  if (interval === undefined) return amount.formatted
  return `${amount.formatted} / ${intervalCount === 1 ? interval : `${intervalCount} ${interval}s`}`
}

/** Discord's timestamp markup: each reader sees the date in their own time zone. */
function date(value: Date | undefined): string | undefined {
  return value === undefined ? undefined : `<t:${Math.floor(value.getTime() / 1000)}:D>`
}
