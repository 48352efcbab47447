/**
 * The holds, persisted: one index of every hold (its notifier, reason, release time and member ids)
 * and one record per held notification. Every change is written before the step that depends on it
 * resolves, members before the index that names them, so a crash at any point loses nothing held: the
 * worst is a record left behind, or one notification sent twice with the same id.
 */
import type { Notification } from '../delivery/notifier.js'
import { reviveNotification, storeNotification } from '../delivery/serialize.js'
import type { Logger } from '../shared/logger.js'
import type { KeyValueStore } from '../shared/store.js'
import { RULES_KEYS } from './store-keys.js'
import type { HoldReason } from './types.js'

/** One hold: notifications of one notifier waiting for the same release. */
export interface Hold {
  /** `<notifier>|<reason>|<key>`: one open hold per notifier, reason and key. */
  readonly id: string
  readonly notifier: string
  readonly reason: HoldReason
  /** The account ref; for a group, also the currency. */
  readonly key: string
  readonly account: string
  readonly since: number
  releaseAt: number
  /** A group's latest release, however the burst goes on. */
  readonly latest: number
  readonly members: string[]
}

function isHold(value: unknown): value is Hold {
  if (typeof value !== 'object' || value === null) return false
  const hold = value as Partial<Hold>
  return (
    typeof hold.id === 'string' &&
    typeof hold.notifier === 'string' &&
    (hold.reason === 'quiet_hours' || hold.reason === 'group') &&
    typeof hold.releaseAt === 'number' &&
    Array.isArray(hold.members)
  )
}

/** The id of a notifier's open hold for a reason and key. */
export function holdId(notifier: string, reason: HoldReason, key: string): string {
  return `${notifier}|${reason}|${key}`
}

/** The holds, mirrored in memory; every method is called one at a time (the engine serializes them). */
export class HoldStore {
  readonly #store: KeyValueStore
  readonly #logger: Logger
  readonly #holds = new Map<string, Hold>()
  #loading: Promise<void> | undefined

  constructor(store: KeyValueStore, logger: Logger) {
    this.#store = store
    this.#logger = logger
  }

  /** Reads the index once (again after a failure: a store that was down may be back). */
  load(): Promise<void> {
    this.#loading ??= this.#load().catch((error: unknown) => {
      this.#loading = undefined
      throw error
    })
    return this.#loading
  }

  async #load(): Promise<void> {
    const index = (await this.#store.get(RULES_KEYS.holds)) as { holds?: unknown } | undefined
    const holds = Array.isArray(index?.holds) ? index.holds.filter(isHold) : []
    for (const hold of holds) this.#holds.set(hold.id, { ...hold, members: [...hold.members] })
  }

  /** Every hold, in the order they were opened. */
  list(): Hold[] {
    return [...this.#holds.values()]
  }

  get(id: string): Hold | undefined {
    return this.#holds.get(id)
  }

  /** Whether a notification is held for the notifier, in any hold. */
  holds(notifier: string, notificationId: string): boolean {
    return this.list().some((hold) => hold.notifier === notifier && hold.members.includes(notificationId))
  }

  /** Adds a notification to a hold (opened if new): its record first, then the index. */
  async add(hold: Hold, notification: Notification): Promise<void> {
    await this.#store.set(RULES_KEYS.held(hold.notifier, notification.id), storeNotification(notification))
    if (!hold.members.includes(notification.id)) hold.members.push(notification.id)
    this.#holds.set(hold.id, hold)
    await this.#persist()
  }

  /** Moves held members to another hold of the same notifier: their records stay where they are. */
  async move(from: Hold, to: Hold): Promise<void> {
    for (const id of from.members) if (!to.members.includes(id)) to.members.push(id)
    this.#holds.delete(from.id)
    this.#holds.set(to.id, to)
    await this.#persist()
  }

  /** The notifications of a hold, oldest first; a record that cannot be read is logged and skipped. */
  async members(hold: Hold): Promise<Notification[]> {
    const records = await Promise.all(
      hold.members.map((id) => this.#store.get(RULES_KEYS.held(hold.notifier, id))),
    )
    return records.flatMap((record, i) => {
      const notification = reviveNotification(record)
      if (!notification)
        this.#logger.warn(
          `The held notification ${hold.notifier}:${hold.members[i]} cannot be read; it is skipped.`,
        )
      return notification ? [notification] : []
    })
  }

  /** Forgets a released hold: the index first (its members are in delivery's outbox by then), then the records. */
  async remove(hold: Hold): Promise<void> {
    this.#holds.delete(hold.id)
    await this.#persist()
    await Promise.all(hold.members.map((id) => this.#store.delete(RULES_KEYS.held(hold.notifier, id))))
  }

  async #persist(): Promise<void> {
    await this.#store.set(RULES_KEYS.holds, { v: 1, holds: this.list() })
  }
}
