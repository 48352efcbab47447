import Stripe from 'stripe'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ConfigError, containsSecret, type LogFields } from '../src/index.js'
import { STORE_KEYS } from '../src/shared/store.js'
import { advance, business, START, watcher } from './polling-helpers.js'
import { pushedShop, pushingSimulator } from './webhook-helpers.js'

beforeEach(() => {
  vi.useFakeTimers({ now: START })
})
afterEach(() => {
  vi.useRealTimers()
})

type Shop = Awaited<ReturnType<typeof pushedShop>>

/** A delivery signed as Stripe signs it (stripe-node's own test header), at `at` (ms). */
function signed(body: string, secret: string, at = Date.now()): Request {
  const signature = Stripe.webhooks.generateTestHeaderString({
    payload: body,
    secret,
    timestamp: Math.floor(at / 1000),
  })
  return new Request('https://shop.example/stripe/webhooks', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': signature },
    body,
  })
}

function eventBody(s: Shop, overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    id: `evt_${Math.random().toString(36).slice(2, 14)}`,
    object: 'event',
    api_version: '2025-09-30.clover',
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type: 'customer.created',
    data: { object: { id: 'cus_1', object: 'customer', email: 'a@example.com' } },
    account: s.shop.id,
    ...overrides,
  })
}

async function answer(s: Shop, request: Request): Promise<{ status: number; message: string | undefined }> {
  const response = await s.cn.webhookHandler().fetch(request)
  const body = (await response.json()) as { error?: { message: string } }
  return { status: response.status, message: body.error?.message }
}

/** Whether the store holds anything pushed for the account. */
async function inboxOf(s: Shop): Promise<unknown> {
  return s.store.get(STORE_KEYS.pushInbox(s.account.ref))
}

describe('webhook deliveries that are refused', () => {
  it('refuses a missing or bad signature with a 400, storing and emitting nothing', async () => {
    const s = await pushedShop()
    await advance(1_000)
    const seen = s.seen.length
    const body = eventBody(s)
    const unsigned = new Request('https://shop.example/hook', { method: 'POST', body })
    expect(await answer(s, unsigned)).toMatchObject({
      status: 400,
      message: expect.stringMatching(/No Stripe-Signature/),
    })
    const forged = signed(body, 'whsec_somebodyElsesSecretAAAAAAAAAA')
    expect(await answer(s, forged)).toMatchObject({
      status: 400,
      message: expect.stringMatching(/matches no watched/),
    })
    const tampered = signed(body, s.hook.secret)
    const altered = new Request(tampered, { body: body.replace('a@example.com', 'b@example.com') })
    expect((await answer(s, altered)).status).toBe(400)
    await advance(1_000)
    expect(await inboxOf(s)).toBeUndefined()
    expect(s.seen.length).toBe(seen)
  })

  it('refuses a replay older than the tolerance, a body that is not an event, and an event of the other mode', async () => {
    const s = await pushedShop()
    const old = await answer(s, signed(eventBody(s), s.hook.secret, Date.now() - 301_000))
    expect(old).toMatchObject({ status: 400, message: expect.stringMatching(/more than 300 s old/) })
    const notEvent = await answer(s, signed(JSON.stringify({ hello: 'world' }), s.hook.secret))
    expect(notEvent).toMatchObject({ status: 400, message: expect.stringMatching(/not a Stripe event/) })
    const notJson = await answer(s, signed('not json', s.hook.secret))
    expect(notJson.status).toBe(400)
    const live = await answer(s, signed(eventBody(s, { livemode: true }), s.hook.secret))
    expect(live).toMatchObject({ status: 400, message: expect.stringMatching(/live-mode event/) })
    expect(await inboxOf(s)).toBeUndefined()
  })

  it('answers 404 for the endpoint of a removed account, 405 for a GET, 413 for an oversized body', async () => {
    const s = await pushedShop({ webhooks: { maxBodyBytes: 2_048 } })
    const big = eventBody(s, {
      data: { object: { id: 'cus_1', object: 'customer', name: 'x'.repeat(4_000) } },
    })
    expect((await answer(s, signed(big, s.hook.secret))).status).toBe(413)
    const get = new Request('https://shop.example/hook', { method: 'GET' })
    expect((await answer(s, get)).status).toBe(405)
    await s.cn.removeAccount(s.account)
    const gone = await answer(s, signed(eventBody(s), s.hook.secret))
    expect(gone).toMatchObject({ status: 404, message: expect.stringMatching(/no longer watched/) })
    expect(await inboxOf(s)).toBeUndefined()
  })

  it('answers 503 when the event cannot be stored, and takes it when Stripe sends it again', async () => {
    const s = await pushedShop()
    const set = s.store.set.bind(s.store)
    let failing = true
    vi.spyOn(s.store, 'set').mockImplementation(async (key: string, value: unknown) => {
      if (failing && key === STORE_KEYS.pushInbox(s.account.ref)) throw new Error('disk full')
      return set(key, value)
    })
    const body = eventBody(s)
    expect((await answer(s, signed(body, s.hook.secret))).status).toBe(503)
    await advance(1_000)
    expect(s.seen.filter((event) => event.id === JSON.parse(body).id)).toEqual([])
    failing = false
    expect((await answer(s, signed(body, s.hook.secret))).status).toBe(200)
    await advance(1_000)
    expect(s.seen.filter((event) => event.id === JSON.parse(body).id)).toHaveLength(1)
  })

  it('keeps what was acknowledged across a crash: another instance on the store hands it on', async () => {
    const { sim, fetch } = pushingSimulator()
    const shop = business(sim)
    const hook = sim.addWebhookEndpoint({ account: shop.id, url: 'https://shop.example/hook' })
    const first = watcher(fetch, { readAllocation: {} })
    await first.cn.addAccount({ apiKey: shop.key, webhookSecret: hook.secret })
    // An event that only the push brought (no poll can find it), acknowledged; then the process dies.
    const s = { shop } as Shop
    const body = eventBody(s)
    const response = await first.cn.webhookHandler().fetch(signed(body, hook.secret))
    expect(response.status).toBe(200)
    const again = watcher(fetch, { store: first.cn.store, readAllocation: {} })
    await again.cn.addAccount({ apiKey: shop.key, webhookSecret: hook.secret })
    await again.cn.start()
    await advance(5_000)
    expect(again.seen.map((event) => event.id)).toContain(JSON.parse(body).id)
    expect(await again.cn.store.get(STORE_KEYS.pushInbox(`${shop.id}/test`))).toBeUndefined()
    await again.cn.stop()
  })

  it('refuses a malformed secret, one given twice, and one of another account, never showing it', async () => {
    const { sim, fetch } = pushingSimulator()
    const a = business(sim)
    const b = business(sim)
    const hook = sim.addWebhookEndpoint({ account: a.id, url: 'https://shop.example/hook' })
    const lines: string[] = []
    const logger = {
      debug() {},
      info() {},
      warn: (message: string, fields?: LogFields) => void lines.push(message, JSON.stringify(fields ?? {})),
      error: (message: string, fields?: LogFields) => void lines.push(message, JSON.stringify(fields ?? {})),
    }
    const { cn } = watcher(fetch, { readAllocation: {}, logger })
    const refusals = await Promise.all([
      cn
        .addAccount({ apiKey: a.key, webhookSecret: 'sk_test_notASigningSecret1234' })
        .catch((e: unknown) => e),
      cn.addAccount({ apiKey: a.key, webhookSecret: [hook.secret, hook.secret] }).catch((e: unknown) => e),
      cn.addAccount({ apiKey: a.key, webhookSecret: [] }).catch((e: unknown) => e),
    ])
    for (const error of refusals) expect(error).toBeInstanceOf(ConfigError)
    expect((refusals[0] as Error).message).toMatch(/starts with whsec_/)
    expect((refusals[1] as Error).message).toMatch(/webhookSecret\[1\] is given twice \(whsec_…/)
    const added = await cn.addAccount({ apiKey: a.key, webhookSecret: hook.secret })
    expect(added.webhookSecrets).toEqual([`whsec_…${hook.secret.slice(-4)}`])
    const shared = await cn.addAccount({ apiKey: b.key, webhookSecret: hook.secret }).catch((e: unknown) => e)
    expect(shared).toBeInstanceOf(ConfigError)
    expect((shared as Error).message).toMatch(/already the secret of/)
    const shown = [...refusals, shared].map((e) => (e as Error).message).concat(lines, JSON.stringify(added))
    for (const text of shown) {
      expect(text).not.toContain(hook.secret)
      expect(containsSecret(text)).toBe(false)
    }
  })
})
