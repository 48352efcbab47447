import type { KeyMode } from '../stripe/credential.js'
import type { ApiKey, KeyKind } from './keys.js'
import {
  type Feature,
  PERMISSIONS,
  type PermissionName,
  REQUIRED_PERMISSIONS,
  restrictedKeyUrl,
} from './permissions.js'

/**
 * What a probe learnt of one permission: `granted` (the read succeeded), `missing` (403), `unknown`
 * (anything else; see `reason`) or `not_probed` (it cannot be probed without a side effect).
 */
export type PermissionState = 'granted' | 'missing' | 'unknown' | 'not_probed'

/** One permission of a {@link PermissionReport}. */
export interface PermissionCheck {
  /** The permission. */
  readonly permission: PermissionName
  /** What is known of it. */
  readonly state: PermissionState
  /** Whether it belongs to the minimum set. */
  readonly required: boolean
  /** Why CashNotify needs it. */
  readonly purpose: string
  /** Why it is `unknown` or `not_probed`. */
  readonly reason?: string
  /** The permission Stripe named in its 403, when it named another one than expected. */
  readonly stripeNamed?: string
}

/** A feature lost for want of a permission. */
export interface LostFeature {
  /** The feature. */
  readonly feature: Feature
  /** The permission that would bring it back. */
  readonly permission: PermissionName
  /** What the user loses, in words. */
  readonly description: string
}

/** Everything `checkKey` learnt of a key: what it may do, what degrades, and how to make a better key. */
export interface PermissionReport {
  /** The key, redacted. */
  readonly key: { readonly kind: KeyKind; readonly mode: KeyMode; readonly redacted: string }
  /** The Stripe account the key belongs to, when Stripe named it. */
  readonly accountId: string | undefined
  /** Every permission CashNotify knows, required first. */
  readonly checks: readonly PermissionCheck[]
  /** Permissions proven granted. */
  readonly granted: readonly PermissionName[]
  /** Required permissions proven missing. */
  readonly missingRequired: readonly PermissionName[]
  /** Optional permissions proven missing. */
  readonly missingOptional: readonly PermissionName[]
  /** Permissions whose probe failed for another reason than 403. */
  readonly unknown: readonly PermissionName[]
  /** What degrades, one entry per missing permission. */
  readonly featuresLost: readonly LostFeature[]
  /** Advice for a person, e.g. to prefer a restricted key. */
  readonly hints: readonly string[]
  /** Dashboard link that creates a restricted key with exactly the required permissions. */
  readonly restrictedKeyUrl: string
  /** The same link with the optional permissions too: everything CashNotify can use. */
  readonly restrictedKeyUrlWithOptional: string
  /** The permissions the link asks for: always show them beside it, the link is undocumented. */
  readonly requiredPermissions: readonly PermissionName[]
  /** True when every required permission is granted. */
  readonly ok: boolean
  /**
   * What `addAccount` makes of this key: `refused` without `rak_event_read` (nothing could be watched),
   * `degraded` when another required permission is missing (see `featuresLost`), else `active`.
   * (`strictPermissions` also refuses `degraded`.)
   */
  readonly verdict: 'active' | 'degraded' | 'refused'
}

/** Builds a {@link PermissionReport} from the checks; every derived list comes from `checks` alone. */
export function buildReport(
  key: ApiKey,
  accountId: string | undefined,
  checks: PermissionCheck[],
): PermissionReport {
  const byState = (state: PermissionState, required?: boolean): PermissionName[] =>
    checks
      .filter((check) => check.state === state && (required === undefined || check.required === required))
      .map((check) => check.permission)
  const missingRequired = byState('missing', true)
  const missing = byState('missing')
  const hints: string[] = []
  if (key.kind === 'secret') {
    hints.push(
      'This is a secret key with full access to the account. A restricted key with read-only permissions is safer: create one with the link below.',
    )
  }
  if (missingRequired.includes('rak_event_read')) {
    hints.push('Without rak_event_read nothing can be watched: create a key with the link below.')
  }
  if (checks.some((check) => check.permission === 'rak_file_write' && check.state === 'not_probed')) {
    hints.push(
      'rak_file_write (account logo) cannot be checked without creating a file link; it is learnt when the logo is imported.',
    )
  }
  return {
    key: key.toJSON(),
    accountId,
    checks,
    granted: byState('granted'),
    missingRequired,
    missingOptional: byState('missing', false),
    unknown: byState('unknown'),
    featuresLost: missing.map((permission) => ({
      permission,
      feature: PERMISSIONS[permission].feature,
      description: PERMISSIONS[permission].withoutIt,
    })),
    hints,
    restrictedKeyUrl: restrictedKeyUrl({ mode: key.mode }),
    restrictedKeyUrlWithOptional: restrictedKeyUrl({ mode: key.mode, includeOptional: true }),
    requiredPermissions: REQUIRED_PERMISSIONS,
    ok: missingRequired.length === 0 && REQUIRED_PERMISSIONS.every((p) => byState('granted').includes(p)),
    verdict: missingRequired.includes('rak_event_read')
      ? 'refused'
      : missingRequired.length > 0
        ? 'degraded'
        : 'active',
  }
}

/** A check with the catalogue's facts filled in. */
export function check(
  permission: PermissionName,
  state: PermissionState,
  extra: { reason?: string; stripeNamed?: string } = {},
): PermissionCheck {
  const { required, purpose } = PERMISSIONS[permission]
  return { permission, state, required, purpose, ...extra }
}

/** A report with one permission's state replaced, e.g. when a logo import learns `rak_file_write`. */
export function withCheck(
  report: PermissionReport,
  key: ApiKey,
  replacement: PermissionCheck,
): PermissionReport {
  const checks = report.checks.map((c) => (c.permission === replacement.permission ? replacement : c))
  return buildReport(key, report.accountId, checks)
}
