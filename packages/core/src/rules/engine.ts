/**
 * Rules between the emitter and delivery: events of notifiers without rules go straight to delivery;
 * for a notifier with rules each event is marked, then sent, held for quiet hours, or grouped, and what
 * is held is released into delivery's outbox as one notification. One-way, and nothing is dropped.
 */
import { matchesFilter } from '../delivery/filter.js'
import type { Notification } from '../delivery/notifier.js'
import type { DeliveryFilter, DeliveryStopOptions } from '../delivery/types.js'
import type { DomainEvent } from '../enrich/domain-events.js'
import { CashNotifyError } from '../shared/errors.js'
import { ExpiringIds } from '../shared/expiring-ids.js'
import type { Logger } from '../shared/logger.js'
import { MoneyFormats } from '../shared/money.js'
import { type KeyValueStore, RETENTION } from '../shared/store.js'
import { type ComposeText, groupOf, summaryOf } from './compose.js'
import { type Hold, HoldStore, holdId } from './hold-store.js'
import { DayTallies, withMarks } from './marks.js'
import { type ActiveRules, quietUntil } from './options.js'
import { RULES_KEYS } from './store-keys.js'
import type { HeldNotifications, HoldReason } from './types.js'

/** What rules need of delivery, which they sit in front of (and start before, and stop after, themselves). */
export interface RulesDelivery {
  start(): Promise<void>
  stop(options: DeliveryStopOptions): Promise<void>
  /** Accepts an event for every notifier but those named. */
  accept(event: DomainEvent, options: { readonly except: ReadonlySet<string> }): Promise<void>
  /** Puts a ready notification in the outbox of these notifiers. */
  enqueue(notification: Notification, notifiers: readonly string[]): Promise<void>
}

/** Options of {@link RulesEngine}. */
export interface RulesEngineOptions {
  readonly store: KeyValueStore
  readonly logger: Logger
  readonly now: () => number
  readonly delivery: RulesDelivery
  /** The notification of an event, with delivery's text (format hook, privacy, locale). */
  readonly notification: (event: DomainEvent) => Notification
  /** Hide amounts from the text rules write. */
  readonly hideAmounts: boolean
  /** Where a failed release is reported; it is tried again a minute later. */
  readonly onError: (error: CashNotifyError) => void
}

/** Longest single timer: a release time is checked against the clock at least this often. */
const MAX_TIMER_MS = 3_600_000
const RETRY_MS = 60_000
/** A group is sent at the latest this many times its window after its first sale. */
const GROUP_SPAN = 10

/** The rules of every notifier of an instance, and what they hold. */
export class RulesEngine {
  readonly #options: RulesEngineOptions
  readonly #rules = new Map<string, { rules: ActiveRules; filter: DeliveryFilter }>()
  /** Every notifier in use, ruled or not: only their holds are released (others wait for them to be added). */
  readonly #known = new Set<string>()
  readonly #holds: HoldStore
  readonly #tallies: DayTallies
  readonly #seen: ExpiringIds
  readonly #text: ComposeText
  #tail: Promise<unknown> = Promise.resolve()
  #timer: ReturnType<typeof setTimeout> | undefined
  #running = false

  constructor(options: RulesEngineOptions) {
    this.#options = options
    const formats = new MoneyFormats()
    this.#text = { formats, hideAmounts: options.hideAmounts }
    this.#holds = new HoldStore(options.store, options.logger)
    this.#tallies = new DayTallies(options.store, formats)
    this.#seen = new ExpiringIds(options.store, {
      key: RULES_KEYS.seen,
      retentionMs: RETENTION.deliveredMarkerMs,
      bucketMs: 3_600_000,
      now: options.now,
    })
  }

  /** Gives a notifier its rules (`undefined`: none, its events go straight to delivery). */
  use(notifier: string, filter: DeliveryFilter, rules: ActiveRules | undefined): void {
    this.#known.add(notifier)
    if (rules) this.#rules.set(notifier, { rules, filter })
    // What was held for it before a restart may be due already.
    if (this.#running) this.#schedule(0)
  }

  /** Takes an event: resolves once every notifier has it on its way, held, or marked as handled. */
  async accept(event: DomainEvent): Promise<void> {
    const ruled = new Set(this.#rules.keys())
    await this.#options.delivery.accept(event, { except: ruled })
    if (ruled.size > 0) await this.#serial(() => this.#apply(event))
  }

  /**
   * Starts delivery, then loads what is held, releases what is due (a release time that passed while
   * stopped), and sets the timer.
   */
  async start(): Promise<void> {
    await this.#options.delivery.start()
    this.#running = true
    await this.#serial(() => this.#releaseDue())
    this.#schedule()
  }

  /** Stops the timer, waits for work in flight, then stops delivery; what is held stays in the store. */
  async stop(options: DeliveryStopOptions): Promise<void> {
    this.#running = false
    clearTimeout(this.#timer)
    this.#timer = undefined
    await this.#tail.catch(() => {})
    await this.#options.delivery.stop(options)
  }

  /** What rules hold, per notifier and hold. */
  async held(): Promise<HeldNotifications[]> {
    await this.#holds.load()
    return this.#holds.list().map((hold) => ({
      notifier: hold.notifier,
      reason: hold.reason,
      account: hold.account,
      notificationIds: [...hold.members],
      since: new Date(hold.since),
      releaseAt: new Date(hold.releaseAt),
    }))
  }

  /** Runs one step at a time: holds, tallies and the seen set change in one order. */
  #serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(work)
    this.#tail = run.catch(() => {})
    return run
  }

  async #apply(event: DomainEvent): Promise<void> {
    await Promise.all([this.#holds.load(), this.#seen.load()])
    let base: Notification | undefined
    for (const [notifier, { rules, filter }] of this.#rules) {
      const seen = `${notifier}:${event.id}`
      if (this.#seen.has(seen)) continue
      // The day's tally counts every sale of the account; only the notifier's own events are sent.
      const marking = await this.#tallies.mark(notifier, rules, event)
      if (matchesFilter(filter, event)) {
        base ??= this.#options.notification(event)
        const notification = withMarks(base, marking.marks, this.#options.hideAmounts)
        if (!this.#holds.holds(notifier, notification.id)) await this.#route(notifier, rules, notification)
      }
      await marking.commit()
      this.#seen.add([seen])
    }
    await this.#seen.flush()
    this.#schedule()
  }

  /** Sends a notification now, or holds it for quiet hours or a group. */
  async #route(notifier: string, rules: ActiveRules, notification: Notification): Promise<void> {
    const now = this.#options.now()
    const large = notification.marks?.some((mark) => mark.type === 'large_sale') ?? false
    const until = rules.quiet ? quietUntil(rules.quiet, now) : undefined
    const account = `${notification.account.id}/${notification.account.mode}`
    if (until !== undefined && !(large && rules.largeSale?.bypassQuietHours)) {
      const hold = this.#open(notifier, 'quiet_hours', account, account, now, until, until)
      return this.#holds.add(hold, notification)
    }
    // A large sale is never grouped: it goes out on its own, at once.
    if (rules.groupMs > 0 && notification.type === 'sale' && notification.amount && !large) {
      const key = `${account}|${notification.amount.currency}`
      const hold = this.#open(
        notifier,
        'group',
        key,
        account,
        now,
        now + rules.groupMs,
        now + GROUP_SPAN * rules.groupMs,
      )
      hold.releaseAt = Math.min(now + rules.groupMs, hold.latest)
      return this.#holds.add(hold, notification)
    }
    await this.#options.delivery.enqueue(notification, [notifier])
  }

  /** The open hold of a notifier for a reason and key, or a new one (not yet stored). */
  #open(
    notifier: string,
    reason: HoldReason,
    key: string,
    account: string,
    now: number,
    releaseAt: number,
    latest: number,
  ): Hold {
    const id = holdId(notifier, reason, key)
    return (
      this.#holds.get(id) ?? {
        id,
        notifier,
        reason,
        key,
        account,
        since: now,
        releaseAt,
        latest,
        members: [],
      }
    )
  }

  async #releaseDue(): Promise<void> {
    await this.#holds.load()
    const now = this.#options.now()
    for (const hold of this.#waiting()) if (hold.releaseAt <= now) await this.#release(hold, now)
  }

  /** Sends a hold as one notification, or moves a group that ends in quiet hours into their hold. */
  async #release(hold: Hold, now: number): Promise<void> {
    const members = await this.#holds.members(hold)
    const rules = this.#rules.get(hold.notifier)?.rules
    const until = hold.reason === 'group' && rules?.quiet ? quietUntil(rules.quiet, now) : undefined
    if (until !== undefined) {
      const quiet = this.#open(hold.notifier, 'quiet_hours', hold.account, hold.account, now, until, until)
      return this.#holds.move(hold, quiet)
    }
    if (members.length > 0) {
      const one = hold.reason === 'group' ? groupOf(members, this.#text) : summaryOf(members, this.#text)
      await this.#options.delivery.enqueue(one, [hold.notifier])
    }
    await this.#holds.remove(hold)
  }

  /** The holds of notifiers in use. */
  #waiting(): Hold[] {
    return this.#holds.list().filter((hold) => this.#known.has(hold.notifier))
  }

  /** Sets one timer, for the earliest release. */
  #schedule(delay?: number): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
    if (!this.#running) return
    const next = Math.min(...this.#waiting().map((hold) => hold.releaseAt))
    if (!Number.isFinite(next) && delay === undefined) return
    const wait = delay ?? Math.max(0, next - this.#options.now())
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined
        this.#serial(() => this.#releaseDue()).then(
          () => this.#schedule(),
          (error: unknown) => {
            this.#options.onError(
              new CashNotifyError(
                `Rules could not release held notifications: ${error instanceof Error ? error.message : String(error)}`,
                {
                  code: 'internal',
                  cause: error,
                },
              ),
            )
            this.#schedule(RETRY_MS)
          },
        )
      },
      Math.min(wait, MAX_TIMER_MS),
    )
  }
}
