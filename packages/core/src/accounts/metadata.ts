import type Stripe from 'stripe'
import { CashNotifyError, InvalidKeyError, MissingPermissionError } from '../shared/errors.js'
import type { StripeGateway } from '../stripe/client.js'
import type { KeyMode } from '../stripe/credential.js'
import { type Account, statusFromReport } from './account.js'
import type { ApiKey } from './keys.js'
import { type AccountLogo, genericLogo } from './logo.js'
import { check, type PermissionReport, withCheck } from './permission-report.js'

/** An account's name and logo, and where each came from. */
export interface AccountMetadata {
  /** The name to show. */
  readonly name: string
  /** `stripe` (business or dashboard name), `custom` (given by the app) or `generic`. */
  readonly nameSource: 'stripe' | 'custom' | 'generic'
  /** The logo to show. */
  readonly logo: AccountLogo
  /** The report, updated with what importing the logo taught about `rak_file_write`. */
  readonly report: PermissionReport
}

/** What the app chose itself; each overrides what Stripe has. */
export interface MetadataOverrides {
  /** A custom name. */
  readonly name?: string | undefined
  /** A custom logo, already checked. */
  readonly logo?: AccountLogo | undefined
}

/** A name that still tells accounts apart: the mode and the end of the account id. */
export function genericName(accountId: string | undefined, mode: KeyMode, redactedKey: string): string {
  const tail = accountId ? accountId.slice(-4) : redactedKey.slice(-4)
  return `Stripe ${mode === 'test' ? 'test ' : ''}account …${tail}`
}

function stripeName(account: Stripe.Account | undefined): string | undefined {
  const name = account?.business_profile?.name ?? account?.settings?.dashboard?.display_name
  return name?.trim() ? name.trim() : undefined
}

function brandingFileId(account: Stripe.Account | undefined): string | undefined {
  const branding = account?.settings?.branding
  // The square icon suits notifications better than the wide logo.
  const file = branding?.icon ?? branding?.logo
  if (!file) return undefined
  return typeof file === 'string' ? file : file.id
}

/**
 * Reads the account's name and logo. The logo needs a public file link (`rak_file_write`): that is the
 * only way to learn whether the key has the permission, so the report is updated here.
 */
export async function readAccountMetadata(
  gateway: StripeGateway<ApiKey>,
  report: PermissionReport,
  account: Stripe.Account | undefined,
  overrides: MetadataOverrides = {},
): Promise<AccountMetadata> {
  const { mode, redacted } = gateway.key
  const fromStripe = stripeName(account)
  const name = overrides.name ?? fromStripe ?? genericName(report.accountId, mode, redacted)
  const nameSource = overrides.name ? 'custom' : fromStripe ? 'stripe' : 'generic'
  if (overrides.logo) return { name, nameSource, logo: overrides.logo, report }

  const fileId = brandingFileId(account)
  if (!fileId) return { name, nameSource, logo: genericLogo(), report }
  try {
    const link = await gateway.call(
      'POST /v1/file_links',
      (stripe, auth) => stripe.fileLinks.create({ file: fileId }, auth),
      {
        kind: 'metadata',
      },
    )
    const logo: AccountLogo = link.url ? { source: 'stripe', url: link.url } : genericLogo()
    return {
      name,
      nameSource,
      logo,
      report: withCheck(report, gateway.key, check('rak_file_write', 'granted')),
    }
  } catch (error) {
    if (!(error instanceof CashNotifyError) || error instanceof InvalidKeyError) throw error
    const learnt =
      error instanceof MissingPermissionError
        ? check('rak_file_write', 'missing')
        : check('rak_file_write', 'unknown', { reason: error.message })
    return { name, nameSource, logo: genericLogo(), report: withCheck(report, gateway.key, learnt) }
  }
}

/** The fields of an {@link Account} that come from its metadata and permission report. */
export function accountFields(
  metadata: AccountMetadata,
): Pick<Account, 'name' | 'nameSource' | 'logo' | 'permissions' | 'status' | 'featuresLost'> {
  return {
    name: metadata.name,
    nameSource: metadata.nameSource,
    logo: metadata.logo,
    permissions: metadata.report,
    status: statusFromReport(metadata.report),
    featuresLost: metadata.report.featuresLost,
  }
}
