import { readFileSync } from 'node:fs'
import { checkKey, printable, stripeConnectionFromUrl } from '@cashnotify/core'
import { StripeSimulator } from '@cashnotify/stripe-simulator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatReport } from '../src/commands/check-key-report.js'
import { EXIT_CODES } from '../src/exit-codes.js'
import { HELP } from '../src/help.js'
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
    expect(code).toBe(EXIT_CODES.ok)
    expect(out).toContain(
      `Key ${key.slice(0, 8)}…${key.slice(-4)} — restricted key, test mode, account ${account}`,
    )
    expect(out).toMatch(/✓ rak_event_read\s+See new sales/)
    expect(out).toMatch(/· rak_file_write\s+.*not checked/)
    expect(out).toContain('https://dashboard.stripe.com/test/apikeys/create?name=CashNotify')
    // What the key's account may read, and what the defaults spend of it: the floor's pace.
    expect(out).toContain('Stripe allows every account 10,000 reads a month, or 500 per payment')
    expect(out).toMatch(/at the floor: polls every 10 min away from activity \(about 4,500 of 5,000 reads\)/)
    expect(out).toContain('with 1,000 payments a month: every 12 s')
    expect(out).toContain(`Permissions: ${REQUIRED.join(', ')}`)
    expect(out).not.toContain(key)
  })

  it('exits 1 for a degraded key (a required permission missing), saying what degrades and that watch watches it', async () => {
    const { code, out } = await run(
      'check-key',
      restricted(REQUIRED.filter((p) => p !== 'rak_customer_read')),
      '--stripe-url',
      url,
    )
    expect(code).toBe(EXIT_CODES.degraded)
    expect(out).toMatch(/✗ rak_customer_read/)
    expect(out).toContain('What degrades')
    expect(out).toContain('without the customer’s email, name and country. (rak_customer_read)')
    expect(out).toContain('Degraded: rak_customer_read missing. `cashnotify watch` watches this key')
  })

  it('exits 2 for a key without rak_event_read, which watch refuses, in text and as JSON (verdict refused)', async () => {
    const key = restricted(REQUIRED.filter((p) => p !== 'rak_event_read'))
    const text = await run('check-key', key, '--stripe-url', url)
    expect(text.code).toBe(EXIT_CODES.invalid)
    expect(text.out).toContain('Refused: without rak_event_read nothing can be watched')
    const json = await run('check-key', key, '--stripe-url', url, '--json')
    expect(json.code).toBe(EXIT_CODES.invalid)
    expect(JSON.parse(json.out)).toMatchObject({ ok: false, verdict: 'refused' })
  })

  it('prints the report as JSON with --json, reading the key from an environment variable', async () => {
    process.env.CN_TEST_KEY = restricted(REQUIRED)
    const { code, out } = await run('check-key', '--key-env', 'CN_TEST_KEY', '--json', '--stripe-url', url)
    delete process.env.CN_TEST_KEY
    expect(code).toBe(EXIT_CODES.ok)
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
    [
      'two keys pasted together',
      () => restricted(REQUIRED) + restricted(REQUIRED),
      /two keys pasted together\?/,
    ],
  ])('exits 2 for %s, with the reason', async (_name, key, reason) => {
    const { code, err } = await run('check-key', key(), '--stripe-url', url)
    expect(code).toBe(EXIT_CODES.invalid)
    expect(err).toMatch(reason)
  })

  it('exits 2 with a JSON error for a refused key with --json', async () => {
    const { code, out } = await run('check-key', 'pk_test_4eC39HqLyjWDarjtT1zdp7dc', '--json')
    expect(code).toBe(EXIT_CODES.invalid)
    expect(JSON.parse(out)).toMatchObject({ ok: false, error: { code: 'key_publishable' } })
  })

  it('exits 3 when Stripe is unreachable', async () => {
    const other = new StripeSimulator()
    const server = await other.listen()
    const key = other.createKey({ account: other.createAccount().id, kind: 'secret', mode: 'test' })
    await server.close()
    const { code, err } = await run('check-key', key, '--stripe-url', server.url)
    expect(code).toBe(EXIT_CODES.unreachable)
    expect(err).toContain('Could not reach Stripe')
  })

  it('prints what Stripe said in a report made printable, as JSON exactly', async () => {
    const report = await checkKey(restricted(REQUIRED), { stripe: stripeConnectionFromUrl(url) })
    const forged = 'could not check\r\x1b[2K✓ rak_balance_read'
    const text = formatReport({
      ...report,
      checks: report.checks.map((c) => ({ ...c, state: 'unknown', reason: forged })),
    })
    expect(text).toContain('could not check␍␛[2K✓ rak_balance_read')
    expect(printable(text.replaceAll('\n', ' '))).toBe(text.replaceAll('\n', ' '))
  })

  it('explains usage errors and exits 64 for each', async () => {
    expect((await run()).code).toBe(EXIT_CODES.usage)
    for (const [argv, said] of [
      [['check-key'], 'check-key needs a key'],
      [
        ['check-key', '--key-env', 'CN_UNSET_VARIABLE'],
        'Environment variable CN_UNSET_VARIABLE (--key-env) is not set',
      ],
      [['frobnicate'], 'Unknown command "frobnicate"'],
      [['check-key', '--frobnicate'], "Unknown option '--frobnicate'"],
      [['accounts', '--seed', '3'], 'accounts does not take --seed'],
    ] as const) {
      const { code, err } = await run(...argv)
      expect({ argv, code }).toEqual({ argv, code: EXIT_CODES.usage })
      expect(err).toContain(said)
    }
    expect((await run('--help')).code).toBe(EXIT_CODES.ok)
  })

  it.each([['not a url'], ['ftp://127.0.0.1:21'], ['127.0.0.1:12111']])(
    'exits 64, a usage error, for --stripe-url %j (not 1, the code of a missing permission)',
    async (stripeUrl) => {
      const { code, err } = await run('check-key', restricted(REQUIRED), '--stripe-url', stripeUrl)
      expect(code).toBe(EXIT_CODES.usage)
      expect(err).toContain(
        `--stripe-url must be an http or https URL such as http://127.0.0.1:12111, got "${stripeUrl}".`,
      )
      expect((await run('accounts', '--config', 'x.json', '--stripe-url', stripeUrl)).code).toBe(
        EXIT_CODES.usage,
      )
    },
  )

  it('documents every exit code, 64 and 70 included, in the help and in the README', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
    const table = /\| command[\s\S]*?\n\n/.exec(readme)?.[0] ?? ''
    for (const code of new Set(Object.values(EXIT_CODES))) {
      expect(HELP).toMatch(new RegExp(`\\b${code} `))
      expect(table).toMatch(new RegExp(`\\b${code} `))
    }
    expect(table).toContain('2 invalid or refused key')
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
