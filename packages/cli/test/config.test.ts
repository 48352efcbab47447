import { EventEmitter } from 'node:events'
import { chmodSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigError, InvalidKeyError } from '@cashnotify/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadConfig, parseConfig } from '../src/config/load.js'
import { readSecret, resolveAccounts } from '../src/config/secrets.js'
import { EXIT_CODES } from '../src/exit-codes.js'
import { main } from '../src/main.js'
import { captured, tempDir } from './support/harness.js'

const KEY = `rk_live_51${'a1B2c3D4e5'.repeat(9)}wxyz`

function problems(raw: unknown): string {
  try {
    parseConfig(raw, 'test.json', '/tmp')
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return (error as Error).message
  }
  throw new Error('the config was accepted')
}

const account = { keyEnv: 'STRIPE_KEY_SHOP' }

describe('config validation', () => {
  it('accepts a complete config', () => {
    const { config } = parseConfig(
      {
        accounts: [account, { keyFile: './test.key', name: 'Test shop', logo: './logo.png' }],
        notifiers: [
          { type: 'console' },
          { type: 'desktop', sound: true, filter: { types: ['sale'], mode: 'live' } },
          {
            type: 'webhook',
            url: 'https://example.com/hooks',
            secretEnv: 'WEBHOOK_SECRET',
            filter: { minAmount: { usd: 10_000 } },
            retry: { attempts: 3 },
            timeoutMs: 5000,
            concurrency: 2,
          },
          {
            type: 'email',
            to: 'me@example.com',
            from: 'cashnotify@example.com',
            smtp: { host: 'smtp.example.com', user: 'me', passwordEnv: 'SMTP_PASSWORD' },
          },
        ],
        pollInterval: 10_000,
        store: '~/.cashnotify/state.sqlite',
        log: { format: 'json', level: 'debug' },
      },
      'test.json',
      '/tmp',
    )
    expect(config.notifiers?.map((n) => n.type)).toEqual(['console', 'desktop', 'webhook', 'email'])
  })

  it('accepts the example of the README, which documents every notifier type', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
    const example = /## The config file\n\n```json\n([\s\S]*?)\n```/.exec(readme)?.[1]
    const { config } = parseConfig(JSON.parse(example ?? 'null'), 'README.md', '/tmp')
    expect(new Set(config.notifiers?.map((n) => n.type))).toEqual(
      new Set(['console', 'desktop', 'webhook', 'email']),
    )
  })

  it('names a missing field and what was expected', () => {
    expect(problems({})).toContain('Expected `accounts` to be an array, got nothing.')
    expect(
      problems({ accounts: [account], notifiers: [{ type: 'email', from: 'a@b.c', smtp: { host: 'x' } }] }),
    ).toContain('Expected `notifiers[0].to` to be an address or a list of addresses, got nothing.')
    expect(problems({ accounts: [{ name: 'Shop' }] })).toContain(
      '`accounts[0]` needs its Stripe key: `keyEnv`',
    )
  })

  it('names a field of the wrong type, with what it got', () => {
    expect(problems({ accounts: [account], pollInterval: '5s' })).toContain(
      'Expected `pollInterval` to be a number, got "5s".',
    )
    expect(problems({ accounts: [account], pollInterval: 10 })).toContain(
      'Expected `pollInterval` to be at least 1000, got 10.',
    )
    expect(problems({ accounts: [{ keyEnv: 'not a name' }] })).toContain(
      'Expected `accounts[0].keyEnv` to be the name of an environment variable, got "not a name".',
    )
  })

  it('refuses a literal key, says to use keyEnv or keyFile, and never echoes it', () => {
    const message = problems({ accounts: [{ key: KEY }] })
    expect(message).toContain('`accounts[0].key` holds a Stripe API key in the config file')
    expect(message).toContain('Use `keyEnv`')
    expect(message).toContain('`keyFile`')
    expect(message).not.toContain(KEY)
    // A key pasted where the variable's name goes is caught too.
    const pasted = problems({ accounts: [{ keyEnv: KEY }] })
    expect(pasted).toContain('`accounts[0].keyEnv` holds what looks like a Stripe key')
    expect(pasted).not.toContain(KEY)
    expect(
      problems({
        accounts: [account],
        notifiers: [{ type: 'webhook', url: 'https://x.test', secret: 'whsec_abcdefghijkl' }],
      }),
    ).toContain('`notifiers[0].secret` holds a signing secret in the config file')
  })

  it("refuses an account's webhook secret written in the file, and two sources of it", () => {
    const secret = 'whsec_abcdefghijklmnopqrstuvwxyz012345'
    const literal = problems({ accounts: [{ ...account, webhookSecret: secret }] })
    expect(literal).toContain('`accounts[0].webhookSecret` holds a signing secret in the config file')
    expect(literal).toContain('`webhookSecretEnv`')
    expect(literal).not.toContain(secret)
    const pasted = problems({ accounts: [{ ...account, webhookSecretEnv: secret }] })
    expect(pasted).toContain('use `webhookSecretEnv`')
    expect(pasted).not.toContain(secret)
    expect(
      problems({ accounts: [{ ...account, webhookSecretEnv: 'A', webhookSecretFile: './a' }] }),
    ).toContain('`accounts[0]` has both `webhookSecretEnv` and `webhookSecretFile`: give one of them.')
    expect(problems({ accounts: [account], webhooks: { port: 8787, path: 'hooks' } })).toContain(
      '`webhooks.path`',
    )
    expect(problems({ accounts: [account], readAllocation: { share: 0 } })).toContain(
      '`readAllocation.share`',
    )
  })

  it('refuses an unknown notifier type, listing the known ones', () => {
    expect(problems({ accounts: [account], notifiers: [{ type: 'sms', to: '+1555' }] })).toContain(
      'Expected `notifiers[0].type` to be one of `console`, `desktop`, `webhook`, `email`, got "sms".',
    )
  })

  it('refuses a bad filter, naming the field', () => {
    const bad = (filter: unknown): string =>
      problems({ accounts: [account], notifiers: [{ type: 'console', filter }] })
    expect(bad({ types: ['sales'] })).toContain(
      'Expected `notifiers[0].filter.types[0]` to be one of `sale`, ',
    )
    expect(bad({ minAmount: { USD: 100 } })).toContain(
      'Expected each key of `notifiers[0].filter.minAmount` to be a lower-case currency code such as usd, got "USD".',
    )
    expect(bad({ mode: 'prod' })).toContain(
      'Expected `notifiers[0].filter.mode` to be one of `live`, `test`, `both`, got "prod".',
    )
    expect(bad({ type: ['sale'] })).toContain('Unknown field `notifiers[0].filter.type`')
  })

  it('suggests the closest known name for an unknown field ("did you mean `pollInterval`?")', () => {
    const message = problems({
      accounts: [{ keyenv: 'STRIPE_KEY_SHOP' }],
      pollIntervall: 5000,
      notifiers: [
        { type: 'webhook', url: 'https://x.test/', secretEnvv: 'S', filter: { type: ['sale'] } },
        { type: 'email', to: 'a@b.c', from: 'c@d.e', smtp: { host: 'h', passwrodEnv: 'P' } },
      ],
      privacy: { customers: true },
      log: { fromat: 'json' },
      frobnicate: true,
    })
    expect(message).toContain('Unknown field `pollIntervall`: did you mean `pollInterval`?')
    expect(message).toContain('Unknown field `accounts[0].keyenv`: did you mean `keyEnv`?')
    expect(message).toContain('Unknown field `notifiers[0].secretEnvv`: did you mean `secretEnv`?')
    expect(message).toContain('Unknown field `notifiers[0].filter.type`: did you mean `types`?')
    expect(message).toContain('Unknown field `notifiers[1].smtp.passwrodEnv`: did you mean `passwordEnv`?')
    expect(message).toContain('Unknown field `privacy.customers`: did you mean `customer`?')
    expect(message).toContain('Unknown field `log.fromat`: did you mean `format`?')
    expect(message).toContain('Unknown field `frobnicate`: check its spelling against the config reference.')
  })

  it('names the new field of a renamed one (`digestMinutes` is now `batchMinutes`)', () => {
    const email = { type: 'email', to: 'a@b.c', from: 'c@d.e', smtp: { host: 'h' }, digestMinutes: 15 }
    expect(problems({ accounts: [{ keyEnv: 'K' }], notifiers: [email] })).toContain(
      'Unknown field `notifiers[0].digestMinutes`: it is now `batchMinutes`',
    )
  })

  it('never suggests a field that holds a secret in the file', () => {
    expect(problems({ accounts: [{ keyEnv: 'K', kye: 'x' }] })).toContain(
      'Unknown field `accounts[0].kye`: check its spelling against the config reference.',
    )
  })

  it('lists every problem of a file at once, and says where a JSON syntax error is', async () => {
    const dir = tempDir()
    try {
      const file = join(dir.path, 'cashnotify.json')
      writeFileSync(
        file,
        JSON.stringify({ accounts: [], pollInterval: -1, notifiers: [{ type: 'console', nmae: 'x' }] }),
      )
      const message = await loadConfig(file).catch((error: Error) => error.message)
      expect(message).toContain(`Invalid config ${file}:`)
      expect(message).toContain('Expected `accounts` to be at least 1 item, got 0 items.')
      expect(message).toContain('Expected `pollInterval` to be at least 1000, got -1.')
      expect(message).toContain('Unknown field `notifiers[0].nmae`')
      writeFileSync(file, '{\n  "accounts": [\n    { "keyEnv": "X" },\n  ]\n}')
      expect(await loadConfig(file).catch((error: Error) => error.message)).toMatch(
        /is not valid JSON: unexpected `]` at line 4, column 3\./,
      )
      expect(
        await loadConfig(join(dir.path, 'missing.json')).catch((error: Error) => error.message),
      ).toContain('does not exist')
    } finally {
      dir.remove()
    }
  })
})

describe('keys and secrets', () => {
  it('lists every unset variable, missing key file and secret at once, and watch exits 78', async () => {
    const dir = tempDir()
    try {
      const file = join(dir.path, 'cashnotify.json')
      writeFileSync(
        file,
        JSON.stringify({
          accounts: [{ keyEnv: 'CN_UNSET_SHOP' }, { keyFile: 'missing.key' }, { keyEnv: 'CN_UNSET_STUDIO' }],
          notifiers: [
            { type: 'webhook', urlEnv: 'CN_UNSET_URL', secretFile: 'hook.secret' },
            {
              type: 'email',
              to: 'me@example.com',
              from: 'cn@example.com',
              smtp: { host: 'smtp.example.com', user: 'me', passwordEnv: 'CN_UNSET_SMTP', caFile: 'ca.pem' },
            },
          ],
          store: 'state.sqlite',
        }),
      )
      const { output, err } = captured()
      const code = await main(['watch', '--config', file, '--log-format', 'text'], output, {
        env: {},
        signals: new EventEmitter(),
      })
      expect(code).toBe(EXIT_CODES.config)
      const said = err.join('\n')
      expect(said).toContain(
        "Cannot set up the config's accounts and notifiers; fix each of these, then start again:",
      )
      for (const problem of [
        'Environment variable CN_UNSET_SHOP (`accounts[0].keyEnv`) is not set.',
        `File ${join(dir.path, 'missing.key')} (\`accounts[1].keyFile\`) does not exist.`,
        'Environment variable CN_UNSET_STUDIO (`accounts[2].keyEnv`) is not set.',
        'Environment variable CN_UNSET_URL (`notifiers[0].urlEnv`) is not set.',
        `File ${join(dir.path, 'hook.secret')} (\`notifiers[0].secretFile\`) does not exist.`,
        'Environment variable CN_UNSET_SMTP (`notifiers[1].smtp.passwordEnv`) is not set.',
        `File ${join(dir.path, 'ca.pem')} (\`notifiers[1].smtp.caFile\`) does not exist.`,
      ])
        expect(said).toContain(`  - ${problem}`)
    } finally {
      dir.remove()
    }
  })

  let dir: ReturnType<typeof tempDir>
  let warnings: string[]
  beforeEach(() => {
    dir = tempDir()
    warnings = []
  })
  afterEach(() => dir.remove())
  const context = (env: Record<string, string> = {}) => ({
    env,
    dir: dir.path,
    warn: (m: string) => warnings.push(m),
  })

  it('reads a key from an environment variable', async () => {
    const [resolved] = await resolveAccounts(
      [{ keyEnv: 'STRIPE_KEY_SHOP' }],
      context({ STRIPE_KEY_SHOP: KEY }),
    )
    expect(resolved?.key.ok && resolved.key.value.reveal()).toBe(KEY)
    expect(resolved?.keySource).toBe('keyEnv STRIPE_KEY_SHOP')
    expect(warnings).toEqual([])
  })

  it("reads an account's webhook secrets, several while one is rolled, and lists both unset variables at once", async () => {
    const [resolved] = await resolveAccounts(
      [{ keyEnv: 'STRIPE_KEY_SHOP', webhookSecretEnv: 'SHOP_HOOK' }],
      context({ STRIPE_KEY_SHOP: KEY, SHOP_HOOK: 'whsec_old1, whsec_new2' }),
    )
    expect(resolved?.webhookSecret).toEqual(['whsec_old1', 'whsec_new2'])
    const both = resolveAccounts([{ keyEnv: 'STRIPE_KEY_SHOP', webhookSecretEnv: 'SHOP_HOOK' }], context())
    await expect(both).rejects.toThrow(
      /STRIPE_KEY_SHOP[\s\S]*SHOP_HOOK \(`accounts\[0\]\.webhookSecretEnv`\)/,
    )
  })

  it('says which variable is not set, naming the field', async () => {
    await expect(resolveAccounts([{ keyEnv: 'STRIPE_KEY_SHOP' }], context())).rejects.toThrow(
      'Environment variable STRIPE_KEY_SHOP (`accounts[0].keyEnv`) is not set.',
    )
  })

  it('reads a key file relative to the config, trimmed, without a warning when only its owner can read it', async () => {
    writeFileSync(join(dir.path, 'shop.key'), `  ${KEY}\n`, { mode: 0o600 })
    chmodSync(join(dir.path, 'shop.key'), 0o600)
    const [resolved] = await resolveAccounts([{ keyFile: './shop.key' }], context())
    expect(resolved?.key.ok && resolved.key.value.reveal()).toBe(KEY)
    expect(warnings).toEqual([])
  })

  it('warns when a key file can be read by other users (0644), saying how to fix it', async () => {
    const file = join(dir.path, 'shop.key')
    writeFileSync(file, KEY)
    chmodSync(file, 0o644)
    const [resolved] = await resolveAccounts([{ keyFile: file }], context())
    expect(resolved?.key.ok).toBe(true)
    expect(warnings).toEqual([
      `${file} (\`accounts[0].keyFile\`) can be read by other users (mode 0644): run \`chmod 600 ${file}\` so that only you can read it.`,
    ])
    expect(warnings.join()).not.toContain(KEY)
  })

  it('says when a key file is missing or empty', async () => {
    await expect(readSecret({ file: 'nope.key' }, 'accounts[0].key', context())).rejects.toThrow(
      `File ${join(dir.path, 'nope.key')} (\`accounts[0].keyFile\`) does not exist.`,
    )
    writeFileSync(join(dir.path, 'empty.key'), '\n', { mode: 0o600 })
    await expect(readSecret({ file: 'empty.key' }, 'accounts[0].key', context())).rejects.toThrow('is empty')
  })

  it('returns a malformed key as unusable, to be reported with the other accounts', async () => {
    const [resolved] = await resolveAccounts(
      [{ keyEnv: 'K' }],
      context({ K: 'pk_test_4eC39HqLyjWDarjtT1zdp7dc' }),
    )
    expect(resolved?.key.ok).toBe(false)
    expect(resolved?.key.ok === false && resolved.key.error).toBeInstanceOf(InvalidKeyError)
  })
})
