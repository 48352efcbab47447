import { expiredKey, invalidKey, missingKey, publishableKey } from './errors.js'
import type { KeyRecord, KeyRing } from './keys.js'

/**
 * The key a request carries: `Authorization: Bearer <key>`, or HTTP basic auth with the key as user
 * name (what `curl -u sk_test_...:` sends), both of which Stripe accepts.
 */
export function readApiKey(request: Request): string | undefined {
  const header = request.headers.get('authorization')?.trim()
  if (!header) return undefined
  const [scheme = '', credentials = ''] = header.split(/\s+/, 2)
  if (scheme.toLowerCase() === 'bearer') return credentials || undefined
  if (scheme.toLowerCase() === 'basic') {
    try {
      return atob(credentials).split(':', 1)[0] || undefined
    } catch {
      return undefined // not base64: no usable key, as if none was sent
    }
  }
  return undefined
}

/** The active secret or restricted key record, or the 401 Stripe would answer. */
export function authenticate(keys: KeyRing, key: string | undefined): KeyRecord {
  if (key === undefined) throw missingKey()
  const record = keys.find(key)
  if (record === undefined || record.state === 'revoked') throw invalidKey(key)
  if (record.state === 'expired') throw expiredKey(record.key)
  if (record.kind === 'publishable') throw publishableKey()
  return record
}
