import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AccountLogo } from '@cashnotify/core/notifier'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { genericIcon } from '../src/generic-logo.js'
import { IconCache } from '../src/icon-cache.js'
import { LOGO_PNG, type LogoServer, startLogoServer } from './support/logo-server.js'

const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex')
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46])
let dir: string
let server: LogoServer
let count = 0

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cashnotify-icons-test-'))
  server = await startLogoServer()
})
afterAll(async () => {
  await server.close()
  await rm(dir, { recursive: true, force: true })
})

function cache(options: { dir?: string; now?: () => number } = {}) {
  const logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() }
  const fetch = vi.fn(globalThis.fetch)
  const icons = new IconCache({
    dir: options.dir ?? join(dir, `cache-${++count}`),
    fetch,
    logger,
    downloadTimeoutMs: 5_000,
    ...(options.now ? { now: options.now } : {}),
  })
  return { icons, logger, fetch, dir: options.dir ?? join(dir, `cache-${count}`) }
}
const signal = () => new AbortController().signal

describe('IconCache', () => {
  it('writes a logo given by its bytes once, named by their SHA-256 and real type', async () => {
    const { icons, dir: cacheDir } = cache()
    const logo: AccountLogo = { source: 'custom', contentType: 'image/jpeg', data: JPEG }
    const path = await icons.pathFor(logo, signal())
    expect(path).toBe(join(cacheDir, `${sha256(JPEG)}.jpg`))
    expect(new Uint8Array(await readFile(path!))).toEqual(JPEG)
    expect(await icons.pathFor(logo, signal())).toBe(path)
  })

  it('uses the generic icon, and warns, when the bytes are not an image', async () => {
    const { icons, logger, dir: cacheDir } = cache()
    const path = await icons.pathFor({ source: 'custom', data: new TextEncoder().encode('<svg/>') }, signal())
    expect(path).toBe(join(cacheDir, `${sha256(genericIcon())}.png`))
    expect(logger.warn).toHaveBeenCalledWith(expect.stringMatching(/not a png, jpg, gif or ico image/))
  })

  it.each([
    ['/text', 'not a png, jpg, gif or ico image'],
    ['/huge', 'larger than 1048576 bytes'],
    ['/missing', 'HTTP 404'],
  ])('uses the generic icon when %s cannot be a logo (%s)', async (path, why) => {
    const { icons, logger, dir: cacheDir } = cache()
    expect(await icons.pathFor({ source: 'stripe', url: server.url(path) }, signal())).toBe(
      join(cacheDir, `${sha256(genericIcon())}.png`),
    )
    expect(logger.warn.mock.calls[0]?.[0]).toContain(`(${why})`)
    // Only the host is logged: a file link's path can grant access to the file.
    expect(logger.warn.mock.calls[0]?.[1]).toEqual({ host: new URL(server.url(path)).host })
  })

  it('never fetches a URL that is not http(s)', async () => {
    const { icons, fetch, logger } = cache()
    await icons.pathFor({ source: 'stripe', url: 'file:///etc/passwd' }, signal())
    expect(fetch).not.toHaveBeenCalled()
    expect(logger.warn.mock.calls[0]?.[0]).toContain('(not an http(s) URL)')
  })

  it('tries a failed URL again only after 10 minutes', async () => {
    let now = 0
    const { icons } = cache({ now: () => now })
    const logo: AccountLogo = { source: 'stripe', url: server.url('/missing?retry') }
    await icons.pathFor(logo, signal())
    await icons.pathFor(logo, signal())
    expect(server.hits('/missing?retry')).toBe(1)
    now += 10 * 60_000 + 1
    await icons.pathFor(logo, signal())
    expect(server.hits('/missing?retry')).toBe(2)
  })

  it('gives no icon, and says which option to set, when the cache directory cannot be written', async () => {
    const file = join(dir, 'a-file')
    await writeFile(file, '')
    const { icons, logger } = cache({ dir: join(file, 'icons') })
    expect(await icons.pathFor({ source: 'custom', data: LOGO_PNG }, signal())).toBeUndefined()
    expect(logger.warn.mock.calls[0]?.[0]).toMatch(
      /Could not write the icon cache at .*Set the `cacheDir` option/,
    )
  })

  it('rejects with the signal’s reason when aborted during a download, which goes on for the next caller', async () => {
    const { icons } = cache()
    const controller = new AbortController()
    const logo: AccountLogo = { source: 'stripe', url: server.url('/hang') }
    const requested = server.nextRequest('/hang')
    const first = icons.pathFor(logo, controller.signal)
    const second = icons.pathFor(logo, signal())
    await requested
    const reason = new Error('stop')
    controller.abort(reason)
    await expect(first).rejects.toBe(reason)
    expect(server.hits('/hang')).toBe(1)
    server.releaseHanging()
    expect(await second).toMatch(/\.png$/) // the same download, answered 404: the generic icon
  })

  it('reads an existing file for a URL instead of downloading it again (e.g. after a restart)', async () => {
    const cacheDir = join(dir, 'shared')
    const url = server.url('/logo-restart.png')
    const before = cache({ dir: cacheDir })
    const path = await before.icons.pathFor({ source: 'stripe', url }, signal())
    const after = cache({ dir: cacheDir })
    expect(await after.icons.pathFor({ source: 'stripe', url }, signal())).toBe(path)
    expect(after.fetch).not.toHaveBeenCalled()
    expect(path).toBe(join(cacheDir, `${sha256(url)}.png`))
  })
})
