/**
 * The machinery behind the notifier contract: events in, one outbox entry per interested notifier,
 * persisted before `accept()` resolves, then sent by that notifier's own queue. At-least-once: across
 * crashes and restarts nothing accepted is lost, and a receiver can drop the rare repeat by its id.
 */
import type { DigestNotification } from '../digest/types.js'
import type { DomainEvent } from '../enrich/domain-events.js'
import { DEFAULTS } from '../shared/defaults.js'
import { type Entry, entryId } from './entry.js'
import { matchesDigestFilter, matchesFilter } from './filter.js'
import { notificationOf } from './notification.js'
import type { Notification, Notifier } from './notifier.js'
import { prepareNotifier } from './notifier-options.js'
import { NotifierQueue, type QueueDeps } from './notifier-queue.js'
import { DeliveryStore } from './outbox.js'
import { closeNotifiers, type DeliveryReport, deliveryReport, within } from './report.js'
import { storeNotification } from './serialize.js'
import type {
  DeadLetter,
  DeliveryOptions,
  DeliveryService,
  DeliveryStopOptions,
  NotifierOptions,
} from './types.js'

/**
 * Delivers domain events to notifiers: filters, per-notifier queues, timeouts, retries with backoff and
 * jitter, dead letters, and an outbox in the store that survives restarts. Each instance is independent.
 *
 * @example
 * ```ts
 * const delivery = new Delivery({ store: new Keyv(), logger: silentLogger, onEvent: console.log })
 * delivery.use(webhookNotifier({ url, secret }), { filter: { types: ['sale'] } })
 * await delivery.start()
 * await delivery.accept(sale) // persisted; sent in the background
 * await delivery.stop({ timeoutMs: 5000 })
 * ```
 */
export class Delivery implements DeliveryService {
  readonly #options: DeliveryOptions
  readonly #report: DeliveryReport
  readonly #store: DeliveryStore
  readonly #deps: QueueDeps
  readonly #queues = new Map<string, NotifierQueue>()
  #running = false

  constructor(options: DeliveryOptions) {
    this.#options = options
    this.#report = deliveryReport(options)
    const maxDead = options.maxDeadLetters ?? DEFAULTS.maxDeadLetters
    const now = options.now ?? (() => Date.now())
    this.#store = new DeliveryStore(options.store, {
      logger: options.logger,
      maxDeadLetters: maxDead,
      now,
      onError: (what, error) => this.#report.fail(what, error),
    })
    this.#deps = {
      store: this.#store,
      logger: options.logger,
      now,
      random: options.random ?? Math.random,
      emit: (event) => this.#report.emit(event),
    }
  }

  /** Whether sends are running (between `start()` and `stop()`). */
  get running(): boolean {
    return this.#running
  }

  /** The names of the notifiers in use, in the order they were added. */
  notifiers(): string[] {
    return [...this.#queues.keys()]
  }

  /**
   * Adds a notifier. Notifications already in the outbox for a notifier of that name (from before a
   * restart) are sent once it is added.
   *
   * @throws {@link ConfigError} when the notifier or an option is invalid, or the name is already in use.
   */
  use(given: Notifier, options?: NotifierOptions): void {
    const { notifier, options: resolved } = prepareNotifier(given, options, (name) => this.#queues.has(name))
    const queue = new NotifierQueue(notifier, resolved, this.#deps)
    this.#queues.set(notifier.name, queue)
    if (this.#running) {
      queue.start()
      this.#resume([notifier.name]).catch((error: unknown) => this.#report.fail('resume the outbox', error))
    }
  }

  /**
   * Takes an event for delivery. Resolves once an outbox entry is persisted for every notifier whose
   * filter matches; the sends happen in the background and never delay the caller. Accepting an event
   * again is harmless: a notifier that already has it (delivered, waiting, or a dead letter) is skipped.
   * Accepted while stopped, it is sent at the next `start()`; for a disabled notifier, it becomes a dead
   * letter at once (replayable). Notifiers named in `except` are skipped (rules feed them, through `enqueue`).
   *
   * @throws when the store fails: the event is then not accepted, and may be accepted again.
   */
  async accept(event: DomainEvent, options?: { readonly except?: ReadonlySet<string> }): Promise<void> {
    await this.#store.load()
    // From this check to `add()` putting the ids in the outbox nothing awaits, so a second accept of
    // the same event running alongside sees them there and adds nothing.
    const fresh = this.#fresh(
      event.id,
      (queue) => !options?.except?.has(queue.name) && matchesFilter(queue.options.filter, event),
    )
    if (fresh.length === 0) return
    const notification = notificationOf(event, this.#options, (what, cause) =>
      this.#report.fail(what, cause, 'listener_failed'),
    )
    await this.#enqueue(fresh, notification)
  }

  /**
   * Takes a digest for delivery, like {@link Delivery.accept} takes an event: an outbox entry for every
   * notifier that has `sendDigest` and whose filter lets digests through, then sent in the background
   * with the same retries and dead letters. Accepting it again is harmless.
   */
  async acceptDigest(notification: DigestNotification): Promise<void> {
    await this.#store.load()
    const fresh = this.#fresh(
      notification.id,
      (queue) =>
        typeof queue.notifier.sendDigest === 'function' &&
        matchesDigestFilter(queue.options.filter, notification.digest),
    )
    if (fresh.length > 0) await this.#enqueue(fresh, notification)
  }

  /** Takes a ready notification (what rules held, released) for these notifiers, as `accept()` takes an event. */
  async enqueue(notification: Notification, notifiers: readonly string[]): Promise<void> {
    await this.#store.load()
    const fresh = this.#fresh(notification.id, (queue) => notifiers.includes(queue.name))
    if (fresh.length > 0) await this.#enqueue(fresh, notification)
  }

  /** The queues that want it and do not have it yet (delivered, waiting, or a dead letter). */
  #fresh(id: string, wants: (queue: NotifierQueue) => boolean): { queue: NotifierQueue; id: string }[] {
    return [...this.#queues.values()]
      .filter(wants)
      .map((queue) => ({ queue, id: entryId(queue.name, id) }))
      .filter(({ id }) => this.#store.state(id) === undefined && !this.#store.isDelivered(id))
  }

  async #enqueue(
    fresh: readonly { queue: NotifierQueue; id: string }[],
    notification: Entry['notification'],
  ): Promise<void> {
    const stored = storeNotification(notification)
    const acceptedAt = this.#deps.now()
    const entries = fresh.map(
      ({ queue, id }): Entry => ({ id, notifier: queue.name, notification, stored, acceptedAt, attempts: 0 }),
    )
    await this.#store.add(entries)
    for (const entry of entries) {
      const queue = this.#queues.get(entry.notifier)
      if (queue?.disabled) await queue.refuse(entry)
      else if (this.#running) queue?.add(entry)
    }
  }

  /** Starts sending, beginning with what the outbox holds from before (a crash, a stop). */
  async start(): Promise<void> {
    if (this.#running) return
    await this.#store.load()
    this.#running = true
    for (const queue of this.#queues.values()) queue.start()
    await this.#resume([...this.#queues.keys()])
  }

  /**
   * Stops taking new work, waits up to `timeoutMs` for sends in flight (then aborts them: they stay in
   * the outbox), clears every timer, waits for the store, and closes every notifier (unless `close: false`).
   */
  async stop(options: DeliveryStopOptions = {}): Promise<void> {
    this.#running = false
    const queues = [...this.#queues.values()]
    for (const queue of queues) queue.halt()
    const settled = Promise.all(queues.map((queue) => queue.settled()))
    await within(settled, options.timeoutMs ?? DEFAULTS.stopTimeout)
    for (const queue of queues) queue.abort()
    await settled
    await this.#store.flush()
    if (options.close !== false)
      await closeNotifiers(
        queues.map((queue) => queue.notifier),
        this.#report,
      )
  }

  /** The notifications that could not be delivered, oldest first. */
  async deadLetters(): Promise<DeadLetter[]> {
    await this.#store.load()
    const found = await Promise.all(this.#store.deadIds().map((id) => this.#store.read(id)))
    return found.flatMap((item) => {
      if (!item) return []
      const { entry, error, failedAt } = item
      const letter: DeadLetter = {
        id: entry.id,
        notifier: entry.notifier,
        notification: entry.notification,
        attempts: entry.attempts,
        error: error ?? { code: 'unknown', message: 'The error was not recorded.' },
        acceptedAt: new Date(entry.acceptedAt),
        failedAt: new Date(failedAt ?? entry.acceptedAt),
      }
      return [letter]
    })
  }

  /**
   * Sends dead letters again, with their attempts reset, and removes them from the dead letters.
   * Replaying the dead letters of a disabled notifier enables it again.
   *
   * @param ids - the dead letters' ids; every dead letter when omitted
   * @returns how many were queued again
   */
  async replay(ids?: readonly string[]): Promise<number> {
    await this.#store.load()
    const wanted = (ids ?? this.#store.deadIds()).filter((id) => this.#store.state(id) === 'dead')
    const entries = await this.#store.toOutbox(wanted)
    for (const entry of entries) {
      const queue = this.#queues.get(entry.notifier)
      if (!queue) continue
      if (queue.disabled) queue.enable()
      if (this.#running) queue.add(entry)
    }
    return entries.length
  }

  /** Reads the outbox entries of these notifiers back into their queues. */
  async #resume(names: readonly string[]): Promise<void> {
    const ids = names.flatMap((name) => this.#store.outboxIds(name))
    const found = await Promise.all(
      ids.map((id) =>
        this.#store.read(id).catch((error: unknown) => {
          this.#report.fail(`read the outbox entry ${id}`, error)
          return undefined
        }),
      ),
    )
    for (const item of found) {
      // Skipped if stopped meanwhile, or already delivered or dead-lettered by a queue that had it.
      if (!item || !this.#running || this.#store.state(item.entry.id) !== 'outbox') continue
      this.#queues.get(item.entry.notifier)?.add(item.entry)
    }
  }
}
