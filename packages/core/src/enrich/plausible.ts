/**
 * The last check before a domain event leaves enrichment: its amounts and dates must be ones Stripe can
 * produce. Stripe is the source, but a proxy, a bug or a hand-made event can say anything, and one
 * impossible value must neither reach a person as a "$10,000,000,000,000 sale" nor stop the account
 * (an invalid `Date` makes every later serialisation throw).
 */
import type { Money } from '../shared/money.js'
import type { DomainEvent } from './domain-events.js'

/** No Stripe currency allows more than 12 digits in its minor unit (IDR's limit, the largest). */
const MAX_AMOUNT = 999_999_999_999

/** The ISO 4217 codes this runtime knows, lower-case as Stripe writes them. */
function knownCurrencies(): ReadonlySet<string> {
  return new Set(Intl.supportedValuesOf('currency').map((code) => code.toLowerCase()))
}

function moneyProblem(money: Money, path: string, currencies: ReadonlySet<string>): string | undefined {
  if (!Number.isSafeInteger(money.amount) || Math.abs(money.amount) > MAX_AMOUNT)
    return `\`${path}\` is ${money.amount} ${money.currency}, more than Stripe allows`
  if (!currencies.has(money.currency)) return `\`${path}\` is in an unknown currency "${money.currency}"`
  return undefined
}

/** Every `Money` and `Date` inside an event (the raw Stripe events aside), with its path. */
function* values(value: unknown, path: string): Generator<[string, Money | Date]> {
  if (value instanceof Date) yield [path, value]
  else if (Array.isArray(value)) for (const [i, item] of value.entries()) yield* values(item, `${path}[${i}]`)
  else if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>
    if (typeof record.amount === 'number' && typeof record.currency === 'string' && 'formatted' in record) {
      yield [path, record as unknown as Money]
      return
    }
    for (const [key, item] of Object.entries(record)) {
      if (key === 'stripeEvents' || key === 'account') continue
      yield* values(item, path ? `${path}.${key}` : key)
    }
  }
}

/**
 * Why an event cannot be notified (an amount beyond Stripe's limits, an unknown currency, a date that
 * is no date), or `undefined` when it can.
 */
export function implausibility(event: DomainEvent, currencies = knownCurrencies()): string | undefined {
  for (const [path, value] of values(event, '')) {
    const problem =
      value instanceof Date
        ? Number.isNaN(value.getTime())
          ? `\`${path}\` is no valid date`
          : undefined
        : moneyProblem(value, path, currencies)
    if (problem) return problem
  }
  return undefined
}

/** The known currencies, built once per instance (building the list costs more than checking an event). */
export { knownCurrencies }
