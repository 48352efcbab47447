/** One outbox entry: in memory, and as stored. */
import type { Deliverable } from './notifier.js'
import { reviveDeliverable, type StoredNotification } from './serialize.js'
import type { DeadLetterError } from './types.js'

/** One notification on its way to one notifier, in memory. */
export interface Entry {
  /** `${notifier}:${notification.id}`; notifier names never hold `:`. */
  readonly id: string
  readonly notifier: string
  /** A notification of an event, or a digest. */
  readonly notification: Deliverable
  /** The notification as stored, computed once. */
  readonly stored: StoredNotification
  readonly acceptedAt: number
  /** Sends tried so far. */
  attempts: number
  /** When the next try is due, ms since epoch; absent means now. */
  nextAt?: number
}

export interface EntryRecord {
  readonly v: 1
  readonly notifier: string
  readonly notification: StoredNotification
  readonly acceptedAt: number
  readonly attempts: number
  readonly nextAt?: number
  readonly error?: DeadLetterError
  readonly failedAt?: number
}

/** The id of the entry of a notification for a notifier. */
export function entryId(notifier: string, notificationId: string): string {
  return `${notifier}:${notificationId}`
}

export function isRecord(value: unknown): value is EntryRecord {
  if (typeof value !== 'object' || value === null) return false
  const record = value as Partial<EntryRecord>
  return (
    record.v === 1 &&
    typeof record.notifier === 'string' &&
    typeof record.attempts === 'number' &&
    typeof record.acceptedAt === 'number' &&
    typeof record.notification === 'object'
  )
}

export function toRecord(entry: Entry, dead?: { error: DeadLetterError; failedAt: number }): EntryRecord {
  return {
    v: 1,
    notifier: entry.notifier,
    notification: entry.stored,
    acceptedAt: entry.acceptedAt,
    attempts: entry.attempts,
    ...(entry.nextAt === undefined ? {} : { nextAt: entry.nextAt }),
    ...(dead ?? {}),
  }
}

/** The entry a stored record stands for, with its error when it is a dead letter; `undefined` when unreadable. */
export function toEntry(
  id: string,
  record: EntryRecord,
): { entry: Entry; error?: DeadLetterError; failedAt?: number } | undefined {
  const notification = reviveDeliverable(record.notification)
  if (!notification) return undefined
  const entry: Entry = {
    id,
    notifier: record.notifier,
    notification,
    stored: record.notification,
    acceptedAt: record.acceptedAt,
    attempts: record.attempts,
    ...(record.nextAt === undefined ? {} : { nextAt: record.nextAt }),
  }
  return {
    entry,
    ...(record.error ? { error: record.error } : {}),
    ...(record.failedAt === undefined ? {} : { failedAt: record.failedAt }),
  }
}
