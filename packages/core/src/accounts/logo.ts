import { readFile } from 'node:fs/promises'
import { ConfigError } from '../shared/errors.js'

/** The image types a custom logo may have, as the product accepts them. */
export type LogoContentType = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/x-icon'

/** An account's logo: where it came from, and either its public URL or its bytes. */
export interface AccountLogo {
  /** `stripe` (the account's branding icon), `custom` (given by the app) or `generic`. */
  readonly source: 'stripe' | 'custom' | 'generic'
  /** The image type; absent for a Stripe logo known only by URL. */
  readonly contentType?: LogoContentType
  /** A public URL of the image (Stripe's file link). */
  readonly url?: string
  /** The image itself (custom and generic logos). */
  readonly data?: Uint8Array
}

/** A custom logo larger than this is refused. @default 1 MiB */
export const MAX_LOGO_BYTES = 1024 * 1024

const SIGNATURES: ReadonlyArray<{ type: LogoContentType; bytes: readonly number[] }> = [
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { type: 'image/gif', bytes: [0x47, 0x49, 0x46, 0x38] },
  { type: 'image/x-icon', bytes: [0x00, 0x00, 0x01, 0x00] },
]

/** The image type of some bytes, judged by their content (never by a file name). */
export function sniffImageType(data: Uint8Array): LogoContentType | undefined {
  return SIGNATURES.find(({ bytes }) => bytes.every((byte, i) => data[i] === byte))?.type
}

function describe(data: Uint8Array): string {
  const text = new TextDecoder().decode(data.subarray(0, 64))
  if (/^\s*<(\?xml|svg)/i.test(text)) return 'an SVG image'
  if (text.startsWith('%PDF')) return 'a PDF document'
  if (text.startsWith('RIFF') && text.slice(8, 12) === 'WEBP') return 'a WebP image'
  return `unrecognised content (first bytes ${Buffer.from(data.subarray(0, 4)).toString('hex') || 'none'})`
}

/**
 * Checks a custom logo (bytes, or a path to read) and returns it as an {@link AccountLogo}.
 *
 * @throws {@link ConfigError} with code `logo_invalid` when it is not png/jpg/gif/ico or is too large.
 */
export async function customLogo(
  input: Uint8Array | string,
  maxBytes = MAX_LOGO_BYTES,
): Promise<AccountLogo> {
  let data: Uint8Array
  try {
    data = typeof input === 'string' ? new Uint8Array(await readFile(input)) : input
  } catch (error) {
    throw new ConfigError(`Could not read the custom logo at ${input}: ${(error as Error).message}`, {
      code: 'logo_invalid',
      cause: error,
    })
  }
  if (data.byteLength > maxBytes) {
    throw new ConfigError(
      `Expected the custom logo to be at most ${maxBytes} bytes, got ${data.byteLength}.`,
      {
        code: 'logo_invalid',
      },
    )
  }
  const contentType = sniffImageType(data)
  if (!contentType) {
    throw new ConfigError(
      `Expected the custom logo to be a png, jpg, gif or ico image, got ${describe(data)}.`,
      {
        code: 'logo_invalid',
      },
    )
  }
  return { source: 'custom', contentType, data }
}

/** A 16×16 PNG in Stripe's blurple: the logo of an account whose own logo cannot be read. */
const GENERIC_LOGO_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAIAAACQkWg2AAAAFklEQVR42mNIjv5PEmIY1TCqYfhqAAD26L0QVYzjXgAAAABJRU5ErkJggg=='

/** The generic logo. A new object each time: callers may hold on to it. */
export function genericLogo(): AccountLogo {
  return {
    source: 'generic',
    contentType: 'image/png',
    data: new Uint8Array(Buffer.from(GENERIC_LOGO_PNG, 'base64')),
  }
}
