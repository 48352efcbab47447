/**
 * A Redis URL carries its password: only the masked form ever reaches a message, a log line or an error's
 * cause, and the password itself is scrubbed from whatever text a client library produced.
 */

/**
 * The URL as it may be shown: scheme, user name, host, port and database, the password as `…`, no query.
 * @example
 * ```ts
 * maskRedisUrl('redis://:s3cret@cache.internal:6379/2') // 'redis://:…@cache.internal:6379/2'
 * ```
 */
export function maskRedisUrl(url: string): string {
  if (!URL.canParse(url)) return '…'
  const parsed = new URL(url)
  const user = parsed.username
  const secret = parsed.password === '' ? '' : ':…'
  const auth = user === '' && secret === '' ? '' : `${user}${secret}@`
  const path = parsed.pathname === '/' ? '' : parsed.pathname
  return `${parsed.protocol}//${auth}${parsed.host}${path}`
}

/** Every form of the URL's secrets that a message could quote: the URL, its password raw and decoded. */
export function urlSecrets(url: string): string[] {
  const found = [url]
  if (URL.canParse(url)) {
    const { password, search } = new URL(url)
    if (password !== '') found.push(password, decodeURIComponent(password))
    if (search.length > 1) found.push(search.slice(1))
  }
  // Longest first, so that the URL is replaced whole before its password is.
  return [...new Set(found.filter((text) => text.length > 0))].sort((a, b) => b.length - a.length)
}

/** `text` with the URL replaced by its masked form and any other trace of its secrets by `…`. */
export function scrubUrl(text: string, url: string): string {
  let result = text
  for (const secret of urlSecrets(url))
    result = result.replaceAll(secret, secret === url ? maskRedisUrl(url) : '…')
  return result
}

/** A copy of an error (and its causes) whose messages and stacks are scrubbed of the URL's secrets. */
export function scrubError(error: unknown, url: string, depth = 0): unknown {
  if (!(error instanceof Error)) return typeof error === 'string' ? scrubUrl(error, url) : error
  const inner = depth < 3 && error.cause !== undefined ? scrubError(error.cause, url, depth + 1) : undefined
  const copy = new Error(scrubUrl(error.message, url), inner === undefined ? {} : { cause: inner })
  copy.name = error.name
  copy.stack = scrubUrl(error.stack ?? '', url)
  const { code } = error as { code?: unknown }
  if (code !== undefined) Object.assign(copy, { code })
  return copy
}
