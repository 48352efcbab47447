/**
 * The instance's digests: the aggregates fed by every account's pipeline, one timer per schedule, and
 * each digest emitted (`digest`) and handed to delivery. A digest missed while the process was down is
 * sent at start (the latest one of each schedule); a digest sent is never sent again, so a late event
 * shows only in the next digest's comparison.
 *
 * - `cashnotify:digest-schedule:<name>` → `{ v: 1, since, last }`: when the schedule first ran (ms),
 *   and the send day (`YYYY-MM-DD`) of its last digest
 */
import type { Account } from '../accounts/account.js'
import { resolvePrivacy } from '../delivery/privacy.js'
import type { DeliveryService } from '../delivery/types.js'
import { DigestAggregates } from '../digest/aggregates.js'
import { buildDigest, type DigestAccount, type DigestRequest } from '../digest/build.js'
import {
  currentPeriod,
  latestSendDay,
  nextSendTime,
  periodOfSend,
  type ResolvedSchedule,
  type ScheduledPeriod,
  sendTime,
} from '../digest/schedule.js'
import { type DigestTextOptions, digestNotification } from '../digest/text.js'
import type { DigestTotalOptions } from '../digest/total.js'
import type { Digest, DigestNotification, DigestPeriodKind } from '../digest/types.js'
import type { DomainEvent } from '../enrich/domain-events.js'
import { CashNotifyError, ConfigError } from '../shared/errors.js'
import { MoneyFormats } from '../shared/money.js'
import { type KeyValueStore, STORE_KEYS } from '../shared/store.js'
import { ZoneClock } from '../shared/zone-clock.js'
import { clusterStore } from './cluster.js'
import { resolveSchedules } from './digest-options.js'
import type { ResolvedOptions } from './options-schema.js'
import type { PipelineHooks } from './watched-account.js'

/** What digests report to: the instance around them. */
export interface DigestHooks {
  /** Emits `digest`. */
  emit(digest: Digest): void
  /** Hands a digest to delivery; resolves once it is in the outbox. */
  deliver(notification: DigestNotification): Promise<void>
  /** The accounts watched now. */
  accounts(): readonly DigestAccount[]
  /** Something failed in the background. */
  error(error: CashNotifyError): void
}

/** How digests are made. */
export interface DigestSettings {
  readonly store: KeyValueStore
  readonly schedules: readonly ResolvedSchedule[]
  readonly total?: DigestTotalOptions | undefined
  readonly text: DigestTextOptions
  readonly now: () => number
  /** Clustered: the store is the cluster's, written by every process (each account's by its holder). */
  readonly shared?: boolean
}

/** What `cn.digest()` is asked for: the period so far. */
export interface DigestQuery {
  /** Today so far, or the seven days ending today. @default 'day' */
  readonly every?: DigestPeriodKind
  /** One of the time zones the schedules use. @default the first schedule's */
  readonly timeZone?: string
  /** One digest per account, or one across the accounts of each mode. @default 'account' */
  readonly scope?: 'account' | 'all'
}

interface ScheduleState {
  readonly v: 1
  readonly since: number
  readonly last?: string
}

/** A digest's timers must not spin when the injected clock and the timers disagree. */
const MIN_WAIT_MS = 1_000
/** How soon a digest whose send failed (the store was down …) is tried again: it is not left for the next period. */
const RETRY_MS = 60_000

export class InstanceDigests {
  /** The day records, fed by every account's pipeline. */
  readonly aggregates: DigestAggregates
  readonly #settings: DigestSettings
  readonly #hooks: DigestHooks
  readonly #calendars = new Map<string, ZoneClock>()
  readonly #timers = new Map<string, ReturnType<typeof setTimeout>>()
  /** Sends run one after another; `stop()` waits for the one running. */
  #sending: Promise<void> = Promise.resolve()
  #running = false

  constructor(settings: DigestSettings, hooks: DigestHooks) {
    this.#settings = settings
    this.#hooks = hooks
    const zones = [...new Set(settings.schedules.map((schedule) => schedule.timeZone))]
    for (const zone of zones) this.#calendars.set(zone, new ZoneClock(zone))
    const { store, now, shared } = settings
    this.aggregates = new DigestAggregates({ store, timeZones: zones, now, ...(shared ? { shared } : {}) })
  }

  /** Sends what was missed while stopped (the latest digest of each schedule), then arms every schedule. */
  async start(): Promise<void> {
    if (this.#running) return
    this.#running = true
    for (const schedule of this.#settings.schedules) {
      const sent = await this.#queue(() => this.#catchUp(schedule))
      this.#arm(schedule, sent ? undefined : RETRY_MS)
    }
  }

  /** Clears the timers and waits for a send in progress. */
  async stop(): Promise<void> {
    this.#running = false
    for (const timer of this.#timers.values()) clearTimeout(timer)
    this.#timers.clear()
    await this.#sending
  }

  /** The digests of the period so far (today, or the seven days ending today), built now and sent nowhere. */
  async current(query: DigestQuery = {}): Promise<Digest[]> {
    const timeZone = query.timeZone ?? this.#settings.schedules[0]?.timeZone
    const calendar = timeZone === undefined ? undefined : this.#calendars.get(timeZone)
    if (!calendar) {
      throw new ConfigError(
        timeZone === undefined
          ? 'Digests are built from the day records kept for the `digests` option: add a schedule to it first.'
          : `No digest schedule uses the time zone ${timeZone}: its days are not kept (the schedules use ${[...this.#calendars.keys()].join(', ')}).`,
      )
    }
    const span = currentPeriod(query.every ?? 'day', calendar, this.#settings.now())
    const requests = this.#requests('now', query.scope ?? 'account', calendar, span)
    return Promise.all(requests.map((request) => this.#build(request)))
  }

  /** The schedule's last state, written the first time it runs (nothing is owed for before then). */
  async #state(schedule: ResolvedSchedule): Promise<ScheduleState> {
    const key = STORE_KEYS.digestSchedule(schedule.name)
    const stored = (await this.#settings.store.get(key)) as Partial<ScheduleState> | undefined
    if (stored?.v === 1 && typeof stored.since === 'number') return stored as ScheduleState
    const fresh: ScheduleState = { v: 1, since: this.#settings.now() }
    await this.#settings.store.set(key, fresh)
    return fresh
  }

  /** Sends the schedule's latest digest if it is due and was not sent. */
  async #catchUp(schedule: ResolvedSchedule): Promise<void> {
    const calendar = this.#calendar(schedule)
    const state = await this.#state(schedule)
    const day = latestSendDay(schedule, calendar, this.#settings.now())
    if (sendTime(schedule, calendar, day) <= state.since) return // due before the schedule existed
    if (state.last !== undefined && state.last >= day) return
    await this.#send(schedule, calendar, day)
    await this.#settings.store.set(STORE_KEYS.digestSchedule(schedule.name), { ...state, last: day })
  }

  #arm(schedule: ResolvedSchedule, retryInMs?: number): void {
    if (!this.#running) return
    const now = this.#settings.now()
    const wait =
      retryInMs ?? Math.max(MIN_WAIT_MS, nextSendTime(schedule, this.#calendar(schedule), now) - now)
    const timer = setTimeout(() => {
      this.#timers.delete(schedule.name)
      void this.#queue(() => this.#catchUp(schedule)).then((sent) =>
        this.#arm(schedule, sent ? undefined : RETRY_MS),
      )
    }, wait)
    timer.unref?.()
    this.#timers.set(schedule.name, timer)
  }

  /**
   * Runs a send after the one before; resolves whether it went. A failure is reported, and the schedule
   * tries again in {@link RETRY_MS} (the digest owed is still the latest, so it is the one sent).
   */
  #queue(run: () => Promise<void>): Promise<boolean> {
    const next = this.#sending.then(run).then(
      () => true,
      (error: unknown) => {
        this.#hooks.error(
          error instanceof CashNotifyError
            ? error
            : new CashNotifyError(
                `A digest could not be sent: ${error instanceof Error ? error.message : String(error)}`,
                { code: 'internal', cause: error },
              ),
        )
        return false
      },
    )
    this.#sending = next.then(() => undefined)
    return next
  }

  /** Every digest of a send: emitted, then in the outbox, before the send counts as done. */
  async #send(schedule: ResolvedSchedule, calendar: ZoneClock, sendDay: string): Promise<void> {
    const span = periodOfSend(schedule.every, calendar, sendDay)
    const scopes = schedule.scope === 'both' ? (['account', 'all'] as const) : [schedule.scope]
    const requests = scopes.flatMap((scope) => this.#requests(schedule.name, scope, calendar, span))
    for (const request of requests) {
      const digest = await this.#build(request)
      this.#hooks.emit(digest)
      await this.#hooks.deliver(digestNotification(digest, this.#settings.text))
    }
  }

  /** One request per account, or one per mode across its accounts (live and test never mix). */
  #requests(
    name: string,
    scope: 'account' | 'all',
    calendar: ZoneClock,
    span: ScheduledPeriod,
  ): DigestRequest[] {
    const accounts = this.#hooks.accounts()
    const now = this.#settings.now()
    const base = { schedule: name, scope, calendar, span, now }
    if (scope === 'account') return accounts.map((account) => ({ ...base, accounts: [account] }))
    return (['live', 'test'] as const)
      .map((mode) => accounts.filter(({ account }) => account.mode === mode))
      .filter((group) => group.length > 0)
      .map((group) => ({ ...base, accounts: group }))
  }

  #build(request: DigestRequest): Promise<Digest> {
    const { total } = this.#settings
    const fail = (error: unknown): void =>
      this.#hooks.error(
        new CashNotifyError(
          `The digest total in ${total?.currency ?? ''} was left out: the convert function failed (${error instanceof Error ? error.message : String(error)}).`,
          { code: 'listener_failed', cause: error },
        ),
      )
    return buildDigest(this.aggregates, request, total ? { options: total, fail } : undefined)
  }

  #calendar(schedule: ResolvedSchedule): ZoneClock {
    return this.#calendars.get(schedule.timeZone) ?? new ZoneClock(schedule.timeZone)
  }

  /** Counts a batch of an account's domain events in the day records. */
  record(ref: string, events: readonly DomainEvent[]): Promise<void> {
    return this.aggregates.record(ref, events)
  }

  /** Deletes an account's day records (it was removed for good). */
  forget(ref: string): Promise<void> {
    return this.aggregates.forget(ref)
  }
}

/**
 * The instance's digests from its resolved options: emitted through its hooks, handed to its delivery;
 * `watched.accounts()` lists the accounts watched now.
 */
export function createDigests(
  options: ResolvedOptions,
  store: KeyValueStore,
  delivery: DeliveryService,
  hooks: Pick<PipelineHooks, 'emit' | 'error'>,
  watched: { accounts(): readonly Account[] },
): InstanceDigests {
  // Clustered, every process sees every account's records: each digest is whole, whichever process sends
  // it, and the queues send one of its copies (they have one id).
  const { cluster } = options
  return new InstanceDigests(
    {
      store: cluster ? clusterStore(cluster) : store,
      shared: cluster !== undefined,
      schedules: resolveSchedules(options.digests, options.timeZone),
      total: options.digestTotal,
      text: {
        locale: options.locale,
        formats: new MoneyFormats(options.locale),
        hideAmounts: resolvePrivacy(options.privacy).amounts,
      },
      now: options.now,
    },
    {
      emit: (digest) => hooks.emit('digest', digest),
      deliver: (notification) => delivery.acceptDigest(notification),
      error: (error) => hooks.error(error),
      accounts: () =>
        watched
          .accounts()
          .map(({ ref, id, name, mode, logo }) => ({ ref, account: { id, name, mode, logo } })),
    },
  )
}
