/**
 * Checks what `use(notifier, options)` is given, fills in the defaults, and decides which events a
 * notifier gets. Validation happens once, at `use()`, so a typo fails at startup, not at the first sale.
 */
import type { DomainEvent, DomainEventType } from '../enrich/domain-events.js'
import { ConfigError } from '../shared/errors.js'
import { eventAmount } from './format.js'
import type { Notifier } from './notifier.js'
import type { DeliveryFilter, NotifierOptions } from './types.js'

/** {@link NotifierOptions} with every default filled in. */
export interface ResolvedNotifierOptions {
  readonly filter: DeliveryFilter
  readonly concurrency: number
  readonly timeoutMs: number
  readonly retry: { readonly attempts: number; readonly baseDelayMs: number; readonly maxDelayMs: number }
}

/** The defaults of {@link NotifierOptions}. */
export const NOTIFIER_DEFAULTS = {
  /** Sends in flight at once per notifier. */
  concurrency: 1,
  /** Longest one send may take, ms. */
  timeoutMs: 15_000,
  /** Tries in all, the first included. */
  attempts: 6,
  /** Delay before the first retry, ms. */
  baseDelayMs: 1_000,
  /** Upper bound of one retry delay, ms. */
  maxDelayMs: 300_000,
} as const

/** Every domain event type; a `Record` so that a new type that is not listed here fails to compile. */
const EVENT_TYPES: Readonly<Record<DomainEventType, true>> = {
  sale: true,
  refund: true,
  'payment.failed': true,
  'dispute.created': true,
  'dispute.closed': true,
  'subscription.created': true,
  'subscription.canceled': true,
  'subscription.trial_will_end': true,
  'payout.paid': true,
  'payout.failed': true,
}
const DOMAIN_EVENT_TYPES = Object.keys(EVENT_TYPES)

/** The names the shared notifier suite accepts; `:` is excluded because it separates store keys. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value)
  return Array.isArray(value) ? 'an array' : typeof value
}

function checkKeys(value: object, allowed: readonly string[], what: string): void {
  const unknown = Object.keys(value).filter((key) => !allowed.includes(key))
  if (unknown.length > 0)
    throw new ConfigError(`Unknown ${what} ${unknown.map((key) => `\`${key}\``).join(', ')}.`)
}

/** An options object, or nothing: anything else (null, an array, a string) is refused. */
function object<T extends object>(value: T | undefined, path: string, who: string): T {
  if (value === undefined) return {} as T
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ConfigError(
      `Expected \`${path}\` of notifier "${who}" to be an object, got ${describe(value)}.`,
    )
  return value
}

function integer(value: unknown, min: number, path: string, who: string): number | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min)
    throw new ConfigError(
      `Expected \`${path}\` of notifier "${who}" to be an integer of at least ${min}, got ${describe(value)}.`,
    )
  return value
}

/** Checks a notifier against the contract. @throws {@link ConfigError} */
export function checkNotifier(notifier: Notifier): void {
  if (typeof notifier !== 'object' || notifier === null || typeof notifier.send !== 'function')
    throw new ConfigError(
      `Expected a notifier (an object with \`name\` and \`send\`), got ${describe(notifier)}.`,
    )
  if (typeof notifier.name !== 'string' || !NAME.test(notifier.name))
    throw new ConfigError(
      `Expected the notifier's \`name\` to be letters, digits, \`.\`, \`_\` or \`-\`, got ${describe(notifier.name)}.`,
    )
}

function checkFilter(filter: DeliveryFilter, who: string): void {
  checkKeys(
    filter,
    ['accounts', 'types', 'minAmount', 'mode', 'backfill'],
    `filter option of notifier "${who}":`,
  )
  const { accounts, types, minAmount, mode, backfill } = filter
  if (accounts !== undefined && (!Array.isArray(accounts) || accounts.some((a) => typeof a !== 'string')))
    throw new ConfigError(
      `Expected \`filter.accounts\` of notifier "${who}" to be an array of account ids or refs.`,
    )
  const badType = Array.isArray(types) ? types.find((type) => !Object.hasOwn(EVENT_TYPES, type)) : types
  if (types !== undefined && badType !== undefined)
    throw new ConfigError(
      `Expected \`filter.types\` of notifier "${who}" to hold only ${DOMAIN_EVENT_TYPES.join(', ')}, got ${describe(badType ?? types)}.`,
    )
  for (const [currency, amount] of Object.entries(object(minAmount, 'filter.minAmount', who)))
    integer(amount, 0, `filter.minAmount.${currency}`, who)
  if (mode !== undefined && mode !== 'live' && mode !== 'test' && mode !== 'both')
    throw new ConfigError(
      `Expected \`filter.mode\` of notifier "${who}" to be live, test or both, got ${describe(mode)}.`,
    )
  if (backfill !== undefined && typeof backfill !== 'boolean')
    throw new ConfigError(
      `Expected \`filter.backfill\` of notifier "${who}" to be a boolean, got ${describe(backfill)}.`,
    )
}

/** Validates the options of one notifier and fills in the defaults. @throws {@link ConfigError} naming the option */
export function resolveNotifierOptions(who: string, options: NotifierOptions = {}): ResolvedNotifierOptions {
  checkKeys(
    object(options, 'options', who),
    ['name', 'filter', 'concurrency', 'timeoutMs', 'retry'],
    `option of notifier "${who}":`,
  )
  const retry = object(options.retry, 'retry', who)
  checkKeys(retry, ['attempts', 'baseDelayMs', 'maxDelayMs'], `retry option of notifier "${who}":`)
  const filter = object(options.filter, 'filter', who)
  checkFilter(filter, who)
  return {
    filter: {
      ...filter,
      // Currencies compare lower-case, as Stripe writes them.
      ...(filter.minAmount
        ? {
            minAmount: Object.fromEntries(
              Object.entries(filter.minAmount).map(([c, a]) => [c.toLowerCase(), a]),
            ),
          }
        : {}),
    },
    concurrency: integer(options.concurrency, 1, 'concurrency', who) ?? NOTIFIER_DEFAULTS.concurrency,
    timeoutMs: integer(options.timeoutMs, 1, 'timeoutMs', who) ?? NOTIFIER_DEFAULTS.timeoutMs,
    retry: {
      attempts: integer(retry.attempts, 1, 'retry.attempts', who) ?? NOTIFIER_DEFAULTS.attempts,
      baseDelayMs: integer(retry.baseDelayMs, 1, 'retry.baseDelayMs', who) ?? NOTIFIER_DEFAULTS.baseDelayMs,
      maxDelayMs: integer(retry.maxDelayMs, 1, 'retry.maxDelayMs', who) ?? NOTIFIER_DEFAULTS.maxDelayMs,
    },
  }
}

/** Whether a notifier with this filter gets the event. */
export function matchesFilter(filter: DeliveryFilter, event: DomainEvent): boolean {
  if (event.backfill && filter.backfill !== true) return false
  const mode = filter.mode ?? 'both'
  if (mode !== 'both' && mode !== (event.livemode ? 'live' : 'test')) return false
  if (filter.types && !filter.types.includes(event.type)) return false
  if (filter.accounts) {
    const ref = `${event.account.id}/${event.account.mode}`
    if (!filter.accounts.some((account) => account === event.account.id || account === ref)) return false
  }
  const amount = eventAmount(event)
  if (!amount || !filter.minAmount) return true
  const min = filter.minAmount[amount.currency.toLowerCase()]
  return min === undefined || amount.amount >= min
}
