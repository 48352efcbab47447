import { createHmac } from 'node:crypto'

/** The headers of a Standard Webhooks request, https://www.standardwebhooks.com/. */
export interface SignatureHeaders {
  readonly 'webhook-id': string
  readonly 'webhook-timestamp': string
  readonly 'webhook-signature'?: string
}

/**
 * Standard Webhooks headers for a body: `webhook-signature` is `v1,` and the base64 HMAC-SHA256 of
 * `${id}.${timestamp}.${body}`, once per key, space-separated (so receivers on an old or a new secret
 * both verify during a rotation). Without keys, the id and timestamp only.
 *
 * @param keys The decoded secrets (the base64 part after `whsec_`).
 * @param timestamp Unix time in seconds.
 */
export function signatureHeaders(
  keys: readonly Buffer[],
  id: string,
  timestamp: number,
  body: string,
): SignatureHeaders {
  const headers = { 'webhook-id': id, 'webhook-timestamp': String(timestamp) }
  if (keys.length === 0) return headers
  const content = `${id}.${timestamp}.${body}`
  const signatures = keys.map((key) => `v1,${createHmac('sha256', key).update(content).digest('base64')}`)
  return { ...headers, 'webhook-signature': signatures.join(' ') }
}
