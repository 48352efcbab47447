import type { Random } from './random.js'

/** How many characters follow the prefix in Stripe's ids (24 unless listed). */
const ID_LENGTHS: Readonly<Record<string, number>> = { acct: 16, req: 14, cus: 14, prod: 14, si: 14 }

/**
 * A Stripe-looking id: `evt_` + 24 characters, `acct_` + 16, `req_` + 14...
 * Random, so ids say nothing about order: as on Stripe, order comes from `created` and the store.
 */
export function newId(random: Random, prefix: string): string {
  return `${prefix}_${random.alnum(ID_LENGTHS[prefix] ?? 24)}`
}

/** The kinds of API key Stripe issues. */
export type KeyKind = 'secret' | 'restricted' | 'publishable'

/** Live or test mode, as the key prefix says. */
export type KeyMode = 'live' | 'test'

const KEY_PREFIX: Readonly<Record<KeyKind, string>> = { secret: 'sk', restricted: 'rk', publishable: 'pk' }

/** A key shaped like Stripe's: `sk_test_51` + 97 characters (107 in all). */
export function newKey(random: Random, kind: KeyKind, mode: KeyMode): string {
  return `${KEY_PREFIX[kind]}_${mode}_51${random.alnum(97)}`
}

/**
 * A key as Stripe prints it in error messages: the first 8 characters (`rk_live_`), one `*` per hidden
 * character, the last 4. Strings of 12 characters or fewer are hidden entirely.
 *
 * @example maskKey('rk_test_51AbC...wxyz') // 'rk_test_*****...*wxyz', as long as the key
 */
export function maskKey(key: string): string {
  if (key.length <= 12) return '*'.repeat(key.length)
  return `${key.slice(0, 8)}${'*'.repeat(key.length - 12)}${key.slice(-4)}`
}
