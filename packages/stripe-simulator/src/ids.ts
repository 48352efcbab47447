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
 * character, and the last `visible` ones: 4 in 401 answers (`Invalid API Key provided`), 6 in 403
 * answers (`The provided key '…' does not have the required permissions`). Strings too short to keep
 * anything hidden are hidden entirely.
 *
 * @example maskKey('rk_test_51AbC...uvwxyz') // 'rk_test_*****...*wxyz', as long as the key
 * @example maskKey('rk_test_51AbC...uvwxyz', 6) // 'rk_test_*****...uvwxyz'
 */
export function maskKey(key: string, visible: 4 | 6 = 4): string {
  if (key.length <= 8 + visible) return '*'.repeat(key.length)
  return `${key.slice(0, 8)}${'*'.repeat(key.length - 8 - visible)}${key.slice(-visible)}`
}
