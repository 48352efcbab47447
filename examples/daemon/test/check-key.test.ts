import { StripeSimulator } from '@cashnotify/stripe-simulator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXIT } from '../src/check-key-command.js'
import { main } from '../src/main.js'

const REQUIRED = [
  'rak_balance_read',
  'rak_event_read',
  'rak_invoice_read',
  'rak_payout_read',
  'rak_subscription_read',
  'rak_customer_read',
  'rak_product_read',
]

let sim: StripeSimulator
let url: string
let close: () => Promise<void>
let account: string
beforeAll(async () => {
  sim = new StripeSimulator({ rateLimits: false })
  const server = await sim.listen()
  url = server.url
  close = () => server.close()
  account = sim.createAccount({ businessName: 'Acme Inc' }).id
})
afterAll(() => close())

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = []
  const err: string[] = []
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

const restricted = (permissions: string[]): string =>
  sim.createKey({ account, kind: 'restricted', mode: 'test', permissions })

describe('cashnotify check-key', () => {
  it('prints a report for a person and exits 0 when every required permission is granted', async () => {
    const key = restricted([...REQUIRED, 'rak_connected_account_read'])
    const { code, out } = await run('check-key', key, '--stripe-url', url)
    expect(code).toBe(EXIT.ok)
    expect(out).toContain(
      `Key ${key.slice(0, 8)}…${key.slice(-4)} — restricted key, test mode, account ${account}`,
    )
    expect(out).toMatch(/✓ rak_event_read\s+See new sales/)
    expect(out).toMatch(/· rak_file_write\s+.*not checked/)
    expect(out).toContain('https://dashboard.stripe.com/test/apikeys/create?name=CashNotify')
    expect(out).toContain(`Permissions: ${REQUIRED.join(', ')}`)
    expect(out).not.toContain(key)
  })

  it('exits 1 and says what degrades when a required permission is missing', async () => {
    const { code, out } = await run(
      'check-key',
      restricted(REQUIRED.filter((p) => p !== 'rak_customer_read')),
      '--stripe-url',
      url,
    )
    expect(code).toBe(EXIT.missingRequired)
    expect(out).toMatch(/✗ rak_customer_read/)
    expect(out).toContain('What degrades')
    expect(out).toContain('without the customer’s email, name and country. (rak_customer_read)')
  })

  it('prints the report as JSON with --json, reading the key from an environment variable', async () => {
    process.env.CN_TEST_KEY = restricted(REQUIRED)
    const { code, out } = await run('check-key', '--key-env', 'CN_TEST_KEY', '--json', '--stripe-url', url)
    delete process.env.CN_TEST_KEY
    expect(code).toBe(EXIT.ok)
    const report = JSON.parse(out) as { ok: boolean; granted: string[]; accountId: string }
    expect(report.ok).toBe(true)
    expect(report.granted).toEqual(REQUIRED)
    expect(report.accountId).toBe(account)
  })

  it.each([
    [
      'a publishable key',
      () => sim.createKey({ account, kind: 'publishable', mode: 'test' }),
      /publishable key/,
    ],
    ['a malformed key', () => 'sk_test_short', /truncated/],
    ['a revoked key', () => revoked(), /does not recognise this API key/],
  ])('exits 2 for %s, with the reason', async (_name, key, reason) => {
    const { code, err } = await run('check-key', key(), '--stripe-url', url)
    expect(code).toBe(EXIT.invalidKey)
    expect(err).toMatch(reason)
  })

  it('exits 2 with a JSON error for a refused key with --json', async () => {
    const { code, out } = await run('check-key', 'pk_test_4eC39HqLyjWDarjtT1zdp7dc', '--json')
    expect(code).toBe(EXIT.invalidKey)
    expect(JSON.parse(out)).toMatchObject({ ok: false, error: { code: 'key_publishable' } })
  })

  it('exits 3 when Stripe is unreachable', async () => {
    const other = new StripeSimulator()
    const server = await other.listen()
    const key = other.createKey({ account: other.createAccount().id, kind: 'secret', mode: 'test' })
    await server.close()
    const { code, err } = await run('check-key', key, '--stripe-url', server.url)
    expect(code).toBe(EXIT.unreachable)
    expect(err).toContain('Could not reach Stripe')
  })

  it('explains usage errors', async () => {
    expect((await run()).code).toBe(EXIT.usage)
    expect((await run('check-key')).err).toContain('check-key needs a key')
    expect((await run('check-key', '--key-env', 'CN_UNSET_VARIABLE')).err).toContain(
      'CN_UNSET_VARIABLE is not set',
    )
    expect((await run('frobnicate')).err).toContain('Unknown command "frobnicate"')
    expect((await run('--help')).code).toBe(EXIT.ok)
  })
})

describe('cashnotify demo keys', () => {
  it('runs check-key against four keys of a local simulator, from the recommended one to the refused one', async () => {
    const { code, out } = await run('demo', 'keys')
    expect(code).toBe(0)
    expect(out.match(/\(exit code (\d)\)/g)).toEqual([
      '(exit code 0)',
      '(exit code 1)',
      '(exit code 0)',
      '(exit code 2)',
    ])
    expect(out).toContain('Acme Inc')
  })
})

function revoked(): string {
  const key = restricted(REQUIRED)
  sim.revokeKey(key)
  return key
}
