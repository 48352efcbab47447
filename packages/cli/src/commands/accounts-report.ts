import { printableText } from '../output.js'
import { countText, durationText } from '../watch/pace-text.js'
import type { AccountStatusLine } from './accounts.js'

const MARK = { active: '✓', degraded: '⚠', refused: '✗', invalid: '✗', unreachable: '?' } as const

/** `Reads: 1,234 in 30 days, of 10,000 a month (CashNotify may use 50%); polls every 10 min.` */
function readsText(reads: NonNullable<AccountStatusLine['reads']>): string {
  return `Reads: ${countText(reads.used30d)} in 30 days, ${countText(reads.projected30d)} projected, of ${countText(reads.allocation)} a month (CashNotify may use ${Math.round(reads.share * 100)}%); polls every ${durationText(reads.interval)} away from activity.`
}

/** The statuses as a person reads them; names and reasons come from elsewhere, so every line is printable. */
export function formatStatuses(lines: readonly AccountStatusLine[], source: string): string {
  const title = (line: AccountStatusLine): string => line.name ?? line.accountId ?? line.label
  const width = Math.max(...lines.map((line) => title(line).length))
  const indent = ' '.repeat(14)
  const out = [`Accounts of ${source}`, '']
  for (const line of lines) {
    const origin = title(line) === line.label ? line.keySource : `${line.label}, ${line.keySource}`
    const where = [
      title(line) === line.accountId ? undefined : line.accountId,
      line.mode,
      line.key,
      `(${origin})`,
    ]
    out.push(
      `${MARK[line.status]} ${line.status.padEnd(11)} ${title(line).padEnd(width)}  ${where.filter(Boolean).join('  ')}`,
    )
    if (line.reason) out.push(`${indent}${line.reason}`)
    if (line.reads) out.push(`${indent}${readsText(line.reads)}`)
    if (line.holder !== undefined)
      out.push(`${indent}${line.holder === null ? 'Polled by no process now.' : `Polled by ${line.holder}.`}`)
    for (const lost of line.featuresLost) out.push(`${indent}• ${lost.description} (${lost.permission})`)
    if (line.restrictedKeyUrl)
      out.push(`${indent}Create a key with the required permissions: ${line.restrictedKeyUrl}`)
  }
  const count = (status: AccountStatusLine['status']): number =>
    lines.filter((line) => line.status === status).length
  const watchable = count('active') + count('degraded')
  out.push(
    '',
    `${watchable} of ${lines.length} account${lines.length === 1 ? '' : 's'} can be watched${count('degraded') ? ` (${count('degraded')} degraded)` : ''}.`,
  )
  return printableText(out.join('\n'))
}
