import {
  ALLOCATION_FLOOR,
  type PermissionCheck,
  type PermissionReport,
  READS_PER_PAYMENT,
  restingPace,
} from '@cashnotify/core'
import { printableText } from '../output.js'
import { countText, durationText } from '../watch/pace-text.js'

const MARKS: Record<PermissionCheck['state'], string> = {
  granted: '✓',
  missing: '✗',
  unknown: '?',
  not_probed: '·',
}

function line(check: PermissionCheck, width: number): string {
  const detail =
    check.state === 'unknown' || check.state === 'not_probed'
      ? `${check.purpose} (${check.state === 'unknown' ? 'could not check' : 'not checked'}: ${check.reason ?? 'no reason'})`
      : check.purpose
  const named = check.stripeNamed ? ` [Stripe asked for ${check.stripeNamed}]` : ''
  return `  ${MARKS[check.state]} ${check.permission.padEnd(width)}  ${detail}${named}`
}

/** What `cashnotify watch` makes of the key, in the words of its verdict. */
const VERDICT: Readonly<Record<PermissionReport['verdict'], (report: PermissionReport) => string>> = {
  active: (report) =>
    report.ok
      ? 'Active: every required permission is granted, `cashnotify watch` watches this key with every feature.'
      : `Active: no required permission is missing, but ${report.unknown.join(', ')} could not be checked (see above); \`cashnotify watch\` watches this key.`,
  degraded: (report) =>
    `Degraded: ${report.missingRequired.join(', ')} missing. \`cashnotify watch\` watches this key without what degrades above (with \`strictPermissions\`, it refuses it).`,
  refused: () =>
    'Refused: without rak_event_read nothing can be watched, `cashnotify watch` refuses this key.',
}

/**
 * What the account may read, and what the default settings spend of it: computed, not read from Stripe
 * (counting the account's payments would spend reads on a check).
 */
function readsLines(): string[] {
  const floor = restingPace()
  const busy = restingPace({ allocation: READS_PER_PAYMENT * 1000 })
  return [
    'Reads',
    `  Stripe allows every account ${countText(ALLOCATION_FLOOR)} reads a month, or ${READS_PER_PAYMENT} per payment of the last 30 days when that is more;`,
    '  the shop’s other integrations read from the same allocation, so CashNotify spends at most half of it.',
    `  • at the floor: polls every ${durationText(floor.interval)} away from activity (about ${countText(floor.pollsPer30d)} of ${countText(floor.share30d)} reads),`,
    '    faster for a minute after a new event while the day’s share has room;',
    `  • with 1,000 payments a month: every ${Math.round(busy.interval / 1000)} s;`,
    '  • with Stripe webhooks (`webhookSecretEnv`): sales within a second, and a poll only every 15 min.',
  ]
}

/** The permission report as a person reads it in a terminal; what Stripe said in it is made printable. */
export function formatReport(report: PermissionReport): string {
  const width = Math.max(...report.checks.map((c) => c.permission.length))
  const kind = report.key.kind === 'secret' ? 'secret key' : 'restricted key'
  const out = [
    `Key ${report.key.redacted} — ${kind}, ${report.key.mode} mode${report.accountId ? `, account ${report.accountId}` : ''}`,
    '',
    'Required permissions',
    ...report.checks.filter((c) => c.required).map((c) => line(c, width)),
    'Optional permissions',
    ...report.checks.filter((c) => !c.required).map((c) => line(c, width)),
    '',
  ]
  if (report.featuresLost.length > 0) {
    out.push('What degrades', ...report.featuresLost.map((f) => `  • ${f.description} (${f.permission})`), '')
  }
  out.push(...readsLines(), '')
  out.push(...report.hints.map((hint) => `Note: ${hint}`))
  out.push(
    VERDICT[report.verdict](report),
    '',
    `Create a restricted key with exactly the required permissions (${report.key.mode} mode):`,
    `  ${report.restrictedKeyUrl}`,
    `  Permissions: ${report.requiredPermissions.join(', ')}`,
  )
  return printableText(out.join('\n'))
}
