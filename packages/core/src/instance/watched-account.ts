import type Stripe from 'stripe'
import type { Account, AccountStatus } from '../accounts/account.js'
import type { ApiKey } from '../accounts/keys.js'
import { check, withCheck } from '../accounts/permission-report.js'
import { isPermissionName, PERMISSIONS } from '../accounts/permissions.js'
import type { DomainEvent } from '../enrich/domain-events.js'
import { Enricher } from '../enrich/enricher.js'
import { type LookupCacheOptions, StripeLookups } from '../enrich/lookups.js'
import { AccountPoller, type PollerSettings, type PollerSink } from '../polling/poller.js'
import { CashNotifyError } from '../shared/errors.js'
import type { Logger } from '../shared/logger.js'
import type { KeyValueStore } from '../shared/store.js'
import type { StripeGateway } from '../stripe/client.js'
import type { CashNotifyEvents } from './events.js'

/** What an account's pipeline reports to, and hands its events to: the instance around it. */
export interface PipelineHooks {
  /** Emits on the instance. */
  emit<K extends keyof CashNotifyEvents>(event: K, ...args: CashNotifyEvents[K]): void
  /** Hands a domain event to delivery; resolves once it is safely accepted. */
  deliver(event: DomainEvent): Promise<void>
  /** The account's health changed. */
  status(ref: string, status: AccountStatus | 'healthy', reason: string, error?: CashNotifyError): void
  /** Something failed that changes no status. */
  error(error: CashNotifyError): void
  /** The instance's (redacting) logger. */
  readonly logger: Logger
}

/** Settings of an account's pipeline. */
export interface PipelineSettings {
  readonly store: KeyValueStore
  readonly poller: PollerSettings
  readonly settleSeconds: number
  readonly enrichment: { readonly holdMs: number; readonly repairForMs: number }
  readonly cache: LookupCacheOptions
}

/**
 * One watched account and its one-way pipeline: Stripe → poller → enricher → emitter → delivery.
 * The account's snapshot is the only part that leaves the instance.
 */
export class WatchedAccount {
  /** The account as the app sees it. */
  snapshot: Account
  /** The key, never shown. */
  readonly key: ApiKey
  /** The account's way to Stripe. */
  readonly gateway: StripeGateway<ApiKey>
  /** The account's polling loop. */
  readonly poller: AccountPoller
  /** What the app chose itself: a custom name and logo. */
  readonly overrides: { readonly name?: string; readonly logo?: Account['logo'] }
  readonly #enricher: Enricher
  readonly #hooks: PipelineHooks

  constructor(
    parts: {
      snapshot: Account
      key: ApiKey
      gateway: StripeGateway<ApiKey>
      overrides: WatchedAccount['overrides']
    },
    settings: PipelineSettings,
    hooks: PipelineHooks,
  ) {
    this.snapshot = parts.snapshot
    this.key = parts.key
    this.gateway = parts.gateway
    this.overrides = parts.overrides
    this.#hooks = hooks
    this.#enricher = new Enricher({
      ref: parts.snapshot.ref,
      account: () => {
        const { id, name, mode, logo } = this.snapshot
        return { id, name, mode, logo }
      },
      lookups: new StripeLookups(
        parts.gateway,
        settings.cache,
        settings.poller.now,
        (permission, state, reason) => this.#permissionChanged(permission, state, reason),
      ),
      store: settings.store,
      settleSeconds: settings.settleSeconds,
      ...settings.enrichment,
      now: settings.poller.now,
    })
    this.poller = new AccountPoller(
      parts.snapshot.ref,
      parts.gateway,
      settings.store,
      this.#sink(),
      settings.poller,
    )
  }

  /**
   * A read showed that the key lost a permission, or has it again: the account's report, its lost
   * features and its status follow, and the change is announced once (`account.status`).
   */
  #permissionChanged(permission: string, state: 'granted' | 'missing', reason: string): void {
    if (!isPermissionName(permission)) return
    const report = withCheck(this.snapshot.permissions, this.key, check(permission, state))
    this.snapshot = { ...this.snapshot, permissions: report, featuresLost: report.featuresLost }
    const what = PERMISSIONS[permission]
    const why =
      state === 'missing'
        ? `the key no longer has ${permission} (${reason}): ${what.withoutIt}`
        : `the key has ${permission} again`
    this.#hooks.logger.warn(`${this.snapshot.name} (${this.snapshot.ref}): ${why}`)
    this.#hooks.status(this.snapshot.ref, 'healthy', why)
  }

  /** Deletes everything the account's pipeline persisted (it was removed for good). */
  async forget(): Promise<void> {
    await this.poller.forget()
    await this.#enricher.forget()
  }

  #sink(): PollerSink {
    const ref = this.snapshot.ref
    const hooks = this.#hooks
    return {
      events: async (events: Stripe.Event[], backfill: boolean) => {
        for (const event of events) hooks.emit('stripe.event', event, { account: this.snapshot, backfill })
        await this.#enrich(events, backfill)
      },
      settle: () => this.#enrich([], false),
      gap: (from, to, reason) => {
        hooks.emit('gap', { account: this.snapshot, from, to, reason })
        hooks.logger.warn(
          `Events of ${ref} between ${from.toISOString()} and ${to.toISOString()} are lost: ${reason}`,
        )
      },
      status: (status, reason, error) => hooks.status(ref, status, reason, error),
      error: (error) =>
        hooks.error(
          error instanceof CashNotifyError
            ? error
            : new CashNotifyError(`Polling ${ref} failed: ${String(error)}`, {
                code: 'internal',
                cause: error,
              }),
        ),
    }
  }

  /** Enrich, emit, hand to delivery, then record them as emitted: a crash before the record re-reads. */
  async #enrich(events: Stripe.Event[], backfill: boolean): Promise<void> {
    const result = await this.#enricher.process(events, backfill)
    for (const { eventId, type, reason } of result.rejected) {
      this.#hooks.error(
        new CashNotifyError(
          `The Stripe event ${eventId} (${type}) of ${this.snapshot.ref} was not enriched: ${reason}.`,
          {
            code: 'event_rejected',
          },
        ),
      )
    }
    for (const event of result.events) {
      this.#hooks.emit(event.type, event as never)
      this.#hooks.emit('event', event)
      await this.#hooks.deliver(event)
    }
    await result.commit()
  }
}
