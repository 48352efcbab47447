/**
 * A realistic digest for notifier tests and docs: Acme Inc's Tuesday 3 November 2026 in New York, in
 * US dollars and euros, next to the Monday before. Every figure adds up (gross is the sum of the series,
 * net is gross − refunds − disputes − fees, the top products and countries add up to the gross).
 */
import type {
  Digest,
  DigestComparison,
  DigestFigures,
  DigestNotification,
  DigestPeriod,
} from '../digest/types.js'
import { formatAmount } from '../shared/money.js'
import { sampleAccount } from './fixtures.js'

const HOUR_MS = 3_600_000

/** Tuesday 3 November 2026, local midnight to midnight in New York (after the clocks changed on the 1st). */
const PERIOD: DigestPeriod = {
  kind: 'day',
  start: new Date('2026-11-03T05:00:00Z'),
  end: new Date('2026-11-04T05:00:00Z'),
  timeZone: 'America/New_York',
}
const PREVIOUS: DigestPeriod = {
  kind: 'day',
  start: new Date('2026-11-02T05:00:00Z'),
  end: new Date('2026-11-03T05:00:00Z'),
  timeZone: 'America/New_York',
}

/** An hourly series: `amounts[hour]` for the hours given, 0 elsewhere. */
function hours(amounts: Readonly<Record<number, number>>, slots = 24): number[] {
  return Array.from({ length: slots }, (_, hour) => amounts[hour] ?? 0)
}

/**
 * The figures of one currency over a period, zeros unless given; `gross` is the sum of `series` and
 * `net` is worked out, unless given.
 */
export function sampleDigestFigures(currency: string, overrides: Partial<DigestFigures> = {}): DigestFigures {
  const series = overrides.series ?? hours({})
  const gross = overrides.gross ?? series.reduce((sum, amount) => sum + amount, 0)
  const refunds = overrides.refunds ?? 0
  const disputes = overrides.disputes ?? 0
  const fees = overrides.fees ?? 0
  return {
    currency,
    refunds,
    disputes,
    fees,
    feesUnknown: 0,
    sales: 0,
    customers: { total: 0, new: 0, returning: 0 },
    subscriptions: { started: 0, canceled: 0, mrrChange: 0 },
    failedPayments: 0,
    payouts: { count: 0, amount: 0 },
    topProducts: [],
    topCountries: [],
    ...overrides,
    series,
    gross,
    net: overrides.net ?? gross - refunds - disputes - fees,
  }
}

function usd(): DigestComparison {
  const current = sampleDigestFigures('usd', {
    // $1,240.00 from 18 sales.
    series: hours({
      ...{ 8: 4900, 9: 9800, 10: 19_900, 11: 4900, 12: 14_700, 13: 7800, 14: 24_800, 15: 9800 },
      ...{ 16: 4900, 18: 7800, 19: 4900, 20: 9800 },
    }),
    ...{ refunds: 4900, fees: 4136, sales: 18 },
    customers: { total: 15, new: 9, returning: 6 },
    subscriptions: { started: 4, canceled: 1, mrrChange: 14_700 },
    failedPayments: 2,
    payouts: { count: 1, amount: 98_000 },
    topProducts: [
      { name: 'Pro plan', productId: 'prod_Sample01', amount: 68_600, quantity: 14 },
      { name: 'Team plan', productId: 'prod_Sample02', amount: 39_800, quantity: 2 },
      { name: 'Setup call', productId: 'prod_Sample03', amount: 15_600, quantity: 2 },
    ],
    topCountries: [
      { country: 'US', amount: 70_000, sales: 10 },
      { country: 'GB', amount: 29_400, sales: 4 },
      { country: 'DE', amount: 24_600, sales: 4 },
    ],
  })
  return { current, previous: usdPrevious() }
}

function usdPrevious(): DigestFigures {
  // $1,110.00 from 16 sales: the Tuesday is 12% up.
  return sampleDigestFigures('usd', {
    series: hours({
      ...{ 7: 4900, 8: 4900, 9: 9800, 10: 14_700, 11: 19_900, 12: 4900, 13: 9800, 14: 7800 },
      ...{ 15: 4900, 16: 9800, 17: 4900, 18: 9800, 20: 4900 },
    }),
    ...{ disputes: 4900, fees: 3699, sales: 16, failedPayments: 1 },
    customers: { total: 14, new: 10, returning: 4 },
    subscriptions: { started: 2, canceled: 0, mrrChange: 9800 },
    topProducts: [
      { name: 'Pro plan', productId: 'prod_Sample01', amount: 58_800, quantity: 12 },
      { name: 'Team plan', productId: 'prod_Sample02', amount: 39_800, quantity: 2 },
      { name: 'Setup call', productId: 'prod_Sample03', amount: 12_400, quantity: 2 },
    ],
    topCountries: [
      { country: 'US', amount: 80_000, sales: 11 },
      { country: 'GB', amount: 31_000, sales: 5 },
    ],
  })
}

function eur(): DigestComparison {
  return {
    current: sampleDigestFigures('eur', {
      series: hours({ 10: 4900, 15: 4900 }),
      ...{ fees: 320, sales: 2 },
      customers: { total: 2, new: 1, returning: 1 },
      topProducts: [{ name: 'Pro plan', productId: 'prod_Sample01', amount: 9800, quantity: 2 }],
      topCountries: [
        { country: 'FR', amount: 4900, sales: 1 },
        { country: 'DE', amount: 4900, sales: 1 },
      ],
    }),
    previous: sampleDigestFigures('eur', {
      series: hours({ 11: 4900 }),
      ...{ fees: 160, sales: 1 },
      customers: { total: 1, new: 1, returning: 0 },
      topProducts: [{ name: 'Pro plan', productId: 'prod_Sample01', amount: 4900, quantity: 1 }],
      topCountries: [{ country: 'FR', amount: 4900, sales: 1 }],
    }),
  }
}

/**
 * A daily digest of the sample account (`Acme Inc`, test mode): Tuesday 3 November 2026 in New York,
 * $1,240.00 from 18 sales (12% more than Monday's $1,110.00) and €98.00 from 2, with no `total` (no
 * conversion function). Override anything, e.g. `{ currencies: [], empty: true }`.
 */
export function sampleDigest(overrides: Partial<Digest> = {}): Digest {
  const account = sampleAccount()
  return {
    id: `digest:daily:${account.id}/${account.mode}:${PERIOD.start.toISOString()}`,
    schedule: 'daily',
    scope: 'account',
    account,
    accounts: [account],
    livemode: false,
    period: PERIOD,
    previousPeriod: PREVIOUS,
    currencies: [usd(), eur()],
    empty: false,
    createdAt: new Date(PERIOD.end.getTime() + 9 * HOUR_MS),
    ...overrides,
  }
}

/**
 * The notification delivery would make of a digest (by default {@link sampleDigest}), with a title and
 * body written the way core's are (`Acme Inc · Tuesday, Nov 3: $1,240.00 from 18 sales`); override anything.
 */
export function sampleDigestNotification(
  digest: Digest = sampleDigest(),
  overrides: Partial<DigestNotification> = {},
): DigestNotification {
  const who = digest.account?.name ?? `${digest.accounts.length} accounts`
  const day = new Intl.DateTimeFormat('en-US', {
    weekday: 'long',
    month: 'short',
    day: 'numeric',
    timeZone: digest.period.timeZone,
  }).format(digest.period.start)
  const [first, ...others] = digest.currencies
  const sold = (f: DigestFigures): string => `${formatAmount(f.gross, f.currency)} from ${f.sales} sales`
  const title =
    digest.empty || !first ? `${who} · ${day}: no sales` : `${who} · ${day}: ${sold(first.current)}`
  const lines = first
    ? [
        `Net ${formatAmount(first.current.net, first.current.currency)} · refunds ${formatAmount(first.current.refunds, first.current.currency)} · ${first.current.customers.new} new customers`,
        `${change(first.current.gross, first.previous.gross)} on the day before (${formatAmount(first.previous.gross, first.previous.currency)})`,
        ...others.map(({ current }) => `Also ${sold(current)}`),
      ]
    : ['Nothing happened this day.']
  return { id: digest.id, title, body: lines.join('\n'), digest, ...overrides }
}

/** `+12%`, `−5%`, or `new` when there was nothing before. */
function change(current: number, previous: number): string {
  if (previous === 0) return current === 0 ? 'Same' : 'New'
  const percent = Math.round(((current - previous) / previous) * 100)
  return percent >= 0 ? `+${percent}%` : `−${-percent}%`
}
