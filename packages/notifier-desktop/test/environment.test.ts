import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { NotifierError } from '@cashnotify/core/notifier'
import { sampleNotification } from '@cashnotify/core/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  checkDesktopNotifier,
  type DesktopNotifierOptions,
  desktopNotifier,
  SERVICE_RETRY_AFTER_MS,
} from '../src/index.js'
import { requirePrograms } from './support/processes.js'
import { recordingSpawn } from './support/spawn.js'

// What a send says when there is no notification service to talk to: each case names what is missing
// and how to fix it. No daemon is started here.

const context = (signal = new AbortController().signal) => ({ signal, attempt: 1 })
let dir: string
let emptyBin: string

beforeAll(async () => {
  await requirePrograms(['notify-send'])
  dir = await mkdtemp(join(tmpdir(), 'cashnotify-desktop-env-'))
  emptyBin = await mkdtemp(join(dir, 'bin-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function sendError(options: DesktopNotifierOptions): Promise<NotifierError> {
  const notifier = desktopNotifier({ cacheDir: join(dir, 'icons'), ...options })
  const error = await notifier.send(sampleNotification(), context()).catch((e: unknown) => e)
  await notifier.close?.()
  expect(error).toBeInstanceOf(NotifierError)
  return error as NotifierError
}

describe('no notification service', () => {
  it('says notify-send is missing and how to install it; not retryable', async () => {
    const error = await sendError({ platform: 'linux', env: { PATH: emptyBin, DISPLAY: ':0' } })
    expect(error.message).toBe(
      `[cashnotify] [desktop] Cannot show desktop notifications: \`notify-send\` was not found on PATH (${emptyBin}). ` +
        'Install it: `sudo apt-get install libnotify-bin` (Debian, Ubuntu), `sudo dnf install libnotify` (Fedora), ' +
        '`sudo pacman -S libnotify` (Arch).',
    )
    expect(error).toMatchObject({ notifier: 'desktop', retryable: false, retryAfterMs: undefined })
  })

  it('says there is no session bus and no display, and how to give one; not retryable', async () => {
    const { spawn, spawned } = recordingSpawn()
    const error = await sendError({ platform: 'linux', env: { PATH: process.env.PATH }, spawn })
    expect(error.message).toContain(
      'Cannot show desktop notifications: no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set and ' +
        'XDG_RUNTIME_DIR is not set) and no display (DISPLAY and WAYLAND_DISPLAY are not set).',
    )
    expect(error.message).toContain('DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/$(id -u)/bus')
    expect(error.retryable).toBe(false)
    expect(spawned).toEqual([]) // found out before running anything
  })

  it('names $XDG_RUNTIME_DIR/bus when the runtime directory has no bus', async () => {
    const error = await sendError({
      platform: 'linux',
      env: { PATH: process.env.PATH, XDG_RUNTIME_DIR: dir, WAYLAND_DISPLAY: 'wayland-0' },
    })
    expect(error.message).toContain(
      '(DBUS_SESSION_BUS_ADDRESS is not set and $XDG_RUNTIME_DIR/bus does not exist).',
    )
    expect(error.message).not.toContain('no display')
  })

  it('says the session bus cannot be reached; retryable after 30 s', async () => {
    const address = `unix:path=${join(dir, 'no-bus-here')}`
    const error = await sendError({
      platform: 'linux',
      env: { PATH: process.env.PATH, DBUS_SESSION_BUS_ADDRESS: address },
    })
    expect(error.message).toMatch(
      new RegExp(
        `^\\[cashnotify\\] \\[desktop\\] Cannot reach the D-Bus session bus \\(${address}\\): Could not connect`,
      ),
    )
    expect(error.message).toContain('Check that the session bus is running')
    expect(error).toMatchObject({ retryable: true, retryAfterMs: SERVICE_RETRY_AFTER_MS })
  })

  it('checkDesktopNotifier() finds the same problems without showing anything', async () => {
    await expect(checkDesktopNotifier({ platform: 'linux', env: { PATH: emptyBin } })).rejects.toThrow(
      /`notify-send` was not found on PATH/,
    )
    await expect(
      checkDesktopNotifier({ platform: 'linux', env: { PATH: process.env.PATH } }),
    ).rejects.toThrow(/no D-Bus session bus/)
    await expect(
      checkDesktopNotifier({
        platform: 'linux',
        env: { PATH: process.env.PATH, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent' },
      }),
    ).resolves.toBeUndefined()
  })

  it('refuses an unsupported platform, saying which are supported', async () => {
    const error = await sendError({ platform: 'aix' })
    expect(error.message).toBe(
      '[cashnotify] [desktop] Cannot show desktop notifications on aix: only macOS, Windows, Linux and the BSDs are supported.',
    )
    expect(error.retryable).toBe(false)
  })
})

describe('the send itself', () => {
  it('runs nothing when the signal is already aborted, and rejects with its reason', async () => {
    const { spawn, spawned } = recordingSpawn()
    const notifier = desktopNotifier({ spawn, env: {}, cacheDir: join(dir, 'icons') })
    const controller = new AbortController()
    const reason = new Error('stopping')
    controller.abort(reason)
    await expect(notifier.send(sampleNotification(), context(controller.signal))).rejects.toBe(reason)
    expect(spawned).toEqual([])
  })

  it('refuses to send once closed', async () => {
    const notifier = desktopNotifier({ env: {}, cacheDir: join(dir, 'icons') })
    await notifier.close?.()
    const error = await notifier.send(sampleNotification(), context()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NotifierError)
    expect(error).toMatchObject({ retryable: false })
    expect((error as Error).message).toContain('This notifier was closed')
  })
})
