/**
 * What the webhook handler does with one delivery, whatever server it came through: the signature
 * checked against each account's secrets, the event recorded in the store, and the answer Stripe gets.
 * Nothing is stored or emitted for a delivery that is refused; a 2xx is sent only once the event is
 * in the store, so a crash after it cannot lose the event.
 */
import type Stripe from 'stripe'
import { ConfigError } from '../shared/errors.js'
import type { Logger } from '../shared/logger.js'
import type { WebhookSecrets } from '../stripe/webhook-secrets.js'
import type { WatchedAccount } from './watched-account.js'

/** A delivery as any server hands it over. */
export interface WebhookRequest {
  readonly method: string
  /** The `Stripe-Signature` header. */
  readonly signature: string | undefined
  /** The raw body: its bytes are what was signed. */
  readonly body: Uint8Array
}

/** What the server answers. */
export interface Answer {
  readonly status: number
  readonly body: { readonly received: true } | { readonly error: { readonly message: string } }
}

/** What the intake needs from the instance. */
export interface IntakeSettings {
  readonly tolerance: number
  readonly now: () => number
  readonly logger: Logger
}

function refuse(status: number, message: string): Answer {
  return { status, body: { error: { message } } }
}

/** Whether a verified payload has the shape of a Stripe event (a signed body can still be anything). */
function isEvent(value: unknown): value is Stripe.Event {
  if (typeof value !== 'object' || value === null) return false
  const event = value as Partial<Stripe.Event>
  return (
    event.object === 'event' &&
    typeof event.id === 'string' &&
    typeof event.type === 'string' &&
    typeof event.created === 'number' &&
    typeof event.livemode === 'boolean' &&
    typeof event.data === 'object' &&
    event.data !== null &&
    typeof event.data.object === 'object'
  )
}

/** The webhook side of an instance: its accounts' secrets, and those of accounts it removed. */
export class WebhookIntake {
  readonly #accounts: () => Iterable<WatchedAccount>
  readonly #settings: IntakeSettings
  /** Secrets of removed accounts: their deliveries are told the account is gone (404), not "bad signature". */
  readonly #retired: WebhookSecrets[] = []

  constructor(accounts: () => Iterable<WatchedAccount>, settings: IntakeSettings) {
    this.#accounts = accounts
    this.#settings = settings
  }

  /** @throws {@link ConfigError} when another watched account has one of these secrets. */
  assertFree(secrets: WebhookSecrets | undefined): void {
    if (!secrets) return
    for (const watched of this.#accounts()) {
      if (watched.secrets?.shares(secrets)) {
        throw new ConfigError(
          `webhookSecret ${secrets.toString()} is already the secret of ${watched.snapshot.ref}: each endpoint has its own.`,
        )
      }
    }
    const i = this.#retired.findIndex((retired) => retired.shares(secrets))
    if (i >= 0) this.#retired.splice(i, 1)
  }

  /** An account was removed: its deliveries are answered 404 from now on. */
  retire(secrets: WebhookSecrets | undefined): void {
    if (secrets) this.#retired.push(secrets)
  }

  /** Checks, records and answers one delivery. */
  async take(delivery: WebhookRequest): Promise<Answer> {
    const answer = await this.#take(delivery)
    if (answer.status >= 300 && 'error' in answer.body)
      this.#settings.logger.warn(
        `A Stripe webhook was refused (${answer.status}): ${answer.body.error.message}`,
      )
    return answer
  }

  async #take({ method, signature, body }: WebhookRequest): Promise<Answer> {
    if (method !== 'POST') return refuse(405, 'Stripe webhooks are POST requests.')
    if (!signature) return refuse(400, 'No Stripe-Signature header: only Stripe-signed deliveries are taken.')
    const { tolerance, now } = this.#settings
    const receivedAt = now()
    let expired = false
    let anySecret = false
    for (const watched of this.#accounts()) {
      if (!watched.secrets) continue
      anySecret = true
      const verdict = watched.secrets.verify(body, signature, tolerance, receivedAt)
      if (verdict.ok) return this.#record(watched, verdict.event)
      expired ||= verdict.reason === 'expired'
    }
    if (expired)
      return refuse(400, `The signature is more than ${tolerance} s old: a replay, or a clock far off.`)
    if (this.#retired.some((secrets) => secrets.verify(body, signature, 0, receivedAt).ok))
      return refuse(404, 'The account of this endpoint is no longer watched: delete the endpoint in Stripe.')
    if (!anySecret) return refuse(404, 'No watched account takes webhooks (addAccount({ webhookSecret })).')
    return refuse(400, "The signature matches no watched account's signing secret.")
  }

  async #record(watched: WatchedAccount, event: unknown): Promise<Answer> {
    if (!isEvent(event)) return refuse(400, 'The signed body is not a Stripe event.')
    const mode = event.livemode ? 'live' : 'test'
    if (mode !== watched.snapshot.mode) {
      return refuse(
        400,
        `A ${mode}-mode event came with the secret of ${watched.snapshot.ref}: the endpoint and the key are of different modes.`,
      )
    }
    try {
      await watched.receive(event)
    } catch (error) {
      // Stripe retries what is not acknowledged: nothing is lost.
      this.#settings.logger.error(
        `A Stripe webhook of ${watched.snapshot.ref} could not be stored: ${String(error)}`,
      )
      return refuse(503, 'The event could not be stored; Stripe will send it again.')
    }
    return { status: 200, body: { received: true } }
  }
}
