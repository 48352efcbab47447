import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { genericLogo } from '@cashnotify/core/notifier'
import { sampleAccount, sampleDigest, sampleDigestNotification } from '@cashnotify/core/testing'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ID_HINT } from '../src/index.js'
import { type DesktopHarness, desktopHarness } from './support/harness.js'
import { type DesktopSession, startDesktopSession } from './support/session.js'

// What a real notification daemon (dunst, under Xvfb, on a private session bus) is asked to show for
// a digest, observed on the bus with dbus-monitor.

const context = () => ({ signal: new AbortController().signal, attempt: 1 })
const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex')

let session: DesktopSession
const harnesses: DesktopHarness[] = []
beforeAll(async () => {
  session = await startDesktopSession()
}, 20_000)
afterEach(async () => {
  for (const harness of harnesses.splice(0)) await harness.close()
})
afterAll(async () => {
  await session?.stop()
})

async function harness(cacheDir?: string): Promise<DesktopHarness> {
  const created = await desktopHarness(session, cacheDir ? { cacheDir } : {})
  harnesses.push(created)
  return created
}

describe('a digest on the desktop', () => {
  it('is one notification: the digest title, the first two lines of its body, its id, the account logo', async () => {
    const cacheDir = await session.tempDir()
    const h = await harness(cacheDir)
    const digest = sampleDigestNotification()
    await h.notifier.sendDigest?.(digest, context())

    const shown = await h.shown()
    expect(shown).toHaveLength(1)
    const icon = join(cacheDir, `${sha256(sampleAccount().logo.data ?? new Uint8Array())}.png`)
    expect(shown[0]).toMatchObject({
      summary: 'Acme Inc · Tuesday, Nov 3: $1,240.00 from 18 sales',
      body: 'Net $1,149.64 · refunds $49.00 · 9 new customers\n+12% on the day before ($1,110.00)',
      appIcon: icon,
    })
    expect(shown[0]?.hints[ID_HINT]).toBe(digest.id)
    expect(await h.received()).toEqual([digest.id])
  })

  it('shows a digest of every account with the generic icon, and escapes markup in its text', async () => {
    const cacheDir = await session.tempDir()
    const h = await harness(cacheDir)
    const { account: _, ...all } = sampleDigest({ scope: 'all' })
    const digest = sampleDigestNotification(all, {
      title: '2 accounts · Tuesday: $1,338.00',
      body: 'R&D <b>up</b>',
    })
    await h.notifier.sendDigest?.(digest, context())

    const [shown] = await h.shown()
    expect(shown?.summary).toBe('2 accounts · Tuesday: $1,338.00')
    expect(shown?.body).toBe('R&amp;D &lt;b&gt;up&lt;/b&gt;')
    expect(shown?.appIcon).toBe(join(cacheDir, `${sha256(genericLogo().data ?? new Uint8Array())}.png`))
  })

  it('rejects after close(), showing nothing', async () => {
    const h = await harness()
    await h.notifier.close?.()
    await expect(h.notifier.sendDigest?.(sampleDigestNotification(), context())).rejects.toThrow(/closed/)
    expect(await h.shown()).toEqual([])
  })
})
