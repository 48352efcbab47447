import { InvalidKeyError } from '../shared/errors.js'
import { redactKey } from '../shared/redact.js'
import type { KeyMode } from '../stripe/credential.js'

/** `secret` (`sk_`), `restricted` (`rk_`) or `publishable` (`pk_`). */
export type KeyKind = 'secret' | 'restricted' | 'publishable'

/** The three kinds of Stripe API key, told apart by their prefix. */
const KEY_KINDS: Readonly<Record<'sk' | 'rk' | 'pk', KeyKind>> = {
  sk: 'secret',
  rk: 'restricted',
  pk: 'publishable',
}

/** Stripe's shortest keys (legacy ones) have 24 characters after the prefix; today's have about 99. */
const MIN_BODY_LENGTH = 24
const MAX_BODY_LENGTH = 255
const KEY_SHAPE = /^(sk|rk|pk)_(live|test)_([A-Za-z0-9]+)$/
/** Another key's prefix inside a key's body: two keys pasted one after the other. */
const SECOND_KEY = /(?:sk|rk|pk)_(?:live|test)_/
const TWO_KEYS = 'were two keys pasted together?'

/**
 * A parsed Stripe API key. The secret itself is a private field: printing, logging or serialising an
 * `ApiKey` (`String()`, `JSON.stringify`, `console.log`) shows only its redacted form.
 */
export class ApiKey {
  /** `secret`, `restricted` or `publishable`. */
  readonly kind: KeyKind
  /** `live` or `test`. */
  readonly mode: KeyMode
  /** The key as CashNotify shows it: `rk_live_…abcd`. */
  readonly redacted: string
  readonly #secret: string

  /** Use {@link parseKey}, which validates the key first. */
  constructor(secret: string, kind: KeyKind, mode: KeyMode) {
    this.#secret = secret
    this.kind = kind
    this.mode = mode
    this.redacted = redactKey(secret)
  }

  /** The key itself, for the one place that needs it: the Authorization header of a Stripe request. */
  reveal(): string {
    return this.#secret
  }

  /** Whether two values hold the same key, without exposing either. */
  equals(other: ApiKey): boolean {
    return other.#secret === this.#secret
  }

  /** The redacted form. */
  toString(): string {
    return this.redacted
  }

  /** The redacted form and what it is, never the secret. */
  toJSON(): { kind: KeyKind; mode: KeyMode; redacted: string } {
    return { kind: this.kind, mode: this.mode, redacted: this.redacted }
  }

  /** What `console.log` and `util.inspect` print. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `ApiKey(${this.redacted})`
  }
}

function malformed(reason: string): InvalidKeyError {
  return new InvalidKeyError(`Invalid Stripe API key: ${reason}`, { code: 'key_malformed' })
}

/**
 * Checks the shape of a Stripe API key and tells its kind and mode, without any network call.
 * A publishable key is refused here, before anything is sent to Stripe.
 *
 * @throws {@link InvalidKeyError} with code `key_malformed` (saying what is wrong) or `key_publishable`.
 * @example
 * ```ts
 * const key = parseKey(process.env.STRIPE_KEY ?? '')
 * console.log(key.kind, key.mode, key.redacted) // 'restricted' 'live' 'rk_live_…abcd'
 * ```
 */
export function parseKey(input: string | ApiKey): ApiKey {
  if (input instanceof ApiKey) return input
  if (typeof input !== 'string' || input.trim() === '') {
    throw malformed('no key was given. Paste the secret key (sk_…) or a restricted key (rk_…).')
  }
  if (/^bearer\s/i.test(input.trim())) {
    throw malformed('this looks like an Authorization header. Pass the key alone, without "Bearer ".')
  }
  if (input !== input.trim()) {
    throw malformed('it starts or ends with whitespace. Remove the spaces or line break around it.')
  }
  if (/\s/.test(input)) throw malformed('it contains whitespace. Copy the key again in one piece.')
  if (input.startsWith('whsec_')) {
    throw malformed('this is a webhook signing secret (whsec_…), not an API key.')
  }
  const prefix = /^(sk|rk|pk)_(live|test)_/.exec(input)
  if (!prefix) {
    throw malformed(
      'it does not start with sk_live_, sk_test_, rk_live_ or rk_test_. Copy it from Developers → API keys.',
    )
  }
  if (prefix[1] === 'pk') {
    throw new InvalidKeyError(
      'This is a publishable key (pk_…). CashNotify needs the secret key or, better, a restricted key (rk_…) — not the publishable one.',
      { code: 'key_publishable' },
    )
  }
  // Before the shape check: the second key's underscores would read as characters keys never have.
  if (SECOND_KEY.test(input.slice(prefix[0].length))) {
    throw malformed(`it holds a second key after the first; ${TWO_KEYS} Paste one key only.`)
  }
  const shape = KEY_SHAPE.exec(input)
  if (!shape) throw malformed('it contains characters that Stripe keys never have.')
  const [, kindPrefix, mode, body = ''] = shape
  if (body.length < MIN_BODY_LENGTH) {
    throw malformed(
      `it looks truncated: ${body.length} characters after the prefix, Stripe keys have at least ${MIN_BODY_LENGTH}.`,
    )
  }
  if (body.length > MAX_BODY_LENGTH) {
    throw malformed(`it is longer than any Stripe key; ${TWO_KEYS}`)
  }
  return new ApiKey(input, KEY_KINDS[kindPrefix as keyof typeof KEY_KINDS], mode as KeyMode)
}
