import { createHmac } from 'node:crypto'

/** The HMAC-SHA256 hex digest Stripe signs with: over `<t>.<payload>`, keyed with the whole `whsec_…` string. */
export function signPayload(payload: string, secret: string, timestamp: number): string {
  return createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex')
}

/**
 * The `Stripe-Signature` header of one delivery attempt: `t=<unix seconds>,v1=<hex>`. Test-mode events
 * also carry a `v0` signature made with another secret, as Stripe sends ("To aid with testing, Stripe
 * sends an additional signature with a fake v0 scheme, for test-mode events"): receivers must ignore it.
 */
export function signatureHeader(
  payload: string,
  secret: string,
  timestamp: number,
  fakeV0Secret: string | undefined,
): string {
  const v1 = `t=${timestamp},v1=${signPayload(payload, secret, timestamp)}`
  return fakeV0Secret === undefined ? v1 : `${v1},v0=${signPayload(payload, fakeV0Secret, timestamp)}`
}
