import type { PermissionCheck, PermissionReport } from '@cashnotify/core'

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

/** The permission report as a person reads it in a terminal. */
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
  out.push(...report.hints.map((hint) => `Note: ${hint}`))
  out.push(
    report.ok ? 'All required permissions are granted.' : 'Some required permissions are missing.',
    '',
    `Create a restricted key with exactly the required permissions (${report.key.mode} mode):`,
    `  ${report.restrictedKeyUrl}`,
    `  Permissions: ${report.requiredPermissions.join(', ')}`,
  )
  return out.join('\n')
}
