/**
 * The rules as options: one schema for the top-level `rules` and a notifier's own, checked when given
 * (a typo fails at start-up, not at 22:00), and the rules a notifier ends up with once merged.
 */
import { z } from 'zod'
import { parseOptions } from '../shared/validation.js'
import { isTimeZone, systemTimeZone, ZoneClock } from '../shared/zone-clock.js'
import { inWindow, minutesOf } from './time-of-day.js'
import type { NotificationRules } from './types.js'

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/
const time = z
  .string()
  .refine((value) => HHMM.test(value), { message: 'a time of day `HH:MM` such as `22:00`' })
const zone = z.string().refine(isTimeZone, { message: 'an IANA time zone such as `Europe/Paris`' })
const currency = z
  .string()
  .refine((value) => /^[A-Za-z]{3}$/.test(value), { message: 'a currency code such as `usd`' })
/** Currencies compare lower-case, as Stripe writes them. */
const lower = <T>(record: Record<string, T>): Record<string, T> =>
  Object.fromEntries(Object.entries(record).map(([code, value]) => [code.toLowerCase(), value]))

const quietHours = z
  .strictObject({ from: time, to: time, timeZone: zone.exactOptional() })
  .superRefine((quiet, ctx) => {
    if (quiet.from === quiet.to)
      ctx.addIssue({ code: 'custom', path: ['to'], input: quiet.to, message: 'a time other than `from`' })
  })

const largeSale = z.strictObject({
  minAmount: z.record(currency, z.number().int().min(1)).transform(lower),
  bypassQuietHours: z.boolean().exactOptional(),
})

const milestones = z
  .record(currency, z.array(z.number().int().min(1)).min(1).readonly())
  .transform((byCurrency) =>
    lower(
      Object.fromEntries(
        Object.entries(byCurrency).map(([c, list]) => [c, [...new Set(list)].sort((a, b) => a - b)]),
      ),
    ),
  )

/** The schema of {@link NotificationRules}. */
export const rulesSchema = z.strictObject({
  quietHours: z.union([quietHours, z.literal(false)]).exactOptional(),
  largeSale: z.union([largeSale, z.literal(false)]).exactOptional(),
  firstSaleOfDay: z.boolean().exactOptional(),
  milestones: z.union([milestones, z.literal(false)]).exactOptional(),
  groupWithinSeconds: z.number().int().min(0).max(3_600).exactOptional(),
  timeZone: zone.exactOptional(),
})

/** Rules as checked: currencies lower-case, milestones sorted. */
export type CheckedRules = z.output<typeof rulesSchema>

/** Quiet hours as the engine reads them. */
export interface ActiveQuietHours {
  readonly from: number
  readonly to: number
  readonly clock: ZoneClock
}

/** The rules one notifier works with; `undefined` fields are off. */
export interface ActiveRules {
  readonly quiet?: ActiveQuietHours
  readonly largeSale?: {
    readonly minAmount: Readonly<Record<string, number>>
    readonly bypassQuietHours: boolean
  }
  readonly firstSaleOfDay: boolean
  readonly milestones?: Readonly<Record<string, readonly number[]>>
  /** 0 when sales are not grouped. */
  readonly groupMs: number
  /** The clock of the local day. */
  readonly day: ZoneClock
}

/**
 * Checks a notifier's own rules (`false`: none of the defaults either).
 * @throws {@link ConfigError} naming the notifier and the rule, e.g. ``[slack] Expected `rules.quietHours.from` …``
 */
export function checkRules(
  who: string,
  rules: NotificationRules | false | undefined,
): CheckedRules | false | undefined {
  if (rules === undefined || rules === false) return rules
  const schema = z.strictObject({ rules: rulesSchema })
  return parseOptions(schema, { rules }, { name: who }).rules
}

/** A notifier's rules over the defaults, rule by rule; `undefined` when none is on. */
export function activeRules(
  defaults: CheckedRules | undefined,
  own: CheckedRules | false | undefined,
  instanceZone: string | undefined,
): ActiveRules | undefined {
  const rules: CheckedRules = own === false ? {} : { ...defaults, ...own }
  const timeZone = rules.timeZone ?? instanceZone ?? systemTimeZone()
  const day = new ZoneClock(timeZone)
  const active: ActiveRules = {
    ...(rules.quietHours
      ? {
          quiet: {
            from: minutesOf(rules.quietHours.from),
            to: minutesOf(rules.quietHours.to),
            clock: rules.quietHours.timeZone ? new ZoneClock(rules.quietHours.timeZone) : day,
          },
        }
      : {}),
    ...(rules.largeSale
      ? {
          largeSale: {
            minAmount: rules.largeSale.minAmount,
            bypassQuietHours: rules.largeSale.bypassQuietHours ?? false,
          },
        }
      : {}),
    firstSaleOfDay: rules.firstSaleOfDay ?? false,
    ...(rules.milestones ? { milestones: rules.milestones } : {}),
    groupMs: (rules.groupWithinSeconds ?? 0) * 1000,
    day,
  }
  const on =
    active.quiet || active.largeSale || active.firstSaleOfDay || active.milestones || active.groupMs > 0
  return on ? active : undefined
}

/** When the quiet time that `instant` falls in ends, or `undefined` when it is not quiet then. */
export function quietUntil(quiet: ActiveQuietHours, instant: number): number | undefined {
  if (!inWindow(quiet.clock.minuteOfDay(instant), quiet.from, quiet.to)) return undefined
  return quiet.clock.next(instant, quiet.to)
}
