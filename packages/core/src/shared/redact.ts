/**
 * Anything that looks like a Stripe API key or a webhook signing secret, wherever it stands (glued to
 * other text, as in `key=…` or `Bearersk_…`) and URL-encoded (`sk%5Flive%5F…`). Stripe's own masked
 * form (`rk_test_****abcd`) and ours (`rk_test_…abcd`) do not match, so redacting twice is harmless.
 */
const SECRET_SOURCE =
  '((?:sk|rk|pk)_(?:live|test)_)([A-Za-z0-9]{8,})|((?:sk|rk|pk)%5[Ff](?:live|test)%5[Ff])([A-Za-z0-9]{8,})|(whsec_)([A-Za-z0-9+/=]{8,})'

/** Fewer characters than this after the prefix and we show none of them. */
const MIN_BODY_TO_SHOW_TAIL = 16

/**
 * Shows a key the way CashNotify prints keys everywhere: its prefix, an ellipsis and its last four
 * characters (`rk_live_…abcd`, `whsec_…abcd`), enough to tell keys apart and never enough to use one.
 *
 * @example
 * ```ts
 * redactKey('rk_live_51Habc…wxyz') // 'rk_live_…wxyz'
 * ```
 */
export function redactKey(key: string): string {
  const match = /^((?:sk|rk|pk)_(?:live|test)_|whsec_)(.*)$/s.exec(key.trim())
  if (!match) return '[redacted key]'
  const [, prefix = '', body = ''] = match
  return body.length >= MIN_BODY_TO_SHOW_TAIL ? `${prefix}…${body.slice(-4)}` : `${prefix}…`
}

/**
 * Replaces every key or webhook secret found in a text with its redacted form. Error classes and
 * loggers call it on everything they hold, so callers never have to remember to.
 */
export function redactSecrets(text: string): string {
  return text.replace(
    new RegExp(SECRET_SOURCE, 'g'),
    (
      _found: string,
      prefix?: string,
      body?: string,
      encodedPrefix?: string,
      encodedBody?: string,
      secretPrefix?: string,
      secretBody?: string,
    ) => {
      if (prefix && body) return redactKey(prefix + body)
      if (encodedPrefix && encodedBody) return redactKey(decodeURIComponent(encodedPrefix) + encodedBody)
      return redactKey(`${secretPrefix ?? 'whsec_'}${secretBody ?? ''}`)
    },
  )
}

/**
 * Every form in which a known secret may come back from the other side of a connection: as it is,
 * URL-encoded, and base64-encoded (alone, and as an HTTP Basic `user:` pair, the way Stripe accepts it).
 */
function encodingsOf(secret: string): string[] {
  const base64 = (text: string): string => Buffer.from(text).toString('base64').replace(/=+$/, '')
  return [secret, encodeURIComponent(secret), base64(secret), base64(`${secret}:`)]
}

/**
 * Redacts the given secrets in every form they may be echoed in, then anything else that looks like a
 * secret. For text that came from outside (an upstream's error message), where the secret sent with
 * the request may come back encoded.
 */
export function redactKnownSecrets(text: string, secrets: readonly string[]): string {
  let safe = text
  for (const secret of secrets) {
    for (const form of encodingsOf(secret))
      if (form.length >= 16) safe = safe.split(form).join(redactKey(secret))
  }
  return redactSecrets(safe)
}

/** Whether a text holds anything that looks like unredacted key material. */
export function containsSecret(text: string): boolean {
  return new RegExp(SECRET_SOURCE).test(text)
}
