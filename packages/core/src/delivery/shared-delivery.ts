/**
 * Delivery in clustered mode: what `Delivery` does for one process, on queues that every process of the
 * cluster shares. Accepting a notification adds one job per interested notifier, with a stable id, and
 * resolves once the queues hold it; any process's worker may send it; the queues keep the attempts, the
 * delays and the dead letters, so a process that dies loses nothing it accepted.
 */
import type { DigestNotification } from '../digest/types.js'
import type { DomainEvent } from '../enrich/domain-events.js'
import { DEFAULTS } from '../shared/defaults.js'
import type { NotifierError } from '../shared/errors.js'
import { entryId } from './entry.js'
import { matchesDigestFilter, matchesFilter } from './filter.js'
import { notificationOf } from './notification.js'
import type { Deliverable, Notification, Notifier } from './notifier.js'
import { prepareNotifier } from './notifier-options.js'
import { closeNotifiers, type DeliveryReport, deliveryReport, within } from './report.js'
import { reviveDeliverable, storeNotification } from './serialize.js'
import type { SharedDeliveryQueues, SharedJob, SharedWorker } from './shared-queues.js'
import { SharedSender } from './shared-sender.js'
import type {
  DeadLetter,
  DeliveryOptions,
  DeliveryService,
  DeliveryStopOptions,
  NotifierOptions,
} from './types.js'

/** How long `stop()` waits for the workers once their sends were aborted. */
const ABORTED_GRACE_MS = 2_000

/** Options of `new SharedDelivery()`: those of `Delivery`, with the cluster's queues for its store. */
export interface SharedDeliveryOptions extends Omit<DeliveryOptions, 'store' | 'maxDeadLetters'> {
  /** The queues every process of the cluster shares. */
  readonly queues: SharedDeliveryQueues
}

/** One notifier in use: its sender, and this process's worker while sending. */
interface InUse {
  readonly sender: SharedSender
  worker?: SharedWorker | undefined
  /** Set when the notifier said its channel is gone: this process takes none of its jobs until a replay. */
  disabled?: NotifierError | undefined
}

/** Delivers domain events through queues shared by a cluster; see the file's comment. */
export class SharedDelivery implements DeliveryService {
  readonly #options: SharedDeliveryOptions
  readonly #report: DeliveryReport
  readonly #queues: SharedDeliveryQueues
  readonly #inUse = new Map<string, InUse>()
  readonly #now: () => number
  #running = false

  constructor(options: SharedDeliveryOptions) {
    this.#options = options
    this.#report = deliveryReport(options)
    this.#queues = options.queues
    this.#now = options.now ?? (() => Date.now())
  }

  get running(): boolean {
    return this.#running
  }

  notifiers(): string[] {
    return [...this.#inUse.keys()]
  }

  use(given: Notifier, options?: NotifierOptions): void {
    const prepared = prepareNotifier(given, options, (name) => this.#inUse.has(name))
    const sender = new SharedSender(prepared.notifier, prepared.options, {
      logger: this.#options.logger,
      now: this.#now,
      random: this.#options.random ?? Math.random,
      emit: (event) => this.#report.emit(event),
      disable: (name, error) => this.#disable(name, error),
    })
    const inUse: InUse = { sender }
    this.#inUse.set(prepared.notifier.name, inUse)
    if (this.#running) this.#work(inUse)
  }

  async accept(event: DomainEvent, options?: { readonly except?: ReadonlySet<string> }): Promise<void> {
    const wanted = this.#wanting(
      ({ notifier, options: own }) =>
        !options?.except?.has(notifier.name) && matchesFilter(own.filter, event),
    )
    if (wanted.length === 0) return
    const notification = notificationOf(event, this.#options, (what, cause) =>
      this.#report.fail(what, cause, 'listener_failed'),
    )
    await this.#add(wanted, notification)
  }

  async acceptDigest(notification: DigestNotification): Promise<void> {
    const wanted = this.#wanting(
      ({ notifier, options }) =>
        typeof notifier.sendDigest === 'function' && matchesDigestFilter(options.filter, notification.digest),
    )
    if (wanted.length > 0) await this.#add(wanted, notification)
  }

  async enqueue(notification: Notification, notifiers: readonly string[]): Promise<void> {
    const wanted = this.#wanting(({ notifier }) => notifiers.includes(notifier.name))
    if (wanted.length > 0) await this.#add(wanted, notification)
  }

  async start(): Promise<void> {
    if (this.#running) return
    this.#running = true
    for (const inUse of this.#inUse.values()) this.#work(inUse)
  }

  /** Closes this process's workers (their jobs stay queued for any process), then the notifiers. */
  async stop(options: DeliveryStopOptions = {}): Promise<void> {
    this.#running = false
    const all = [...this.#inUse.values()]
    const closing = Promise.all(all.map((inUse) => this.#rest(inUse)))
    await within(closing, options.timeoutMs ?? DEFAULTS.stopTimeout)
    for (const { sender } of all) sender.abort()
    // An aborted attempt hands its job back through Redis; with Redis away that waits for it. Stop anyway:
    // the job's lock lapses and another worker takes it over (at least once, never lost).
    await within(closing, ABORTED_GRACE_MS)
    if (options.close !== false)
      await closeNotifiers(
        all.map(({ sender }) => sender.notifier),
        this.#report,
      )
  }

  /** The dead letters of the whole cluster, of every notifier (in use here or not), oldest first. */
  async deadLetters(): Promise<DeadLetter[]> {
    const letters = await this.#queues.deadLetters()
    return letters.flatMap(({ job, attempts, error, failedAt }) => {
      const notification = reviveDeliverable(job.notification)
      if (!notification) return []
      const letter: DeadLetter = {
        id: job.id,
        notifier: job.notifier,
        notification,
        attempts,
        error,
        acceptedAt: new Date(job.acceptedAt),
        failedAt: new Date(failedAt),
      }
      return [letter]
    })
  }

  /** Sends dead letters again: those named, or every one of the notifiers in use here. */
  async replay(ids?: readonly string[]): Promise<number> {
    const wanted =
      ids ??
      (await this.#queues.deadLetters())
        .filter(({ job }) => this.#inUse.has(job.notifier))
        .map(({ job }) => job.id)
    const replayed = await this.#queues.replay(wanted)
    // Replaying a disabled notifier's dead letters enables it again here.
    for (const [name, inUse] of this.#inUse) {
      if (!inUse.disabled || !wanted.some((id) => id.startsWith(`${name}:`))) continue
      inUse.disabled = undefined
      if (this.#running) this.#work(inUse)
    }
    return replayed
  }

  /** The notifiers in use that `wants` the notification. */
  #wanting(wants: (sender: SharedSender) => boolean): SharedSender[] {
    return [...this.#inUse.values()].map(({ sender }) => sender).filter(wants)
  }

  async #add(senders: readonly SharedSender[], notification: Deliverable): Promise<void> {
    const stored = storeNotification(notification)
    const acceptedAt = this.#now()
    const jobs = senders.map(
      ({ notifier, options }): SharedJob => ({
        id: entryId(notifier.name, notification.id),
        notifier: notifier.name,
        notificationId: notification.id,
        notification: stored,
        acceptedAt,
        attempts: options.retry.attempts,
      }),
    )
    await this.#queues.add(jobs)
  }

  #work(inUse: InUse): void {
    if (inUse.worker || inUse.disabled) return
    const { sender } = inUse
    sender.resume()
    inUse.worker = this.#queues.work(sender.notifier.name, sender.options.concurrency, (attempt) =>
      sender.attempt(attempt),
    )
  }

  async #rest(inUse: InUse): Promise<void> {
    const worker = inUse.worker
    inUse.worker = undefined
    await worker?.close()
  }

  #disable(name: string, error: NotifierError): void {
    const inUse = this.#inUse.get(name)
    if (!inUse || inUse.disabled) return
    inUse.disabled = error
    this.#options.logger.warn(`Notifier ${name} is disabled in this process: ${error.message}`)
    this.#report.emit({ type: 'notifier_disabled', notifier: name, error })
    this.#rest(inUse).catch((cause: unknown) => this.#report.fail(`stop the worker of ${name}`, cause))
  }
}
