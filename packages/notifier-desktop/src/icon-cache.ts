import { createHash, randomBytes } from 'node:crypto'
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  type AccountLogo,
  type Logger,
  type LogoContentType,
  MAX_LOGO_BYTES,
  sniffImageType,
} from '@cashnotify/core/notifier'
import { genericIcon } from './generic-logo.js'

/** Options of {@link IconCache}. */
export interface IconCacheOptions {
  /** The directory icons are written to (created when missing). */
  readonly dir: string
  /** Downloads logos known only by URL. */
  readonly fetch: typeof fetch
  /** Warnings: a logo that could not be downloaded or written. */
  readonly logger: Logger
  /** The longest a download may take, in ms. */
  readonly downloadTimeoutMs: number
  /** The clock, ms since epoch. @default Date.now */
  readonly now?: () => number
}

const EXTENSIONS: Readonly<Record<LogoContentType, string>> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/x-icon': 'ico',
}
/** After a failed download, the URL is not tried again for this long (the generic icon is used). */
const FAILURE_MEMORY_MS = 10 * 60_000

/**
 * Account logos as image files a notification server can read, one file per logo: written from the logo's
 * bytes, or downloaded once from its URL, then reused (in memory, and on disk across restarts). The generic
 * icon stands in for a missing or unreadable logo. Each notifier has its own cache object; files are shared.
 */
export class IconCache {
  readonly #options: IconCacheOptions
  readonly #now: () => number
  /** Cache key → the file, or the work producing it (so concurrent sends share one download). */
  readonly #files = new Map<string, Promise<string | undefined>>()
  /** URL → until when it is not downloaded again. */
  readonly #failedUntil = new Map<string, number>()

  constructor(options: IconCacheOptions) {
    this.#options = options
    this.#now = options.now ?? Date.now
  }

  /**
   * The icon file for a logo: its own image when it can be had, else the generic icon; `undefined` only
   * when not even that can be written (the notification is then shown without an icon).
   * @throws the signal's reason when it aborts (a download in progress goes on for the next caller).
   */
  async pathFor(logo: AccountLogo | undefined, signal: AbortSignal): Promise<string | undefined> {
    signal.throwIfAborted()
    if (logo?.data && logo.data.byteLength > 0) {
      const path = await this.#fromBytes(logo.data)
      if (path !== undefined || sniffImageType(logo.data) !== undefined) return path
      this.#options.logger.warn(
        `[desktop] The account logo is not a png, jpg, gif or ico image; using the generic icon.`,
      )
    } else if (logo?.url) {
      const path = await abortable(this.#fromUrl(logo.url), signal)
      if (path !== undefined) return path
    }
    return this.#fromBytes(genericIcon())
  }

  /** Writes the bytes once under their SHA-256; `undefined` when they are no image or cannot be written. */
  #fromBytes(data: Uint8Array): Promise<string | undefined> {
    const type = sniffImageType(data)
    if (type === undefined) return Promise.resolve(undefined)
    const file = join(this.#options.dir, `${sha256(data)}.${EXTENSIONS[type]}`)
    return this.#memo(`file:${file}`, async () => ((await this.#ensure(file, data)) ? file : undefined))
  }

  /** Finds the URL's file on disk, or downloads it once; `undefined` when that fails. */
  #fromUrl(url: string): Promise<string | undefined> {
    const until = this.#failedUntil.get(url)
    if (until !== undefined && until > this.#now()) return Promise.resolve(undefined)
    return this.#memo(`url:${url}`, async () => {
      const base = join(this.#options.dir, sha256(url))
      for (const extension of Object.values(EXTENSIONS)) {
        if (await isFile(`${base}.${extension}`)) return `${base}.${extension}`
      }
      const data = await this.#download(url)
      const type = data && sniffImageType(data)
      if (!data || !type) {
        this.#failedUntil.set(url, this.#now() + FAILURE_MEMORY_MS)
        return undefined
      }
      const file = `${base}.${EXTENSIONS[type]}`
      return (await this.#ensure(file, data)) ? file : undefined
    })
  }

  /** Shares one result per key; a key whose work produced nothing is tried afresh next time. */
  #memo(key: string, work: () => Promise<string | undefined>): Promise<string | undefined> {
    const known = this.#files.get(key)
    if (known) return known
    const promise = work().then((file) => {
      if (file === undefined) this.#files.delete(key)
      return file
    })
    this.#files.set(key, promise)
    return promise
  }

  /** The logo's bytes, or `undefined` (and a warning saying why) when they cannot be had. */
  async #download(url: string): Promise<Uint8Array | undefined> {
    const warn = (why: string): undefined => {
      this.#options.logger.warn(
        `[desktop] Could not download the account logo (${why}); using the generic icon. ` +
          `It is tried again in ${FAILURE_MEMORY_MS / 60_000} minutes.`,
        { host: hostOf(url) },
      )
      return undefined
    }
    if (!/^https?:\/\//i.test(url)) return warn('not an http(s) URL')
    try {
      const response = await this.#options.fetch(url, {
        signal: AbortSignal.timeout(this.#options.downloadTimeoutMs),
        redirect: 'follow',
      })
      if (!response.ok) {
        await response.body?.cancel()
        return warn(`HTTP ${response.status}`)
      }
      const data = await readAtMost(response, MAX_LOGO_BYTES)
      if (data === undefined) return warn(`larger than ${MAX_LOGO_BYTES} bytes`)
      if (sniffImageType(data) === undefined) return warn('not a png, jpg, gif or ico image')
      return data
    } catch (error) {
      return warn((error as Error).message)
    }
  }

  /** Makes sure the file holds the data: written to a temporary name, then renamed (never half a file). */
  async #ensure(file: string, data: Uint8Array): Promise<boolean> {
    if (await isFile(file)) return true
    const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
    try {
      await mkdir(this.#options.dir, { recursive: true, mode: 0o700 })
      await writeFile(temporary, data, { mode: 0o600 })
      await rename(temporary, file)
      return true
    } catch (error) {
      await rm(temporary, { force: true }).catch(() => undefined)
      this.#options.logger.warn(
        `[desktop] Could not write the icon cache at ${this.#options.dir}: ${(error as Error).message}. ` +
          'Set the `cacheDir` option to a writable directory.',
      )
      return false
    }
  }
}

/** The body, unless it is longer than `max` bytes (then `undefined`, and the rest is not read). */
async function readAtMost(response: Response, max: number): Promise<Uint8Array | undefined> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN)
  if (declared > max) {
    await response.body?.cancel()
    return undefined
  }
  if (!response.body) return new Uint8Array(await response.arrayBuffer())
  const chunks: Uint8Array[] = []
  let size = 0
  const reader = response.body.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > max) {
      await reader.cancel()
      return undefined
    }
    chunks.push(value)
  }
  return new Uint8Array(Buffer.concat(chunks))
}

/** Waits for the work unless the signal aborts first (then rejects with its reason; the work goes on). */
function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile()
  } catch {
    return false
  }
}

function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex')
}

/** Only the host is logged: a file link's path can grant access to the file. */
function hostOf(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return 'an invalid URL'
  }
}
