/**
 * What rules add to a notification, on its way to the store and back: an id and an amount of its own (a
 * grouped notification's), its marks, its members. Absent for every other notification, whose stored
 * form stays as it was.
 */
import type { Notification, NotificationMark } from './notifier.js'

/** The fields rules set, as stored: plain JSON already (amounts and marks hold numbers and strings). */
export interface StoredRuleFields {
  /** The notification's id, when it is not the event's. */
  readonly id?: string
  /** The notification's amount (`null`: none), when it is not the event's. */
  readonly amount?: unknown
  readonly marks?: unknown
  /** The members, each as stored. */
  readonly group?: readonly unknown[]
}

/** The stored form of what rules set on `notification`, given how the event's own would read. */
export function storeRuleFields(
  notification: Notification,
  derived: Notification,
  store: (member: Notification) => unknown,
): StoredRuleFields {
  const { id, amount, marks, group } = notification
  const ownAmount = JSON.stringify(amount) !== JSON.stringify(derived.amount)
  return {
    ...(id === derived.id ? {} : { id }),
    ...(ownAmount ? { amount: amount ?? null } : {}),
    ...(marks ? { marks } : {}),
    ...(group ? { group: group.map(store) } : {}),
  }
}

/** The notification derived from its event, with what rules set put back. */
export function reviveRuleFields(
  derived: Notification,
  stored: StoredRuleFields,
  revive: (member: unknown) => Notification | undefined,
): Notification {
  const { id, amount, marks, group } = stored
  if (id === undefined && amount === undefined && marks === undefined && group === undefined) return derived
  const { amount: own, ...base } = derived
  const kept = amount === undefined ? own : (amount as Notification['amount'] | null)
  const members = group?.map(revive).filter((member) => member !== undefined)
  return {
    ...base,
    ...(typeof id === 'string' ? { id } : {}),
    ...(kept ? { amount: kept } : {}),
    ...(Array.isArray(marks) ? { marks: marks as readonly NotificationMark[] } : {}),
    ...(members ? { group: members } : {}),
  }
}
