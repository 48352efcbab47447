import { invalidOption, NotifierError, type NotifierFactory } from '@cashnotify/core/notifier'

/** The notifier's name, as it appears in logs, errors and dead letters. */
export const NAME = 'push'

/** Options of {@link pushNotifier}. */
export interface PushNotifierOptions {
  /** The topic, e.g. `https://ntfy.sh/acme-sales`. Whoever knows it can post: errors name its host only. */
  url: string
  /** Tags shown with each notification (ntfy shows `moneybag` as 💰). @default ['moneybag'] */
  tags?: readonly string[]
  /** The `fetch` requests go through, e.g. a proxy-aware one. @default globalThis.fetch */
  fetch?: typeof fetch
}

/** POSTs each notification as plain text to an ntfy-style topic, with title, tags, link and id as headers. */
export const pushNotifier: NotifierFactory<PushNotifierOptions> = (options) => {
  const { url, tags = ['moneybag'], fetch = globalThis.fetch } = options
  const host = /^https?:\/\//.test(url) && URL.canParse(url) ? new URL(url).host : ''
  // The topic URL is a secret (whoever knows it can post): a message shows `…`, never the URL.
  const got = typeof url === 'string' && url !== '' ? '…' : url
  if (!host) throw invalidOption(NAME, 'url', 'an absolute http(s) URL', got)
  return {
    name: NAME,
    async send(notification, { signal }) {
      const headers = {
        title: encode(notification.title),
        tags: encode(tags.join(',')),
        'x-cashnotify-id': notification.id, // the idempotency id: the same on every retry
        ...(notification.url ? { click: notification.url } : {}),
      }
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body: notification.body || notification.title,
        signal, // delivery aborts it on its timeout or at stop(): the request ends there and then
      }).catch((error: unknown) => {
        const what = signal.aborted ? `Sending to ${host} was aborted` : `Could not reach ${host}`
        throw new NotifierError(`${what}. A retry can help.`, { notifier: NAME, cause: error })
      })
      await response.body?.cancel()
      if (!response.ok) throw statusError(host, response)
    },
  }
}

function statusError(host: string, { status, headers }: Response): NotifierError {
  const retryable = status === 408 || status === 429 || status >= 500
  const seconds = Number(headers.get('retry-after') ?? Number.NaN) // an HTTP date reads as NaN: ignored
  const advice = retryable ? 'A retry can help.' : 'Check `url`.'
  return new NotifierError(`${host} answered ${status}. ${advice}`, {
    notifier: NAME,
    retryable,
    disable: status === 410, // the topic is gone: delivery stops using this notifier until a replay
    ...(retryable && seconds >= 0 ? { retryAfterMs: seconds * 1000 } : {}),
  })
}

/** Header values are bytes: beyond printable ASCII, text goes as an RFC 2047 encoded-word (ntfy reads it). */
function encode(text: string): string {
  return /^[ -~]*$/.test(text) ? text : `=?UTF-8?B?${Buffer.from(text).toString('base64')}?=`
}
