/** The schemas of the `digests` and `digestTotal` options, and the schedules they resolve to. */
import { z } from 'zod'
import { type ResolvedSchedule, WEEKDAYS } from '../digest/schedule.js'
import type { ConvertAmount } from '../digest/total.js'
import { isTimeZone, systemTimeZone } from '../shared/zone-clock.js'

/** `HH:MM`, 24-hour. */
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/

/** A string matching a pattern; the message says what it should be (zod's own would say "a valid regex"). */
const matching = (pattern: RegExp, message: string) =>
  z.string().refine((value) => pattern.test(value), { message })

const scheduleSchema = z.strictObject({
  name: matching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'letters, digits, `_` or `-` (up to 64)'),
  every: z.enum(['day', 'week']),
  at: matching(TIME, 'a local time `HH:MM` (24-hour), such as `09:00`').default('09:00'),
  day: z.enum(WEEKDAYS).exactOptional(),
  timeZone: z
    .string()
    .refine(isTimeZone, { message: 'an IANA time zone such as `Europe/Paris`' })
    .exactOptional(),
  scope: z.enum(['account', 'all', 'both']).default('account'),
})

/** The `digests` option: schedules with unique names; `day` only on weekly ones. */
export const digestsSchema = z
  .array(scheduleSchema)
  .readonly()
  .superRefine((schedules, ctx) => {
    const seen = new Set<string>()
    schedules.forEach((schedule, i) => {
      if (seen.has(schedule.name))
        ctx.addIssue({
          code: 'custom',
          path: [i, 'name'],
          message: 'a name no other digest has',
          input: schedule.name,
        })
      seen.add(schedule.name)
      if (schedule.every === 'day' && schedule.day !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: [i, 'day'],
          message: "absent on a daily digest (`day` is for `every: 'week'`)",
          input: schedule.day,
        })
    })
  })
  .default([])

/** The `digestTotal` option. */
export const digestTotalSchema = z.strictObject({
  currency: matching(/^[A-Za-z]{3}$/, 'a three-letter ISO 4217 code such as `eur`').transform((code) =>
    code.toLowerCase(),
  ),
  convert: z.custom<ConvertAmount>((v) => typeof v === 'function', { message: 'a function' }),
})

/** The schedules with their defaults: the instance's zone, else the system's; weekly on Mondays. */
export function resolveSchedules(
  schedules: z.output<typeof digestsSchema>,
  timeZone: string | undefined,
): ResolvedSchedule[] {
  const zone = timeZone ?? systemTimeZone()
  return schedules.map((schedule) => {
    const [hour = 9, minute = 0] = schedule.at.split(':').map(Number)
    return {
      name: schedule.name,
      every: schedule.every,
      hour,
      minute,
      weekday: WEEKDAYS.indexOf(schedule.day ?? 'monday'),
      timeZone: schedule.timeZone ?? zone,
      scope: schedule.scope,
    }
  })
}
