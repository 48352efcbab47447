import type Stripe from 'stripe'
import { accountFixture } from './fixtures/account.js'
import type { Wire } from './wire.js'

/** The API version of stripe-node 23, which new simulated accounts default to. */
export const DEFAULT_API_VERSION = '2026-10-28.endive'

/** A simulated Stripe account. It has test-mode and live-mode data, as a real account does. */
export interface SimAccount {
  /** `acct_` + 16 characters. */
  readonly id: string
  /** `business_profile.name`. */
  readonly businessName: string | null
  /** `settings.dashboard.display_name`. */
  readonly displayName: string | null
  /** Two-letter country code. */
  readonly country: string
  /** Lower-case currency code of the balance. */
  readonly defaultCurrency: string
  /** The account's email. */
  readonly email: string | null
  /** File id of `settings.branding.icon`, or null. */
  readonly icon: string | null
  /** File id of `settings.branding.logo`, or null. */
  readonly logo: string | null
  /** Default API version: events are rendered at it unless created with another. */
  readonly apiVersion: string
  /** Unix seconds. */
  readonly created: number
}

/** Options of `StripeSimulator.createAccount`. */
export interface CreateAccountInput {
  /** Accounts are not live or test: both modes exist on every account (pick the mode with the key). */
  livemode?: never
  /** Fixed id (`acct_` + letters and digits). @default random */
  id?: string
  /** `business_profile.name`. @default null */
  businessName?: string | null
  /** `settings.dashboard.display_name`. @default null */
  displayName?: string | null
  /** @default 'US' */
  country?: string
  /** @default derived from the country, else 'usd' */
  defaultCurrency?: string
  /** @default null */
  email?: string | null
  /** Icon image bytes (PNG, JPEG or GIF), `true` for a built-in 16x16 PNG, or null. @default null */
  icon?: Uint8Array | true | null
  /** Logo image bytes (PNG, JPEG or GIF), `true` for a built-in 16x16 PNG, or null. @default null */
  logo?: Uint8Array | true | null
  /** The account's default API version. @default '2026-10-28.endive' (stripe-node 23) */
  apiVersion?: string
}

const CURRENCIES: Readonly<Record<string, string>> = {
  US: 'usd',
  GB: 'gbp',
  CA: 'cad',
  AU: 'aud',
  JP: 'jpy',
  CH: 'chf',
  FR: 'eur',
  DE: 'eur',
  ES: 'eur',
  IT: 'eur',
  NL: 'eur',
  IE: 'eur',
}

/** The default currency of a country (a few common ones; 'usd' otherwise). */
export function currencyOf(country: string): string {
  return CURRENCIES[country] ?? 'usd'
}

/** The `account` object `GET /v1/account` serves. */
export function accountObject(account: SimAccount): Wire<Stripe.Account> {
  const object = structuredClone(accountFixture)
  object.id = account.id
  object.country = account.country
  object.created = account.created
  object.default_currency = account.defaultCurrency
  object.email = account.email
  if (object.business_profile) object.business_profile.name = account.businessName
  if (object.external_accounts) object.external_accounts.url = `/v1/accounts/${account.id}/external_accounts`
  if (object.settings) {
    object.settings.branding = { ...object.settings.branding, icon: account.icon, logo: account.logo }
    object.settings.dashboard = { ...object.settings.dashboard, display_name: account.displayName }
  }
  return object
}
