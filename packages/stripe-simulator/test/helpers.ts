import Stripe from 'stripe'
import { afterEach } from 'vitest'
import { type SimulatorOptions, type SimulatorServer, StripeSimulator } from '../src/index.js'

const servers: SimulatorServer[] = []

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

/** A simulator with one account, served over real HTTP on loopback; closed after each test. */
export async function startSimulator(options: SimulatorOptions = {}) {
  const sim = new StripeSimulator({ seed: 42, ...options })
  const account = sim.createAccount({ businessName: 'Acme Inc.' })
  const server = await sim.listen()
  servers.push(server)
  /** The real stripe-node client pointed at the simulator. */
  const stripe = (key: string): Stripe =>
    new Stripe(key, { host: server.host, port: server.port, protocol: 'http', maxNetworkRetries: 0 })
  /** A raw HTTP GET/POST with the key as Bearer token. */
  const call = (
    path: string,
    init: { key?: string; method?: string; body?: string; headers?: Record<string, string> } = {},
  ) =>
    fetch(`${server.url}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        ...(init.key === undefined ? {} : { Authorization: `Bearer ${init.key}` }),
        ...(init.body === undefined ? {} : { 'Content-Type': 'application/x-www-form-urlencoded' }),
        ...init.headers,
      },
      ...(init.body === undefined ? {} : { body: init.body }),
    })
  const secret = (mode: 'test' | 'live' = 'test'): string =>
    sim.createKey({ account: account.id, kind: 'secret', mode })
  const restricted = (permissions: readonly string[], mode: 'test' | 'live' = 'test'): string =>
    sim.createKey({ account: account.id, kind: 'restricted', mode, permissions })
  return { sim, account, server, stripe, call, secret, restricted }
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  try {
    await promise
  } catch (error) {
    return error as Stripe.errors.StripeError
  }
  throw new Error('Expected the request to fail, but it succeeded.')
}

/** JSON of a response's `error` object. */
export async function errorOf(response: Response): Promise<Record<string, unknown>> {
  const body = (await response.json()) as { error: Record<string, unknown> }
  return body.error
}

/** `items[index]`, failing the test when it is missing (keeps `noUncheckedIndexedAccess` honest). */
export function nth<T>(items: readonly T[], index: number): T {
  const item = items[index]
  if (item === undefined) throw new Error(`Expected an item at index ${index} of ${items.length}.`)
  return item
}
