/** Live or test mode, from the key's prefix (`sk_live_` / `sk_test_`): Stripe keeps the two apart. */
export type KeyMode = 'live' | 'test'

/**
 * What a request to Stripe authenticates with: the key's mode (its budget depends on it), its redacted
 * form for messages, and the secret itself for the one place that needs it. `ApiKey` is one.
 */
export interface StripeCredential {
  /** `live` or `test`. */
  readonly mode: KeyMode
  /** The key as CashNotify shows it: `rk_live_…abcd`. */
  readonly redacted: string
  /** The key itself, for the Authorization header only. */
  reveal(): string
}
