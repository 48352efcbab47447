import { createHash } from 'node:crypto'
import { once } from 'node:events'
import { readFile, symlink } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Logger, type Notifier, NotifierError } from '@cashnotify/core/notifier'
import { sampleAccount, sampleEvent, sampleNotification } from '@cashnotify/core/testing'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { genericIcon } from '../src/generic-logo.js'
import {
  type DesktopNotifierOptions,
  desktopNotifier,
  ID_HINT,
  SERVICE_RETRY_AFTER_MS,
} from '../src/index.js'
import { MAX_CLICK_WAITERS } from '../src/platform/linux-clicks.js'
import { findExecutable } from '../src/run.js'
import { type DesktopHarness, desktopHarness } from './support/harness.js'
import { LOGO_PNG, type LogoServer, startLogoServer } from './support/logo-server.js'
import { Child } from './support/processes.js'
import { type DesktopSession, startDesktopSession } from './support/session.js'
import { ended, recordingSpawn } from './support/spawn.js'

// What a real notification daemon (dunst, under Xvfb, on a private session bus) is asked to show,
// observed on the bus with dbus-monitor.

const context = (signal = new AbortController().signal) => ({ signal, attempt: 1 })
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex')

let session: DesktopSession
let server: LogoServer
const harnesses: DesktopHarness[] = []
const notifiers: Notifier[] = []
const children: Child[] = []

beforeAll(async () => {
  session = await startDesktopSession()
  server = await startLogoServer()
}, 20_000)
afterEach(async () => {
  for (const child of children.splice(0)) await child.stop()
  for (const notifier of notifiers.splice(0)) await notifier.close?.()
  for (const harness of harnesses.splice(0)) {
    await harness.recover()
    await harness.close()
  }
})
afterAll(async () => {
  await server?.close()
  await session?.stop()
})

/** A notifier, the daemon it talks to, and the monitor watching them (one daemon per test). */
async function harness(options: DesktopNotifierOptions = {}): Promise<DesktopHarness> {
  const created = await desktopHarness(session, options)
  harnesses.push(created)
  return created
}

/** Another notifier on the same session (and so talking to the same daemon). */
async function anotherNotifier(options: DesktopNotifierOptions = {}): Promise<Notifier> {
  const notifier = desktopNotifier({ env: session.env, cacheDir: await session.tempDir(), ...options })
  notifiers.push(notifier)
  return notifier
}

function spyLogger() {
  return { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() } satisfies Logger
}

describe('what the notification daemon is asked to show', () => {
  it('shows a sale with its title, body, app name, icon and idempotency id', async () => {
    const cacheDir = await session.tempDir()
    const h = await harness({ appName: 'My Shop', cacheDir })
    const sale = sampleNotification(sampleEvent('sale'))
    await h.notifier.send(sale, context())

    const [shown] = await h.shown()
    const icon = join(cacheDir, `${sha256(genericIcon())}.png`)
    expect(shown).toMatchObject({
      appName: 'My Shop',
      summary: sale.title,
      body: sale.body,
      appIcon: icon,
      replacesId: 0,
      expireTimeout: -1,
    })
    expect(shown?.hints).toMatchObject({
      [ID_HINT]: sale.id,
      'image-path': icon,
      urgency: 1,
      'suppress-sound': true,
    })
    expect(shown?.daemonId).toBeGreaterThan(0)
    // The sample account's logo is the generic one, given by its bytes: written once, as is.
    expect(new Uint8Array(await readFile(icon))).toEqual(sampleAccount().logo.data)
  })

  it('escapes the body for servers that read markup, and keeps a title starting with a dash as text', async () => {
    const h = await harness()
    await h.notifier.send(
      sampleNotification(undefined, { title: '-$5.00 refund', body: 'Tom & Jerry <b>Pro</b>' }),
      context(),
    )
    const [shown] = await h.shown()
    expect(shown?.summary).toBe('-$5.00 refund')
    expect(shown?.body).toBe('Tom &amp; Jerry &lt;b&gt;Pro&lt;/b&gt;')
  })

  it('asks for a sound when `sound` is set: the theme default for `true`, or the name given', async () => {
    const h = await harness({ sound: true })
    await h.notifier.send(sampleNotification(), context())
    await (await anotherNotifier({ sound: 'bell' })).send(sampleNotification(), context())

    const [withDefault, withName] = await h.shown()
    expect(withDefault?.hints['sound-name']).toBe('message-new-instant')
    expect(withDefault?.hints).not.toHaveProperty('suppress-sound')
    expect(withName?.hints['sound-name']).toBe('bell')
  })

  it('passes urgency and expiry', async () => {
    const h = await harness({ urgency: 'critical', expireMs: 4_000 })
    await h.notifier.send(sampleNotification(), context())
    const [shown] = await h.shown()
    expect(shown?.hints.urgency).toBe(2)
    expect(shown?.expireTimeout).toBe(4_000)
  })
})

describe('the account logo as icon', () => {
  it('downloads a logo known by URL once, then reuses the file (across notifiers sharing the cache)', async () => {
    const cacheDir = await session.tempDir()
    const url = server.url('/logo-once.png')
    const account = sampleAccount({ logo: { source: 'stripe', url } })
    const notification = sampleNotification({ ...sampleEvent('sale'), account })
    const h = await harness({ cacheDir })
    await h.notifier.send(notification, context())
    await h.notifier.send(notification, context())
    await (await anotherNotifier({ cacheDir })).send(notification, context())

    const icon = join(cacheDir, `${sha256(url)}.png`)
    expect(server.hits('/logo-once.png')).toBe(1)
    expect((await h.shown()).map((n) => n.appIcon)).toEqual([icon, icon, icon])
    expect(await readFile(icon)).toEqual(LOGO_PNG)
  })

  it('downloads once when two sends need the same logo at the same time', async () => {
    const url = server.url('/logo-concurrent.png')
    const account = sampleAccount({ logo: { source: 'stripe', url } })
    const h = await harness()
    await Promise.all([
      h.notifier.send(sampleNotification({ ...sampleEvent('sale'), account }), context()),
      h.notifier.send(sampleNotification({ ...sampleEvent('refund'), account }), context()),
    ])
    expect(server.hits('/logo-concurrent.png')).toBe(1)
    expect(new Set((await h.shown()).map((n) => n.appIcon)).size).toBe(1)
  })

  it('shows the generic logo when the account has none', async () => {
    const cacheDir = await session.tempDir()
    const h = await harness({ cacheDir })
    const account = sampleAccount({ logo: { source: 'generic' } })
    await h.notifier.send(sampleNotification({ ...sampleEvent('sale'), account }), context())
    const [shown] = await h.shown()
    expect(shown?.appIcon).toBe(join(cacheDir, `${sha256(genericIcon())}.png`))
  })

  it('shows the generic logo, and warns once, when the logo cannot be downloaded', async () => {
    const cacheDir = await session.tempDir()
    const logger = spyLogger()
    const h = await harness({ cacheDir, logger })
    const account = sampleAccount({ logo: { source: 'stripe', url: server.url('/missing') } })
    await h.notifier.send(sampleNotification({ ...sampleEvent('sale'), account }), context())
    await h.notifier.send(sampleNotification({ ...sampleEvent('refund'), account }), context())

    const generic = join(cacheDir, `${sha256(genericIcon())}.png`)
    expect((await h.shown()).map((n) => n.appIcon)).toEqual([generic, generic])
    expect(server.hits('/missing')).toBe(1) // not tried again at once
    expect(logger.warn).toHaveBeenCalledTimes(1)
    expect(logger.warn.mock.calls[0]?.[0]).toMatch(/Could not download the account logo \(HTTP 404\)/)
  })
})

describe('clicks', () => {
  it('opens the dashboard URL with xdg-open when the notification is clicked', async () => {
    const h = await harness()
    const notification = sampleNotification()
    await h.notifier.send(notification, context())
    const [shown] = await h.shown()
    expect(shown?.actions).toEqual(['default', 'Open in Stripe'])

    const since = h.monitor.mark()
    await h.daemon().ctl('action', '0') // what a click on the notification does
    expect(await h.monitor.waitForSignal('Opened', since)).toEqual([notification.url])
  })

  it('offers no click action without a URL or with `openOnClick: false`', async () => {
    const h = await harness({ openOnClick: false })
    await h.notifier.send(sampleNotification(), context())
    const other = await anotherNotifier()
    await other.send(sampleNotification(undefined, { url: 'javascript:alert(1)' }), context())
    expect((await h.shown()).map((n) => n.actions)).toEqual([[], []])
  })

  it('shows the notification without the action when xdg-open is missing', async () => {
    const bin = await session.tempDir()
    for (const program of ['notify-send', 'stdbuf']) {
      await symlink((await findExecutable(program, process.env))!, join(bin, program))
    }
    const logger = spyLogger()
    const h = await harness({ env: { ...session.env, PATH: bin }, logger })
    await h.notifier.send(sampleNotification(), context())
    expect((await h.shown()).map((n) => n.actions)).toEqual([[]])
    expect(logger.debug).toHaveBeenCalledWith(
      '[desktop] Clicks cannot open the dashboard here: xdg-open was not found on PATH.',
    )
  })

  it(`listens for clicks on at most ${MAX_CLICK_WAITERS} notifications at once, the newest`, async () => {
    const { spawn, spawned } = recordingSpawn()
    const h = await harness({ spawn })
    for (let i = 0; i <= MAX_CLICK_WAITERS; i++) {
      // Different texts: dunst would otherwise stack duplicates, closing the older ones itself.
      await h.notifier.send(sampleNotification(undefined, { id: `sale:${i}`, title: `Sale ${i}` }), context())
    }
    const [oldest, ...newer] = spawned
    if (!ended(oldest!.child)) await once(oldest!.child, 'exit')
    expect(oldest!.child.signalCode).toBe('SIGTERM')
    expect(newer.map((s) => ended(s.child))).toEqual(Array(MAX_CLICK_WAITERS).fill(false))
  })

  it('close() ends the processes still waiting for clicks', async () => {
    const { spawn, spawned } = recordingSpawn()
    const h = await harness({ spawn })
    await h.notifier.send(sampleNotification(), context())
    expect(spawned).toHaveLength(1)
    expect(ended(spawned[0]!.child)).toBe(false)
    await h.notifier.close?.()
    expect(ended(spawned[0]!.child)).toBe(true)
  })

  it('does not keep Node alive while it waits for a click', async () => {
    const h = await harness()
    const script = fileURLToPath(new URL('./support/send-and-exit.ts', import.meta.url))
    const child = new Child(process.execPath, ['--import', 'tsx', script, await session.tempDir()], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env: { ...process.env, ...session.env },
    })
    children.push(child)
    await child.exited // the test times out if the process lingers (clickWaitMs is 10 minutes there)
    expect(child.process.exitCode).toBe(0)
    expect(child.stdout).toBe('sent\n')
    const [shown] = await h.shown()
    expect(shown?.actions).toEqual(['default', 'Open in Stripe'])
  }, 20_000)
})

describe('failures', () => {
  it('says no notification daemon is running, retryable after 30 s, when nothing owns the name', async () => {
    const h = await harness()
    await h.fail()
    const error = await h.notifier.send(sampleNotification(), context()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NotifierError)
    expect(error).toMatchObject({ retryable: true, retryAfterMs: SERVICE_RETRY_AFTER_MS, disable: false })
    expect((error as Error).message).toMatch(
      /^\[cashnotify\] \[desktop\] No notification daemon is running: nothing owns org\.freedesktop\.Notifications/,
    )
    expect((error as Error).message).toContain('dunst')
  })

  it('kills notify-send and rejects with the signal’s reason when the send is aborted', async () => {
    const { spawn, spawned, next } = recordingSpawn()
    const h = await harness({ spawn })
    await h.stall()
    const controller = new AbortController()
    const started = next()
    const sending = h.notifier.send(sampleNotification(), context(controller.signal))
    await started // notify-send runs, and waits for the frozen daemon
    const reason = new Error('delivery timed out')
    controller.abort(reason)
    await expect(sending).rejects.toBe(reason)
    expect(ended(spawned[0]!.child)).toBe(true)
    expect(spawned[0]!.child.signalCode).toBe('SIGTERM')
  })

  it('fails as retryable after `timeoutMs` when the daemon does not answer', async () => {
    const h = await harness({ timeoutMs: 300 })
    await h.stall()
    const error = await h.notifier.send(sampleNotification(), context()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NotifierError)
    expect(error).toMatchObject({ retryable: true })
    expect((error as Error).message).toContain('did not take the notification within 300 ms')
  })
})
