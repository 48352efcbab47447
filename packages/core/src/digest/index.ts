/**
 * Between stages 4 and 5, digest: the day records kept as events pass, the schedules, and the digests built from
 * them. Imports from shared/, stripe/, accounts/, polling/ and enrich/ only; sending is the instance's.
 */
export { DigestAggregates, type DigestAggregatesOptions, KEEP_DAYS } from './aggregates.js'
export { monthlyAmount } from './apply.js'
export { buildDigest, type DigestAccount, type DigestRequest, digestId } from './build.js'
export { hourSlot, hoursIn } from './hour-slots.js'
export {
  currentPeriod,
  type DigestSchedule,
  type DigestScope,
  latestSendDay,
  nextSendTime,
  periodOfSend,
  type ResolvedSchedule,
  type ScheduledPeriod,
  sendTime,
  WEEKDAYS,
  type Weekday,
} from './schedule.js'
export { type DigestTextOptions, digestNotification, digestText, periodLabel } from './text.js'
export type { ConvertAmount, DigestTotalOptions } from './total.js'
export type {
  Digest,
  DigestComparison,
  DigestCountry,
  DigestFigures,
  DigestNotification,
  DigestPeriod,
  DigestPeriodKind,
  DigestProduct,
} from './types.js'
