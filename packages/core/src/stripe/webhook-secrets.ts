/**
 * The signing secrets of an account's Stripe webhook endpoint, and the check of a delivery against them
 * with stripe-node's own verification: the HMAC of `<t>.<body>` under one of the secrets (several during
 * a rotation), and a timestamp within the tolerance, so that a captured delivery cannot be replayed later.
 */
import Stripe from 'stripe'
import { ConfigError } from '../shared/errors.js'
import { redactKey } from '../shared/redact.js'

/** Stripe's secrets are `whsec_` and 32 characters; any long enough base64-ish body is accepted. */
const SECRET_PATTERN = /^whsec_[A-Za-z0-9+/=]{16,}$/

/** What checking a delivery found. */
export type Verification =
  | { readonly ok: true; readonly event: Stripe.Event }
  | { readonly ok: false; readonly reason: 'mismatch' | 'expired' }

/** One account's signing secrets: held privately, shown redacted, compared without being exposed. */
export class WebhookSecrets {
  /** The secrets as CashNotify shows them: `whsec_…abcd`. */
  readonly redacted: readonly string[]
  readonly #values: readonly string[]

  private constructor(values: readonly string[]) {
    this.#values = values
    this.redacted = values.map(redactKey)
  }

  /**
   * Checks the secrets' shape: `whsec_…`, at least one, none given twice.
   * @throws {@link ConfigError} saying which one is wrong (redacted).
   */
  static parse(input: string | readonly string[], field = 'webhookSecret'): WebhookSecrets {
    const values = typeof input === 'string' ? [input] : [...input]
    if (values.length === 0)
      throw new ConfigError(`${field} is an empty list: give the endpoint's signing secret.`)
    values.forEach((value, i) => {
      const where = values.length > 1 ? `${field}[${i}]` : field
      if (typeof value !== 'string' || !SECRET_PATTERN.test(value.trim())) {
        throw new ConfigError(
          `${where} is not a Stripe webhook signing secret: it starts with whsec_ (Dashboard → Developers → Webhooks → the endpoint → Signing secret).`,
        )
      }
      if (values.indexOf(value) !== i) throw new ConfigError(`${where} is given twice (${redactKey(value)}).`)
    })
    return new WebhookSecrets(values.map((value) => value.trim()))
  }

  /** Whether the two hold a secret in common, without exposing either. */
  shares(other: WebhookSecrets): boolean {
    return this.#values.some((value) => other.#values.includes(value))
  }

  /**
   * Whether the delivery was signed with one of the secrets within `toleranceSeconds` of `receivedAt`
   * (ms since epoch), and the event it carries. A signature that matches but is too old is `expired`.
   */
  verify(
    body: string | Uint8Array,
    header: string,
    toleranceSeconds: number,
    receivedAt: number,
  ): Verification {
    for (const secret of this.#values) {
      try {
        const event = Stripe.webhooks.constructEvent(
          body,
          header,
          secret,
          toleranceSeconds,
          undefined,
          receivedAt,
        )
        return { ok: true, event }
      } catch {
        // Signed with this secret, but too long ago: a replay, or a clock far off.
        if (toleranceSeconds > 0 && matchesIgnoringTime(body, header, secret))
          return { ok: false, reason: 'expired' }
      }
    }
    return { ok: false, reason: 'mismatch' }
  }

  /** The redacted forms. */
  toString(): string {
    return this.redacted.join(', ')
  }

  /** The redacted forms, never a secret. */
  toJSON(): readonly string[] {
    return this.redacted
  }

  /** What `console.log` and `util.inspect` print. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `WebhookSecrets(${this.toString()})`
  }
}

function matchesIgnoringTime(body: string | Uint8Array, header: string, secret: string): boolean {
  try {
    // Tolerance 0: stripe-node checks the signature only.
    Stripe.webhooks.signature?.verifyHeader(body, header, secret, 0)
    return Stripe.webhooks.signature !== null
  } catch {
    return false
  }
}
