/** A digest, from the day records of its accounts: each currency's figures beside the previous period's. */
import type { EventAccount } from '../enrich/domain-events.js'
import type { ZoneClock } from '../shared/zone-clock.js'
import type { DigestAggregates } from './aggregates.js'
import type { DayRecord } from './day-record.js'
import { customersAcross, hasActivity, periodFigures, zeroFigures } from './figures.js'
import { hoursIn } from './hour-slots.js'
import type { ScheduledPeriod } from './schedule.js'
import { type DigestTotalOptions, totalFigures } from './total.js'
import type { Digest, DigestComparison, DigestFigures } from './types.js'

/** An account a digest covers: its ref (`acct_…/live`) and how events show it. */
export interface DigestAccount {
  readonly ref: string
  readonly account: EventAccount
}

/** What one digest is made of. */
export interface DigestRequest {
  /** The schedule's name. */
  readonly schedule: string
  readonly scope: 'account' | 'all'
  /** One account, or every account of one mode. */
  readonly accounts: readonly DigestAccount[]
  readonly calendar: ZoneClock
  readonly span: ScheduledPeriod
  /** When the digest is made, ms since epoch. */
  readonly now: number
}

/** A digest's stable id: `digest:<schedule>:<acct_…/mode or all/mode>:<period start ISO>`. */
export function digestId(request: Pick<DigestRequest, 'schedule' | 'scope' | 'accounts' | 'span'>): string {
  const first = request.accounts[0]?.account
  const mode = first?.mode ?? 'test'
  const who = request.scope === 'all' ? `all/${mode}` : `${first?.id ?? 'none'}/${mode}`
  return `digest:${request.schedule}:${who}:${request.span.period.start.toISOString()}`
}

function slotsOf(request: DigestRequest, days: readonly string[]): number {
  return request.span.period.kind === 'week' ? 7 : hoursIn(request.calendar, days[0] ?? request.span.sendDay)
}

function compare(
  current: ReadonlyMap<string, DigestFigures>,
  previous: ReadonlyMap<string, DigestFigures>,
  slots: readonly [number, number],
): DigestComparison[] {
  const codes = [...new Set([...current.keys(), ...previous.keys()])]
  return codes
    .map((code) => ({
      current: current.get(code) ?? zeroFigures(code, slots[0]),
      previous: previous.get(code) ?? zeroFigures(code, slots[1]),
    }))
    .filter(({ current: c, previous: p }) => hasActivity(c) || hasActivity(p))
    .sort(
      (a, b) =>
        b.current.gross - a.current.gross ||
        b.previous.gross - a.previous.gross ||
        a.current.currency.localeCompare(b.current.currency),
    )
}

async function total(
  options: DigestTotalOptions,
  currencies: readonly DigestComparison[],
  days: readonly [readonly (readonly DayRecord[])[], readonly (readonly DayRecord[])[]],
  slots: readonly [number, number],
  ends: readonly [Date, Date],
): Promise<DigestComparison> {
  const [current, previous] = await Promise.all([
    totalFigures(
      options,
      currencies.map((c) => c.current),
      customersAcross(days[0]),
      slots[0],
      ends[0],
    ),
    totalFigures(
      options,
      currencies.map((c) => c.previous),
      customersAcross(days[1]),
      slots[1],
      ends[1],
    ),
  ])
  return { current, previous }
}

/**
 * Builds a digest from the aggregates. With `totals`, every currency is also converted into one (a
 * conversion that fails leaves the total out and is reported through `fail`; the digest still goes).
 */
export async function buildDigest(
  aggregates: DigestAggregates,
  request: DigestRequest,
  totals?: { readonly options: DigestTotalOptions; readonly fail: (error: unknown) => void },
): Promise<Digest> {
  const { span, calendar } = request
  const read = (days: readonly string[]): Promise<DayRecord[][]> =>
    Promise.all(request.accounts.map(({ ref }) => aggregates.days(ref, calendar.timeZone, days)))
  const [now, before] = await Promise.all([read(span.days), read(span.previousDays)])
  const slots = [slotsOf(request, span.days), slotsOf(request, span.previousDays)] as const
  const currencies = compare(
    periodFigures(span.period.kind, now, slots[0]),
    periodFigures(span.previous.kind, before, slots[1]),
    slots,
  )
  let converted: DigestComparison | undefined
  if (totals) {
    try {
      converted = await total(totals.options, currencies, [now, before], slots, [
        span.period.end,
        span.previous.end,
      ])
    } catch (error) {
      totals.fail(error)
    }
  }
  const accounts = request.accounts.map(({ account }) => account)
  const [single] = accounts
  return {
    id: digestId(request),
    schedule: request.schedule,
    scope: request.scope,
    ...(request.scope === 'account' && single ? { account: single } : {}),
    accounts,
    livemode: single?.mode === 'live',
    period: span.period,
    previousPeriod: span.previous,
    currencies,
    ...(converted ? { total: converted } : {}),
    empty: !currencies.some(({ current }) => hasActivity(current)),
    createdAt: new Date(request.now),
  }
}
