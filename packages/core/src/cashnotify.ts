import { createHash } from 'node:crypto'
import { Keyv } from 'keyv'
import { type Account, statusFromReport } from './account.js'
import { readAccountMetadata } from './account-metadata.js'
import { probeKey } from './check-key.js'
import { type Listener, SafeEmitter } from './emitter.js'
import { AccountError, AccountRefusedError, CashNotifyError } from './errors.js'
import type { CashNotifyEvents } from './events.js'
import { type ApiKey, parseKey } from './keys.js'
import { type Logger, redactingLogger } from './logger.js'
import { customLogo } from './logo.js'
import {
  type AddAccountInput,
  type CashNotifyOptions,
  type KeyValueStore,
  parseAddAccountInput,
  parseOptions,
} from './options.js'
import { RequestBudget } from './rate-limit.js'
import { StripeGateway } from './stripe-client.js'

/** An account and what this instance holds for it; never leaves the instance. */
interface WatchedAccount {
  snapshot: Account
  readonly key: ApiKey
  readonly gateway: StripeGateway
  readonly overrides: { readonly name?: string; readonly logo?: Account['logo'] }
}

const consoleLogger: Logger = {
  debug() {},
  info() {},
  warn: (message, fields) => console.warn(message, fields ?? ''),
  error: (message, fields) => console.error(message, fields ?? ''),
}

/** When Stripe never names the account, a stable id that cannot be turned back into the key. */
function fallbackAccountId(key: ApiKey): string {
  return `acct_unknown_${createHash('sha256').update(key.reveal()).digest('hex').slice(0, 12)}`
}

/**
 * Watches Stripe accounts and emits typed events. Every instance is independent: two instances in one
 * process share no state, budget or socket.
 *
 * @example
 * ```ts
 * const cn = new CashNotify({ pollInterval: 5_000 })
 * cn.on('account.added', (account) => console.log('watching', account.name, account.status))
 * const account = await cn.addAccount({ apiKey: process.env.STRIPE_KEY ?? '' })
 * ```
 */
export class CashNotify {
  /** The validated options. */
  readonly options: Readonly<CashNotifyOptions>
  /** The state store (a Keyv instance). */
  readonly store: KeyValueStore
  readonly #logger: Logger
  readonly #emitter: SafeEmitter<CashNotifyEvents>
  readonly #accounts = new Map<string, WatchedAccount>()
  /** Keys whose `addAccount` is still running, so two concurrent adds of one key cannot both win. */
  readonly #adding: ApiKey[] = []

  /** @throws {@link ConfigError} naming the invalid option. */
  constructor(options?: CashNotifyOptions) {
    this.options = parseOptions(options)
    this.store = this.options.store ?? new Keyv()
    this.#logger = redactingLogger(this.options.logger ?? consoleLogger)
    this.#emitter = new SafeEmitter<CashNotifyEvents>((error, event) => {
      this.#reportError(
        new CashNotifyError(`A listener of "${String(event)}" threw: ${(error as Error)?.message ?? error}`, {
          code: 'config_invalid',
          cause: error,
        }),
        event === 'error',
      )
    })
  }

  /** Listens to an event; the listener's arguments are typed by {@link CashNotifyEvents}. */
  on<K extends keyof CashNotifyEvents>(event: K, listener: Listener<CashNotifyEvents, K>): this {
    this.#emitter.on(event, listener)
    return this
  }

  /** Listens to the next occurrence of an event only. */
  once<K extends keyof CashNotifyEvents>(event: K, listener: Listener<CashNotifyEvents, K>): this {
    this.#emitter.once(event, listener)
    return this
  }

  /** Stops listening. */
  off<K extends keyof CashNotifyEvents>(event: K, listener?: Listener<CashNotifyEvents, K>): this {
    this.#emitter.off(event, listener)
    return this
  }

  /**
   * Validates the key, checks its permissions, reads the account's name and logo, and starts watching it.
   * A key without `rak_event_read` is refused; a key missing another required permission is accepted as
   * `degraded` (unless `strictPermissions`), and the account says which features are lost.
   *
   * @throws {@link InvalidKeyError} for a malformed, publishable, invalid or expired key.
   * @throws {@link AccountRefusedError} when the key cannot watch the account.
   * @throws {@link AccountError} (`account_duplicate`) for a key or account already watched.
   * @throws {@link StripeUnavailableError} when Stripe cannot be reached.
   * @throws {@link ConfigError} for invalid input or a custom logo that is not png/jpg/gif/ico.
   */
  async addAccount(input: AddAccountInput): Promise<Account> {
    const { apiKey, name, logo, strictPermissions } = parseAddAccountInput(input)
    const key = parseKey(apiKey)
    const customLogoValue = logo === undefined ? undefined : await customLogo(logo)
    if (
      this.#adding.some((k) => k.equals(key)) ||
      [...this.#accounts.values()].some((a) => a.key.equals(key))
    ) {
      throw new AccountError(`The key ${key.redacted} is already watched by this instance.`, {
        code: 'account_duplicate',
      })
    }
    this.#adding.push(key)
    const budget = new RequestBudget(key.mode, this.options.budget)
    const gateway = new StripeGateway(key, budget, this.options.stripe, this.options.retry)
    try {
      const { report, account } = await probeKey(gateway)
      if (report.missingRequired.includes('rak_event_read')) {
        throw new AccountRefusedError(
          `The key ${key.redacted} may not read events (rak_event_read), so nothing can be watched. Create a restricted key with the required permissions: ${report.restrictedKeyUrl}`,
          { report },
        )
      }
      if ((strictPermissions ?? this.options.strictPermissions) && !report.ok) {
        throw new AccountRefusedError(
          `The key ${key.redacted} lacks required permissions: ${[...report.missingRequired, ...report.unknown].join(', ')}.`,
          { report },
        )
      }
      const id = report.accountId ?? fallbackAccountId(key)
      const ref = `${id}/${key.mode}`
      const existing = this.#accounts.get(ref)
      if (existing) {
        throw new AccountError(
          `The ${key.mode} Stripe account ${id} is already watched (with key ${existing.key.redacted}).`,
          { code: 'account_duplicate' },
        )
      }
      const overrides = {
        ...(name === undefined ? {} : { name }),
        ...(customLogoValue ? { logo: customLogoValue } : {}),
      }
      const metadata = await readAccountMetadata(gateway, report, account, overrides)
      const snapshot: Account = {
        ref,
        id,
        mode: key.mode,
        key: { kind: key.kind, redacted: key.redacted },
        name: metadata.name,
        nameSource: metadata.nameSource,
        logo: metadata.logo,
        permissions: metadata.report,
        status: statusFromReport(metadata.report),
        featuresLost: metadata.report.featuresLost,
      }
      this.#accounts.set(ref, { snapshot, key, gateway, overrides })
      this.#logger.info(`Watching ${snapshot.name} (${ref}), ${snapshot.status}.`, { key: key.redacted })
      this.#emitter.emit('account.added', snapshot)
      return snapshot
    } catch (error) {
      gateway.close()
      throw error
    } finally {
      this.#adding.splice(this.#adding.indexOf(key), 1)
    }
  }

  /** Stops watching an account. @throws {@link AccountError} (`account_not_found`). */
  async removeAccount(account: Account | string): Promise<void> {
    const watched = this.#watched(account)
    this.#accounts.delete(watched.snapshot.ref)
    watched.gateway.close()
    this.#emitter.emit('account.removed', watched.snapshot)
  }

  /** Every watched account, in the order they were added. */
  accounts(): Account[] {
    return [...this.#accounts.values()].map((watched) => watched.snapshot)
  }

  /** One watched account by its `ref` (`acct_…/live`), if watched. */
  account(ref: string): Account | undefined {
    return this.#accounts.get(ref)?.snapshot
  }

  /**
   * Reads the account's name and logo from Stripe again (custom ones still win).
   * @throws {@link AccountError} (`account_not_found`), or what Stripe's answer maps to.
   */
  async refreshMetadata(account: Account | string): Promise<Account> {
    const watched = this.#watched(account)
    const { report, account: stripeAccount } = await probeKey(watched.gateway)
    const metadata = await readAccountMetadata(watched.gateway, report, stripeAccount, watched.overrides)
    watched.snapshot = {
      ...watched.snapshot,
      name: metadata.name,
      nameSource: metadata.nameSource,
      logo: metadata.logo,
      permissions: metadata.report,
      status: statusFromReport(metadata.report),
      featuresLost: metadata.report.featuresLost,
    }
    return watched.snapshot
  }

  /** Stops watching every account and releases every socket. */
  async close(): Promise<void> {
    for (const watched of this.#accounts.values()) watched.gateway.close()
    this.#accounts.clear()
  }

  #watched(account: Account | string): WatchedAccount {
    const ref = typeof account === 'string' ? account : account.ref
    const watched = this.#accounts.get(ref)
    if (!watched)
      throw new AccountError(`No account ${ref} is watched by this instance.`, { code: 'account_not_found' })
    return watched
  }

  /** Emits `error`, or logs it when nobody listens (or the `error` listener itself threw). */
  #reportError(error: CashNotifyError, fromErrorListener = false): void {
    if (fromErrorListener || !this.#emitter.emit('error', error))
      this.#logger.error(error.message, { code: error.code })
  }
}
