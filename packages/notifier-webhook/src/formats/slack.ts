import type { Notification } from '@cashnotify/core/notifier'
import { accountLine, truncate } from './text.js'

/** A Slack text object. */
interface SlackText {
  readonly type: 'plain_text' | 'mrkdwn'
  readonly text: string
  readonly emoji?: boolean
}

/** The Block Kit blocks the message uses. */
export type SlackBlock =
  | { readonly type: 'header'; readonly text: SlackText }
  | { readonly type: 'section'; readonly text: SlackText }
  | {
      readonly type: 'context'
      readonly elements: ReadonlyArray<
        SlackText | { readonly type: 'image'; readonly image_url: string; readonly alt_text: string }
      >
    }
  | {
      readonly type: 'actions'
      readonly elements: ReadonlyArray<{
        readonly type: 'button'
        readonly text: SlackText
        readonly url: string
        readonly action_id: string
      }>
    }

/** A Slack incoming-webhook message. */
export interface SlackMessage {
  /** The fallback shown in notifications and by clients that cannot show blocks. */
  readonly text: string
  readonly blocks: readonly SlackBlock[]
}

/** Slack's limits, https://docs.slack.dev/reference/block-kit/blocks. */
const MAX_HEADER = 150
const MAX_SECTION = 3000
const MAX_FALLBACK = 4000

/**
 * A Slack message: the title as a header, the body as a section, the account and mode as context, and
 * a button to the Stripe dashboard when there is a URL. Text from Stripe (customer names...) is plain
 * text or escaped, so it can neither mention people nor inject links.
 */
export function slackMessage(notification: Notification): SlackMessage {
  const { account } = notification
  const logoUrl = account.logo.url
  const blocks: SlackBlock[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: truncate(notification.title, MAX_HEADER), emoji: true },
    },
    {
      type: 'section',
      text: { type: 'plain_text', text: truncate(notification.body, MAX_SECTION), emoji: true },
    },
    {
      type: 'context',
      elements: [
        ...(logoUrl === undefined
          ? []
          : [{ type: 'image' as const, image_url: logoUrl, alt_text: account.name }]),
        { type: 'mrkdwn', text: escapeMrkdwn(accountLine(account)) },
      ],
    },
  ]
  if (notification.url !== undefined) {
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Open in Stripe' },
          url: notification.url,
          action_id: 'cashnotify_open_dashboard',
        },
      ],
    })
  }
  return { text: truncate(escapeMrkdwn(`${notification.title}: ${notification.body}`), MAX_FALLBACK), blocks }
}

/** Slack's three control characters in mrkdwn text, https://docs.slack.dev/messaging/formatting-message-text. */
function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
}
