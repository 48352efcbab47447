import { idempotencyMismatch } from './errors.js'

interface Saved {
  readonly fingerprint: string
  readonly status: number
  readonly body: string
}

/**
 * Replays POST results by `Idempotency-Key`, per account and mode, as Stripe does. stripe-node sends a
 * key with every POST and retries a reset connection once even with `maxNetworkRetries: 0`, so without
 * this a `reset` fault on `POST /v1/file_links` would create two links.
 */
export class Idempotency {
  readonly #saved = new Map<string, Saved>()

  /** The saved answer for this key, or undefined; throws when the key was used with other parameters. */
  replay(scope: string, key: string, fingerprint: string): Saved | undefined {
    const saved = this.#saved.get(`${scope}\n${key}`)
    if (saved === undefined) return undefined
    if (saved.fingerprint !== fingerprint) throw idempotencyMismatch(key)
    return saved
  }

  /** Remembers a successful answer. */
  save(scope: string, key: string, fingerprint: string, status: number, body: string): void {
    this.#saved.set(`${scope}\n${key}`, { fingerprint, status, body })
  }
}
