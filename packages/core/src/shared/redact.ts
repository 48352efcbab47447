/**
 * Anything that looks like a Stripe API key or a webhook signing secret. Stripe's own masked form
 * (`rk_test_****abcd`) and ours (`rk_test_…abcd`) do not match, so redacting twice is harmless.
 */
const SECRET_SOURCE = String.raw`\b((?:sk|rk|pk)_(?:live|test)_)([A-Za-z0-9]{8,})|\bwhsec_[A-Za-z0-9+/=]{8,}`

/** Fewer characters than this after the prefix and we show none of them. */
const MIN_BODY_TO_SHOW_TAIL = 16

/**
 * Shows a key the way CashNotify prints keys everywhere: its prefix, an ellipsis and its last four
 * characters (`rk_live_…abcd`), enough to tell keys apart and never enough to use one.
 *
 * @example
 * ```ts
 * redactKey('rk_live_51Habc…wxyz') // 'rk_live_…wxyz'
 * ```
 */
export function redactKey(key: string): string {
  const match = /^((?:sk|rk|pk)_(?:live|test)_)(.*)$/s.exec(key.trim())
  if (!match) return '[redacted key]'
  const [, prefix = '', body = ''] = match
  return body.length >= MIN_BODY_TO_SHOW_TAIL ? `${prefix}…${body.slice(-4)}` : `${prefix}…`
}

/**
 * Replaces every key or webhook secret found in a text with its redacted form. Error classes and
 * loggers call it on everything they hold, so callers never have to remember to.
 */
export function redactSecrets(text: string): string {
  return text.replace(new RegExp(SECRET_SOURCE, 'g'), (_found: string, prefix?: string, body?: string) =>
    prefix && body ? redactKey(prefix + body) : 'whsec_…',
  )
}

/** Whether a text holds anything that looks like unredacted key material. */
export function containsSecret(text: string): boolean {
  return new RegExp(SECRET_SOURCE).test(text)
}
