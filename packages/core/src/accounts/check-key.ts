import { StripeGateway } from '../stripe/client.js'
import type { StripeConnectionOptions } from '../stripe/connection.js'
import { RequestBudget, type RequestBudgetOptions } from '../stripe/request-budget.js'
import type { RetryOptions } from '../stripe/retry.js'
import { type ApiKey, parseKey } from './keys.js'
import type { PermissionReport } from './permission-report.js'
import { probeKey } from './probe.js'

/** Options of {@link checkKey}. */
export interface CheckKeyOptions {
  /** Where Stripe is (the simulator, a proxy). */
  stripe?: StripeConnectionOptions
  /** The request budget of the check. */
  budget?: RequestBudgetOptions
  /** Retries of network failures, 5xx and 429 before giving up. */
  retry?: RetryOptions
}

/**
 * Validates a key and reports what it may do, without a `CashNotify` instance: granted permissions,
 * missing required and optional ones, what degrades, and the link to a better key.
 *
 * @throws {@link InvalidKeyError} for a malformed, publishable, invalid or expired key.
 * @throws {@link StripeUnavailableError} when Stripe cannot be reached (never reported as an invalid key).
 * @example
 * ```ts
 * const report = await checkKey(process.env.STRIPE_KEY ?? '')
 * if (!report.ok) console.log('Missing:', report.missingRequired, 'create a key at', report.restrictedKeyUrl)
 * ```
 */
export async function checkKey(
  key: string | ApiKey,
  options: CheckKeyOptions = {},
): Promise<PermissionReport> {
  const parsed = parseKey(key)
  const gateway = new StripeGateway(
    parsed,
    new RequestBudget(parsed.mode, options.budget),
    options.stripe,
    options.retry,
  )
  try {
    return (await probeKey(gateway)).report
  } finally {
    gateway.close()
  }
}
