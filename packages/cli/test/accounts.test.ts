import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { REQUIRED_PERMISSIONS, silentLogger } from '@cashnotify/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseConfig } from '../src/config/load.js'
import { EXIT_CODES } from '../src/exit-codes.js'
import { main } from '../src/main.js'
import { openState } from '../src/store/open-state.js'
import { startPipeline } from '../src/watch/pipeline.js'
import { captured, fullKey, type SimHarness, startSim, tempDir, waitFor } from './support/harness.js'

let sim: SimHarness
let dir: ReturnType<typeof tempDir>
let env: Record<string, string>
let ids: { shop: string; studio: string; blind: string }

beforeAll(async () => {
  sim = await startSim()
  dir = tempDir()
  const shop = sim.sim.createAccount({ businessName: 'Acme Inc' }).id
  const studio = sim.sim.createAccount({ businessName: 'Studio' }).id
  const blind = sim.sim.createAccount({ businessName: 'Blind' }).id
  ids = { shop, studio, blind }
  const revoked = fullKey(sim.sim, shop, 'test')
  sim.sim.revokeKey(revoked)
  const without = (permission: string) => REQUIRED_PERMISSIONS.filter((p) => p !== permission)
  env = {
    SHOP_KEY: fullKey(sim.sim, shop, 'live'),
    STUDIO_KEY: sim.sim.createKey({
      account: studio,
      kind: 'restricted',
      mode: 'test',
      permissions: without('rak_customer_read'),
    }),
    BLIND_KEY: sim.sim.createKey({
      account: blind,
      kind: 'restricted',
      mode: 'test',
      permissions: without('rak_event_read'),
    }),
    OLD_KEY: revoked,
  }
})
afterAll(async () => {
  await sim.close()
  dir.remove()
})

let configs = 0
function config(accounts: unknown[], extra: Record<string, unknown> = {}): string {
  const file = join(dir.path, `config-${configs++}.json`)
  writeFileSync(file, JSON.stringify({ accounts, stripeUrl: sim.url, ...extra }))
  return file
}

async function accounts(
  file: string,
  ...flags: string[]
): Promise<{ code: number; out: string; err: string }> {
  const { output, out, err } = captured()
  const code = await main(['accounts', '--config', file, ...flags], output, { env })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

describe('cashnotify accounts', () => {
  it('says which accounts are active and which are degraded, with what is lost, and exits 0', async () => {
    const { code, out } = await accounts(
      config([{ keyEnv: 'SHOP_KEY', name: 'Acme' }, { keyEnv: 'STUDIO_KEY' }]),
    )
    expect(code).toBe(EXIT_CODES.ok)
    expect(out).toMatch(new RegExp(`✓ active\\s+Acme\\s+${ids.shop}  live  rk_live_…\\w{4}`))
    expect(out).toMatch(
      new RegExp(
        `⚠ degraded\\s+${ids.studio}\\s+test  rk_test_…\\w{4}  \\(accounts\\[1\\], keyEnv STUDIO_KEY\\)`,
      ),
    )
    expect(out).toContain(
      '• Sales arrive without the customer’s email, name and country. (rak_customer_read)',
    )
    expect(out).toContain('https://dashboard.stripe.com/test/apikeys/create?name=CashNotify')
    expect(out).toContain('2 of 2 accounts can be watched (1 degraded).')
    expect(out).not.toContain(env.SHOP_KEY)
  })

  it('calls a key without rak_event_read refused, as watch does, not "degraded", and exits 2', async () => {
    const file = config([{ keyEnv: 'SHOP_KEY' }, { keyEnv: 'BLIND_KEY' }])
    const text = await accounts(file)
    expect(text.code).toBe(EXIT_CODES.invalid)
    expect(text.out).toMatch(new RegExp(`✗ refused\\s+${ids.blind}\\s+test`))
    expect(text.out).toContain('It may not read events (rak_event_read): nothing can be watched.')
    expect(text.out).toContain('1 of 2 accounts can be watched.')
    const json = JSON.parse((await accounts(file, '--json')).out) as { accounts: Array<{ status: string }> }
    expect(json.accounts.map((a) => a.status)).toEqual(['active', 'refused'])
  })

  it('calls a degraded key refused under strictPermissions, as watch does', async () => {
    const strict = await accounts(config([{ keyEnv: 'STUDIO_KEY' }], { strictPermissions: true }))
    expect(strict.code).toBe(EXIT_CODES.invalid)
    expect(strict.out).toMatch(/✗ refused/)
    expect(strict.out).toContain('strictPermissions refuses a key without rak_customer_read.')
    const relaxed = await accounts(
      config([{ keyEnv: 'STUDIO_KEY', strictPermissions: false }], { strictPermissions: true }),
    )
    expect(relaxed.code).toBe(EXIT_CODES.ok)
  })

  it('exits 2 when a key is invalid, saying why, as JSON too', async () => {
    const file = config([{ keyEnv: 'SHOP_KEY' }, { keyEnv: 'OLD_KEY' }, { keyEnv: 'UNSET_KEY' }])
    const text = await accounts(file)
    expect(text.code).toBe(EXIT_CODES.invalid)
    expect(text.out).toMatch(/✗ invalid\s+accounts\[1\]/)
    expect(text.out).toMatch(
      /✗ invalid\s+accounts\[2\]\s+\(keyEnv UNSET_KEY\)\n\s+Environment variable UNSET_KEY \(`accounts\[2\]\.keyEnv`\) is not set\./,
    )
    const json = await accounts(file, '--json')
    expect(json.code).toBe(EXIT_CODES.invalid)
    const report = JSON.parse(json.out) as {
      ok: boolean
      accounts: Array<{ status: string; reason?: string }>
    }
    expect(report.ok).toBe(false)
    expect(report.accounts.map((a) => a.status)).toEqual(['active', 'invalid', 'invalid'])
    expect(report.accounts[1]?.reason).toMatch(/does not recognise this API key/)
    expect(json.out).not.toContain(env.OLD_KEY)
  })

  it('explains a missing --config and exits 64', async () => {
    const { output, err } = captured()
    expect(await main(['accounts'], output)).toBe(EXIT_CODES.usage)
    expect(err.join()).toContain('needs --config <file>')
  })
})

describe('cashnotify accounts, beside a daemon’s state', () => {
  it("shows each watched account's reads against its allocation, read from the state file", async () => {
    const file = config([{ keyEnv: 'SHOP_KEY' }], { store: 'reads.sqlite' })
    const loaded = parseConfig(JSON.parse(readFileSync(file, 'utf8')), file, dir.path)
    const state = openState(join(dir.path, 'reads.sqlite'), { lock: true })
    const pipeline = await startPipeline({
      loaded,
      env,
      store: state.store,
      logger: silentLogger,
      write: () => {},
      format: 'json',
      color: false,
      deadLetterHint: '',
    })
    const watched = pipeline.accounts.watched[0]
    if (!watched) throw new Error('Expected the account to be watched.')
    await waitFor(() => pipeline.cn.readUsage(watched).byKind.poll > 0, 'the first poll')
    const used = pipeline.cn.readUsage(watched).used30d
    await pipeline.stop()
    await state.close()

    const text = await accounts(file)
    expect(text.code).toBe(EXIT_CODES.ok)
    expect(text.out).toContain(
      `Reads: ${used} in 30 days, ${(4320 + used - pipeline.cn.readUsage(watched).byKind.poll).toLocaleString('en-US')} projected, of 10,000 a month (CashNotify may use 50%); polls every 10 min away from activity.`,
    )
    const json = JSON.parse((await accounts(file, '--json')).out) as {
      accounts: Array<{ reads?: { used30d: number; allocation: number } }>
    }
    expect(json.accounts[0]?.reads).toMatchObject({ used30d: used, allocation: 10_000 })
  })

  it('says nothing of reads when no daemon has watched the account with this state', async () => {
    const text = await accounts(config([{ keyEnv: 'SHOP_KEY' }], { store: 'never.sqlite' }))
    expect(text.out).not.toContain('Reads:')
  })
})
