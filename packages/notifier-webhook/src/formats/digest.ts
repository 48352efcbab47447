/**
 * A digest in chat: the totals of each currency (gross, net, sales, the change against the previous
 * period) as a Slack message with a section per currency, or a Discord embed with a field per currency.
 */
import type { Digest, DigestComparison, DigestNotification } from '@cashnotify/core/notifier'
import { formatAmount } from '@cashnotify/core/notifier'
import { COLORS, type DiscordField, type DiscordMessage } from './discord.js'
import type { SlackMessage } from './slack.js'
import { truncate } from './text.js'

/** One currency's totals, as plain text lines (no markup: each format escapes its own way). */
export interface DigestTotals {
  /** `USD`, or `All currencies (USD)` for the converted total. */
  readonly heading: string
  readonly lines: readonly string[]
}

/** Currencies shown one by one; the rest are counted in a last line (Slack allows 50 blocks, Discord 25 fields). */
export const MAX_CURRENCIES = 10

/** `+12%`, `−5%`, `0%`, or `new` when the previous period had none. */
function change(current: number, previous: number): string {
  if (previous === 0) return current === 0 ? '0%' : 'new'
  const percent = Math.round(((current - previous) / previous) * 100)
  return percent > 0 ? `+${percent}%` : percent < 0 ? `−${-percent}%` : '0%'
}

function totals({ current, previous }: DigestComparison, heading: string): DigestTotals {
  const money = (amount: number) => formatAmount(amount, current.currency)
  const sales = current.sales - previous.sales
  return {
    heading,
    lines: [
      `Gross ${money(current.gross)} (${change(current.gross, previous.gross)} vs ${money(previous.gross)})`,
      `Net ${money(current.net)} (${change(current.net, previous.net)})`,
      `Sales ${current.sales} (${sales > 0 ? `+${sales}` : sales < 0 ? `−${-sales}` : '±0'})`,
    ],
  }
}

/** The totals of each currency shown, then the converted total when there is one. */
export function digestTotals(digest: Digest): DigestTotals[] {
  const shown = digest.currencies
    .slice(0, MAX_CURRENCIES)
    .map((comparison) => totals(comparison, comparison.current.currency.toUpperCase()))
  if (digest.total) {
    shown.push(totals(digest.total, `All currencies (${digest.total.current.currency.toUpperCase()})`))
  }
  return shown
}

/** `Tue, Nov 3, 2026 · America/New_York`, or the week's first and last days. */
export function periodText(digest: Digest): string {
  const { period } = digest
  const format = new Intl.DateTimeFormat('en-US', {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    year: 'numeric',
    timeZone: period.timeZone,
  })
  const when =
    period.kind === 'day'
      ? format.format(period.start)
      : format.formatRange(period.start, new Date(period.end.getTime() - 1))
  return `${when} · ${period.timeZone}`
}

/** Who the digest is about, and whether it is test data. */
function whoText(digest: Digest): string {
  const who = digest.account?.name ?? `${digest.accounts.length} accounts`
  return `${who} · ${digest.livemode ? 'live' : 'test mode'}`
}

/** What a digest with nothing to list says. */
function emptyText(digest: Digest): string {
  return `No sales this ${digest.period.kind}.`
}

/** The currencies left out, when there are more than {@link MAX_CURRENCIES}. */
function moreText(digest: Digest): string | undefined {
  const more = digest.currencies.length - MAX_CURRENCIES
  return more > 0 ? `…and ${more} more ${more === 1 ? 'currency' : 'currencies'}.` : undefined
}

/** Slack's limits, https://docs.slack.dev/reference/block-kit/blocks. */
const SLACK_HEADER = 150
const SLACK_SECTION = 3000

/** A Slack message: the title as header, a section per currency, the period and account as context. */
export function slackDigestMessage(notification: DigestNotification): SlackMessage {
  const { digest } = notification
  const sections = digestTotals(digest).map((entry) => ({
    type: 'section' as const,
    text: {
      type: 'mrkdwn' as const,
      text: truncate(`*${entry.heading}*\n${entry.lines.map(escapeMrkdwn).join('\n')}`, SLACK_SECTION),
    },
  }))
  const notes = [digest.empty ? emptyText(digest) : undefined, moreText(digest)].filter(
    (note): note is string => note !== undefined,
  )
  return {
    text: truncate(escapeMrkdwn(`${notification.title}: ${notification.body}`), 4000),
    blocks: [
      {
        type: 'header',
        text: { type: 'plain_text', text: truncate(notification.title, SLACK_HEADER), emoji: true },
      },
      ...notes.map((note) => ({
        type: 'section' as const,
        text: { type: 'plain_text' as const, text: note },
      })),
      ...sections,
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: escapeMrkdwn(`${periodText(digest)} · ${whoText(digest)}`) }],
      },
    ],
  }
}

function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
}

/** Discord's limits, https://discord.com/developers/docs/resources/message#embed-object-embed-limits. */
const DISCORD_TITLE = 256
const DISCORD_DESCRIPTION = 4096
const DISCORD_FIELD = 1024

/** A Discord message with one embed: the title, the body, a field per currency, the period in the footer. */
export function discordDigestMessage(
  notification: DigestNotification,
  username: string | undefined,
): DiscordMessage {
  const { digest } = notification
  const fields: DiscordField[] = digestTotals(digest).map((entry) => ({
    name: entry.heading,
    value: truncate(entry.lines.join('\n'), DISCORD_FIELD),
    inline: true,
  }))
  const more = moreText(digest)
  if (more) fields.push({ name: 'More', value: more, inline: false })
  const description = digest.empty ? `${emptyText(digest)}\n${notification.body}` : notification.body
  return {
    ...(username === undefined ? {} : { username }),
    embeds: [
      {
        title: truncate(notification.title, DISCORD_TITLE),
        description: truncate(description, DISCORD_DESCRIPTION),
        color: digest.empty ? COLORS.grey : COLORS.blurple,
        timestamp: digest.createdAt.toISOString(),
        footer: {
          text: truncate(`${periodText(digest)} · ${whoText(digest)}`, 2048),
          ...(digest.account?.logo.url === undefined ? {} : { icon_url: digest.account.logo.url }),
        },
        ...(fields.length === 0 ? {} : { fields }),
      },
    ],
  }
}
