import type Stripe from 'stripe'
import { CashNotifyError, InvalidKeyError, MissingPermissionError } from '../shared/errors.js'
import type { StripeAuth, StripeGateway } from '../stripe/client.js'
import { accountNamedIn } from '../stripe/errors.js'
import type { ApiKey } from './keys.js'
import { buildReport, check, type PermissionCheck, type PermissionReport } from './permission-report.js'
import { PERMISSION_NAMES, PERMISSIONS, type PermissionName } from './permissions.js'

/** Probes beyond the first run a few at a time, well inside the account's budget. */
const PROBE_CONCURRENCY = 3

type Probe = (stripe: Stripe, auth: StripeAuth) => Promise<unknown>

/** One cheap read per probe-able permission; each needs that permission and nothing else. */
const PROBES: Record<Exclude<PermissionName, 'rak_file_write'>, Probe> = {
  rak_event_read: (s, auth) => s.events.list({ limit: 1 }, auth),
  rak_balance_read: (s, auth) => s.balanceTransactions.list({ limit: 1 }, auth),
  rak_invoice_read: (s, auth) => s.invoices.list({ limit: 1 }, auth),
  rak_payout_read: (s, auth) => s.payouts.list({ limit: 1 }, auth),
  rak_subscription_read: (s, auth) => s.subscriptions.list({ limit: 1 }, auth),
  rak_customer_read: (s, auth) => s.customers.list({ limit: 1 }, auth),
  rak_product_read: (s, auth) => s.products.list({ limit: 1 }, auth),
  rak_connected_account_read: (s, auth) => s.accounts.retrieveCurrent({}, auth),
  rak_checkout_session_read: (s, auth) => s.checkout.sessions.list({ limit: 1 }, auth),
}

/** Options of {@link probeKey}. */
export interface ProbeOptions {
  /**
   * Called once the account is known (after the events and account probes), before the other probes:
   * clustered, this is where the account's shared budget takes over from the process's own.
   */
  readonly known?: (accountId: string) => Promise<void>
}

/** What probing a key found: the report, and the account object when the key may read it. */
export interface KeyProbeResult {
  /** The permission report. */
  report: PermissionReport
  /** The Stripe account, read with `rak_connected_account_read` (or a secret key). */
  account: Stripe.Account | undefined
}

function endpointOf(permission: PermissionName): string {
  return `GET ${PERMISSIONS[permission].probe ?? '-'}`
}

/**
 * Validates a key against Stripe and checks each permission with one cheap read. The `rak_event_read`
 * probe goes first and doubles as validation: a 401 there throws {@link InvalidKeyError}, an outage
 * throws {@link StripeUnavailableError}. The account probe always runs: when it is refused, Stripe's 403
 * still names the account, which is how duplicates are told apart without `rak_connected_account_read`.
 */
export async function probeKey(
  gateway: StripeGateway<ApiKey>,
  options: ProbeOptions = {},
): Promise<KeyProbeResult> {
  const { key } = gateway
  const results = new Map<PermissionName, PermissionCheck>()
  let accountId: string | undefined
  let account: Stripe.Account | undefined

  const probe = async (permission: Exclude<PermissionName, 'rak_file_write'>): Promise<void> => {
    try {
      const value = await gateway.call(endpointOf(permission), PROBES[permission], { kind: 'probe' })
      if (permission === 'rak_connected_account_read') {
        account = value as Stripe.Account
        accountId = account.id
      }
      results.set(permission, check(permission, 'granted'))
    } catch (error) {
      if (error instanceof MissingPermissionError) {
        const cause = error.cause as { message?: string } | undefined
        accountId ??= accountNamedIn(cause?.message)
        const named =
          error.permission && error.permission !== permission ? { stripeNamed: error.permission } : {}
        results.set(permission, check(permission, 'missing', named))
        return
      }
      // An invalid key is not a fact about one permission, and the first probe is the key's validation:
      // if Stripe cannot answer it, nothing is known. A later probe that fails otherwise is "unknown".
      const validating = permission === 'rak_event_read'
      if (
        error instanceof InvalidKeyError ||
        !(error instanceof CashNotifyError) ||
        (validating && error.retryable)
      ) {
        throw error
      }
      results.set(permission, check(permission, 'unknown', { reason: error.message }))
    }
  }

  await probe('rak_event_read')
  if (key.kind === 'secret') {
    await probe('rak_connected_account_read')
    for (const permission of PERMISSION_NAMES) {
      if (!results.has(permission)) results.set(permission, check(permission, 'granted'))
    }
  } else {
    // The account probe comes second: even refused, its 403 names the account.
    await probe('rak_connected_account_read')
    if (accountId !== undefined) await options.known?.(accountId)
    const rest = PERMISSION_NAMES.filter(
      (p): p is Exclude<PermissionName, 'rak_file_write'> =>
        p !== 'rak_event_read' && p !== 'rak_file_write' && p !== 'rak_connected_account_read',
    )
    for (let i = 0; i < rest.length; i += PROBE_CONCURRENCY) {
      await Promise.all(rest.slice(i, i + PROBE_CONCURRENCY).map(probe))
    }
    results.set(
      'rak_file_write',
      check('rak_file_write', 'not_probed', { reason: 'Learnt when the account logo is imported.' }),
    )
  }
  gateway.markKeyValid()
  const checks = PERMISSION_NAMES.map(
    (name) => results.get(name) ?? check(name, 'unknown', { reason: 'not probed' }),
  )
  return { report: buildReport(key, accountId, checks), account }
}
