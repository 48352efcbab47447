/**
 * Money as Stripe counts it: integers in the currency's smallest unit. Zero-decimal currencies (JPY:
 * `4900` is ¥4,900) and three-decimal ones (KWD: `4500` is 4.500 KWD, and Stripe wants those amounts
 * in multiples of 10) are listed after Stripe's currency documentation.
 */
const ZERO_DECIMAL = new Set('bif clp djf gnf jpy kmf krw mga pyg rwf ugx vnd vuv xaf xof xpf'.split(' '))
const THREE_DECIMAL = new Set(['bhd', 'jod', 'kwd', 'omr', 'tnd'])

/** Digits after the decimal point of a currency's amounts. */
export function decimalsOf(currency: string): 0 | 2 | 3 {
  const code = currency.toLowerCase()
  if (ZERO_DECIMAL.has(code)) return 0
  return THREE_DECIMAL.has(code) ? 3 : 2
}

/** Checks an amount in the smallest unit: a positive integer, a multiple of 10 in three-decimal currencies. */
export function checkAmount(amount: number, currency: string, name: string): void {
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    throw new TypeError(
      `[stripe-simulator] Expected \`${name}\` as a positive integer in the smallest unit of ${currency.toUpperCase()}, got ${amount}.`,
    )
  }
  if (decimalsOf(currency) === 3 && amount % 10 !== 0) {
    throw new TypeError(
      `[stripe-simulator] Expected \`${name}\` in ${currency.toUpperCase()} to be a multiple of 10 (Stripe ` +
        `rounds three-decimal amounts to 0.010), got ${amount}.`,
    )
  }
}

/** An amount as Stripe writes it in descriptions: `$49.00`, `¥4,900`, `KWD 4.500`. */
export function formatMoney(amount: number, currency: string): string {
  const decimals = decimalsOf(currency)
  return new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: currency.toUpperCase(),
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  }).format(amount / 10 ** decimals)
}

/** A processing fee rule: `percent` of the amount plus `fixed` (smallest unit). */
interface FeeRule {
  readonly percent: number
  readonly fixed: number
}

/**
 * Stripe's standard pricing for domestic cards, by the currency charged (as if the account were in
 * that currency's home market). Other currencies: 2.9% plus 30 of the smallest unit (0 for zero-decimal
 * currencies, 100 for three-decimal ones).
 */
const CARD_FEES: Readonly<Record<string, FeeRule>> = {
  usd: { percent: 2.9, fixed: 30 }, // US: 2.9% + 30¢
  cad: { percent: 2.9, fixed: 30 }, // Canada: 2.9% + C$0.30
  aud: { percent: 1.7, fixed: 30 }, // Australia: 1.7% + A$0.30 (domestic cards)
  eur: { percent: 1.5, fixed: 25 }, // EEA: 1.5% + €0.25 (standard EEA cards)
  gbp: { percent: 1.5, fixed: 20 }, // UK: 1.5% + 20p (standard UK cards)
  chf: { percent: 2.9, fixed: 30 }, // Switzerland: 2.9% + CHF 0.30
  jpy: { percent: 3.6, fixed: 0 }, // Japan: 3.6%
}

/** Stripe's processing fee for a card charge, rounded like the amount (multiples of 10 in KWD...). */
export function cardFee(amount: number, currency: string): number {
  const decimals = decimalsOf(currency)
  const rule = CARD_FEES[currency.toLowerCase()] ?? {
    percent: 2.9,
    fixed: decimals === 0 ? 0 : decimals === 3 ? 100 : 30,
  }
  const fee = Math.round((amount * rule.percent) / 100) + rule.fixed
  return decimals === 3 ? Math.round(fee / 10) * 10 : fee
}

/**
 * Stripe's dispute fee, taken when a dispute opens: $15 in the US (C$15, A$25, €20, £20, CHF 20,
 * ¥1,500...); otherwise 15 of the currency's major unit.
 */
export function disputeFee(currency: string): number {
  const fees: Readonly<Record<string, number>> = {
    usd: 1500,
    cad: 1500,
    aud: 2500,
    eur: 2000,
    gbp: 2000,
    chf: 2000,
    jpy: 1500,
  }
  return fees[currency.toLowerCase()] ?? 15 * 10 ** decimalsOf(currency)
}
