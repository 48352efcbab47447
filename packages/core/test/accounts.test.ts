import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { genericLogo } from '../src/accounts/logo.js'
import {
  AccountError,
  AccountRefusedError,
  CashNotify,
  type CashNotifyOptions,
  ConfigError,
  InvalidKeyError,
  REQUIRED_PERMISSIONS,
  silentLogger,
} from '../src/index.js'
import { sniffImageType } from '../src/notifier.js'
import { ALL_PERMISSIONS, type RunningSimulator, startSimulator } from './helpers.js'

let running: RunningSimulator
let cn: CashNotify
beforeAll(async () => {
  running = await startSimulator({ rateLimits: false })
})
afterAll(() => running.close())
afterEach(() => cn?.stop())

function instance(options: CashNotifyOptions = {}): CashNotify {
  cn = new CashNotify({
    stripe: running.stripe,
    retry: { retries: 0 },
    budget: { startFull: false },
    logger: silentLogger,
    ...options,
  })
  return cn
}

function business(name: string | null = 'Acme Inc', icon = true): string {
  return running.sim.createAccount({ businessName: name, icon: icon ? true : null }).id
}

const key = (
  account: string,
  permissions: readonly string[] = ALL_PERMISSIONS,
  mode: 'live' | 'test' = 'test',
) => running.sim.createKey({ account, kind: 'restricted', mode, permissions })

describe('addAccount', () => {
  it('reads the name from Stripe and the logo through a public file link', async () => {
    const id = business('Acme Inc')
    const account = await instance().addAccount({ apiKey: key(id) })
    expect(account).toMatchObject({
      id,
      ref: `${id}/test`,
      mode: 'test',
      name: 'Acme Inc',
      nameSource: 'stripe',
    })
    expect(account.status).toBe('active')
    expect(account.key.redacted).toMatch(/^rk_test_…\w{4}$/)
    expect(account.logo.source).toBe('stripe')
    const logo = await fetch(account.logo.url ?? '')
    expect(sniffImageType(new Uint8Array(await logo.arrayBuffer()))).toBe('image/png')
    expect(account.permissions.checks.find((c) => c.permission === 'rak_file_write')?.state).toBe('granted')
  })

  it('uses a generic name and logo without the optional permissions, and learns file write from the 403', async () => {
    const id = business('Acme Inc')
    const account = await instance().addAccount({ apiKey: key(id, REQUIRED_PERMISSIONS) })
    expect(account.name).toBe(`Stripe test account …${id.slice(-4)}`)
    expect(account.nameSource).toBe('generic')
    expect(account.logo).toEqual(genericLogo())
    expect(account.status).toBe('active')
    // The seven of the help article: everything works, but Checkout's products and the name are missed.
    expect(account.featuresLost.map((f) => f.feature)).toEqual(['account_name', 'checkout_products'])
    expect(account.permissions.restrictedKeyUrlWithOptional).toContain(
      'permissions[]=rak_checkout_session_read',
    )
  })

  it('keeps the Stripe name but a generic logo when only file write is missing', async () => {
    const id = business('Acme Inc')
    const permissions = ALL_PERMISSIONS.filter((p) => p !== 'rak_file_write')
    const account = await instance().addAccount({ apiKey: key(id, permissions) })
    expect(account.name).toBe('Acme Inc')
    expect(account.logo.source).toBe('generic')
    expect(account.permissions.missingOptional).toEqual(['rak_file_write'])
    expect(account.featuresLost.map((f) => f.feature)).toEqual(['account_logo'])
  })

  it('lets a custom name and logo win over Stripe’s, and creates no file link', async () => {
    const id = business('Acme Inc')
    const apiKey = key(id)
    const logo = genericLogo().data as Uint8Array
    const linksBefore = running.sim.requests.byEndpoint('POST /v1/file_links')
    const account = await instance().addAccount({ apiKey, name: 'My shop', logo })
    expect(account).toMatchObject({ name: 'My shop', nameSource: 'custom' })
    expect(account.logo).toEqual({ source: 'custom', contentType: 'image/png', data: logo })
    expect(running.sim.requests.byEndpoint('POST /v1/file_links')).toBe(linksBefore)
  })

  it('refuses a custom logo of the wrong type before any request', async () => {
    const apiKey = key(business())
    const error = await instance()
      .addAccount({ apiKey, logo: new TextEncoder().encode('<svg/>') })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).code).toBe('logo_invalid')
    expect(running.sim.requests.byKey(apiKey)).toBe(0)
  })

  it('refuses a key without rak_event_read, with the report', async () => {
    const error = await instance()
      .addAccount({
        apiKey: key(
          business(),
          ALL_PERMISSIONS.filter((p) => p !== 'rak_event_read'),
        ),
      })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AccountRefusedError)
    expect((error as AccountRefusedError).report.missingRequired).toEqual(['rak_event_read'])
    expect(cn.accounts()).toEqual([])
  })

  it('accepts a key missing another required permission as degraded, or refuses it when strict', async () => {
    const id = business()
    const permissions = ALL_PERMISSIONS.filter((p) => p !== 'rak_customer_read')
    const account = await instance().addAccount({ apiKey: key(id, permissions) })
    expect(account.status).toBe('degraded')
    expect(account.featuresLost).toEqual([
      expect.objectContaining({ permission: 'rak_customer_read', feature: 'customers' }),
    ])
    const strict = await instance({ strictPermissions: true })
      .addAccount({ apiKey: key(id, permissions) })
      .catch((e: unknown) => e)
    expect(strict).toBeInstanceOf(AccountRefusedError)
    const perCall = await instance()
      .addAccount({ apiKey: key(id, permissions), strictPermissions: true })
      .catch((e: unknown) => e)
    expect(perCall).toBeInstanceOf(AccountRefusedError)
  })

  it('refuses the same key twice, before any request', async () => {
    const apiKey = key(business())
    await instance().addAccount({ apiKey })
    const before = running.sim.requests.byKey(apiKey)
    const error = await cn.addAccount({ apiKey }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AccountError)
    expect((error as AccountError).code).toBe('account_duplicate')
    expect(running.sim.requests.byKey(apiKey)).toBe(before)
  })

  it('refuses two concurrent adds of one key: exactly one wins', async () => {
    const apiKey = key(business())
    const results = await Promise.allSettled([instance().addAccount({ apiKey }), cn.addAccount({ apiKey })])
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected'])
    expect(cn.accounts()).toHaveLength(1)
  })

  it('refuses a second key of the same account and mode, but accepts the other mode', async () => {
    const id = business()
    await instance().addAccount({ apiKey: key(id) })
    const error = await cn.addAccount({ apiKey: key(id) }).catch((e: unknown) => e)
    expect((error as AccountError).code).toBe('account_duplicate')
    expect((error as Error).message).toContain(`${id}/test`)
    const live = await cn.addAccount({ apiKey: key(id, ALL_PERMISSIONS, 'live') })
    expect(live.ref).toBe(`${id}/live`)
    expect(cn.accounts().map((a) => a.ref)).toEqual([`${id}/test`, `${id}/live`])
  })

  it('refuses a refused key with its own error and keeps nothing', async () => {
    const apiKey = key(business())
    running.sim.expireKey(apiKey)
    const error = await instance()
      .addAccount({ apiKey })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InvalidKeyError)
    expect((error as InvalidKeyError).code).toBe('key_expired')
    expect(cn.accounts()).toEqual([])
  })
})

describe('many accounts', () => {
  it('watches live and test accounts side by side, removes one, and emits both changes', async () => {
    const cn = instance()
    const added: string[] = []
    const removed: string[] = []
    cn.on('account.added', (a) => void added.push(a.ref))
    cn.on('account.removed', (a) => void removed.push(a.ref))
    const a = await cn.addAccount({ apiKey: key(business('A')) })
    const b = await cn.addAccount({ apiKey: key(business('B'), ALL_PERMISSIONS, 'live') })
    const c = await cn.addAccount({
      apiKey: running.sim.createKey({ account: business('C'), kind: 'secret', mode: 'live' }),
    })
    expect(cn.accounts().map((x) => x.name)).toEqual(['A', 'B', 'C'])
    expect(c.permissions.hints[0]).toMatch(/restricted key/)
    await cn.removeAccount(b)
    expect(cn.accounts().map((x) => x.ref)).toEqual([a.ref, c.ref])
    expect(cn.account(a.ref)?.name).toBe('A')
    expect(added).toEqual([a.ref, b.ref, c.ref])
    expect(removed).toEqual([b.ref])
    const missing = await cn.removeAccount(b.ref).catch((e: unknown) => e)
    expect((missing as AccountError).code).toBe('account_not_found')
  })

  it('refreshMetadata picks up a permission granted since', async () => {
    const id = business('Acme Inc')
    const apiKey = key(id, REQUIRED_PERMISSIONS)
    const account = await instance().addAccount({ apiKey })
    expect(account.nameSource).toBe('generic')
    running.sim.setPermissions(apiKey, ALL_PERMISSIONS)
    const refreshed = await cn.refreshMetadata(account)
    expect(refreshed).toMatchObject({ name: 'Acme Inc', nameSource: 'stripe' })
    expect(refreshed.logo.source).toBe('stripe')
    expect(cn.account(account.ref)?.name).toBe('Acme Inc')
  })
})
