/**
 * Notifications go to the store as JSON-safe values (Keyv stores may be SQLite or Redis, which keep
 * strings), and come back equal to what the notifier would have got without the detour.
 */
import type { Digest, DigestNotification } from '../digest/types.js'
import type { DomainEvent } from '../enrich/domain-events.js'
import { toNotification } from './notification.js'
import type { Deliverable, Notification } from './notifier.js'
import { reviveRuleFields, type StoredRuleFields, storeRuleFields } from './rule-fields.js'

/**
 * Logo bytes up to this size are stored (base64) with each outbox entry; larger ones are dropped and the
 * logo's URL, if any, is kept: an outbox entry must stay small, and there is one per notifier.
 */
export const MAX_STORED_LOGO_BYTES = 64 * 1024

// Tags no Stripe object uses (Stripe keys never start with `$`), so a revived value is never a guess.
const DATE = '$cashnotify.date'
const BYTES = '$cashnotify.bytes'

/**
 * A notification as stored: the event (or the digest) and the text; the rest is derived again on the
 * way back.
 */
export interface StoredNotification extends StoredRuleFields {
  readonly title: string
  readonly body: string
  readonly event?: unknown
  readonly digest?: unknown
}

/** Whether what is delivered is a digest (it has a `digest` and no `event`). */
export function isDigestNotification(value: Deliverable): value is DigestNotification {
  return 'digest' in value && !('event' in value)
}

function isTagged(value: object, tag: string): value is Record<string, string> {
  const keys = Object.keys(value)
  return keys.length === 1 && keys[0] === tag && typeof Reflect.get(value, tag) === 'string'
}

/** A deep copy fit for `JSON.stringify`: dates and byte arrays tagged, `undefined` and functions left out. */
export function toJsonSafe(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') {
    return typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint'
      ? undefined
      : value
  }
  if (depth > 64) return undefined
  // An invalid date (no builder makes one, but a format hook might) must not make the event unstorable.
  if (value instanceof Date)
    return Number.isNaN(value.getTime()) ? undefined : { [DATE]: value.toISOString() }
  if (value instanceof Uint8Array) {
    return value.byteLength <= MAX_STORED_LOGO_BYTES
      ? { [BYTES]: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') }
      : undefined
  }
  if (Array.isArray(value)) return value.map((item) => toJsonSafe(item, depth + 1) ?? null)
  const out: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) {
    const safe = toJsonSafe(item, depth + 1)
    if (safe !== undefined) out[key] = safe
  }
  return out
}

/** The inverse of {@link toJsonSafe}. */
export function fromJsonSafe(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map(fromJsonSafe)
  if (isTagged(value, DATE)) return new Date(value[DATE] as string)
  if (isTagged(value, BYTES)) return new Uint8Array(Buffer.from(value[BYTES] as string, 'base64'))
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fromJsonSafe(item)]))
}

/** A notification ready for the store. */
export function storeNotification(notification: Deliverable): StoredNotification {
  const { title, body } = notification
  return isDigestNotification(notification)
    ? { title, body, digest: toJsonSafe(notification.digest) }
    : {
        title,
        body,
        event: toJsonSafe(notification.event),
        ...storeRuleFields(notification, toNotification(notification.event, notification), storeNotification),
      }
}

function isDigest(value: unknown): value is Digest {
  if (typeof value !== 'object' || value === null) return false
  const digest = value as Partial<Digest>
  return typeof digest.id === 'string' && Array.isArray(digest.currencies) && digest.createdAt instanceof Date
}

function isEvent(value: unknown): value is DomainEvent {
  if (typeof value !== 'object' || value === null) return false
  const event = value as Partial<DomainEvent>
  return (
    typeof event.id === 'string' &&
    typeof event.type === 'string' &&
    typeof event.account === 'object' &&
    event.createdAt instanceof Date
  )
}

/** What a stored value stands for, a notification or a digest, or `undefined` when it is neither. */
export function reviveDeliverable(value: unknown): Deliverable | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const { title, body, digest } = value as Partial<StoredNotification>
  if (digest === undefined) return reviveNotification(value)
  if (typeof title !== 'string' || typeof body !== 'string') return undefined
  const revived = fromJsonSafe(digest)
  return isDigest(revived) ? { id: revived.id, title, body, digest: revived } : undefined
}

/** The notification a stored one stands for, or `undefined` when the value is not one (or a digest). */
export function reviveNotification(value: unknown): Notification | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const { title, body, event } = value as Partial<StoredNotification>
  if (typeof title !== 'string' || typeof body !== 'string') return undefined
  const revived = fromJsonSafe(event)
  if (!isEvent(revived)) return undefined
  return reviveRuleFields(
    toNotification(revived, { title, body }),
    value as StoredRuleFields,
    reviveNotification,
  )
}
