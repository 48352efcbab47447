/** An account's pace of polls and its reads, in words for a log line or a report. */
import type { ReadUsage } from '@cashnotify/core'

/** `10,000`: counts of reads, as the daemon's lines show them. */
export const countText = (n: number): string => n.toLocaleString('en-US')

/** `polls every 9 min, about 4,800 of its 10,000 reads a month (CashNotify may use 50%)`. */
export function paceText(usage: ReadUsage): string {
  return `polls every ${durationText(usage.interval)}, about ${countText(usage.projected30d)} of its ${countText(usage.allocation)} reads a month (CashNotify may use ${Math.round(usage.share * 100)}%; ${countText(usage.used30d)} used in 30 days)`
}

/** `5 s`, `9 min`, `1.5 h`. */
export function durationText(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`
  return `${Math.round(ms / 360_000) / 10} h`
}
