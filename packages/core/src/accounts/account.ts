import type { KeyMode } from '../stripe/credential.js'
import type { KeyKind } from './keys.js'
import type { AccountLogo } from './logo.js'
import type { LostFeature, PermissionReport } from './permission-report.js'

/**
 * How an account is doing: `active` (everything works), `degraded` (a required permission is missing,
 * some fields are lost), `invalid_key` (Stripe refuses the key), `permission_lost` (it may no longer
 * read events), `rate_limited`, `stripe_unavailable`, `read_allocation` (at its pace it would read
 * more than its share of Stripe's read allocation: a warning, polls slow down), or `webhooks_missing`
 * (polls found events its Stripe webhooks did not bring: a warning, polls keep their pace).
 */
export type AccountStatus =
  | 'active'
  | 'degraded'
  | 'invalid_key'
  | 'permission_lost'
  | 'rate_limited'
  | 'stripe_unavailable'
  | 'read_allocation'
  | 'webhooks_missing'

/** A watched Stripe account, as a snapshot: methods of `CashNotify` return a new one after a change. */
export interface Account {
  /** This instance's handle of the account, `${id}/${mode}`: one Stripe account can be watched live and test. */
  readonly ref: string
  /** The Stripe account id, `acct_…`. */
  readonly id: string
  /** `live` or `test`, from the key. */
  readonly mode: KeyMode
  /** The kind of key, and the key redacted (`rk_live_…abcd`). Never the key itself. */
  readonly key: { readonly kind: KeyKind; readonly redacted: string }
  /** The name to show. */
  readonly name: string
  /** Where the name came from. */
  readonly nameSource: 'stripe' | 'custom' | 'generic'
  /** The logo to show. */
  readonly logo: AccountLogo
  /** What the key may do. */
  readonly permissions: PermissionReport
  /** How the account is doing. */
  readonly status: AccountStatus
  /** What degrades for want of a permission. */
  readonly featuresLost: readonly LostFeature[]
  /** The signing secrets of its webhook endpoint, redacted (`whsec_…abcd`), when it takes webhooks. */
  readonly webhookSecrets?: readonly string[]
}

/** The status an account starts with, from its permission report. */
export function statusFromReport(report: PermissionReport): AccountStatus {
  return report.verdict === 'active' ? 'active' : 'degraded'
}
