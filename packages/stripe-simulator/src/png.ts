import { crc32, deflateSync } from 'node:zlib'

/**
 * A real, valid PNG of `size` x `size` pixels in one colour: the icon/logo the simulator serves for
 * accounts created with `icon: true` / `logo: true`.
 */
export function samplePng(
  options: { size?: number; rgb?: readonly [number, number, number] } = {},
): Uint8Array<ArrayBuffer> {
  const size = options.size ?? 16
  const [r, g, b] = options.rgb ?? [99, 91, 255] // Stripe's blurple
  const row = Buffer.alloc(1 + size * 3) // filter byte 0, then RGB triplets
  for (let x = 0; x < size; x++) row.set([r, g, b], 1 + x * 3)
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(size, 0)
  ihdr.writeUInt32BE(size, 4)
  ihdr.set([8, 2, 0, 0, 0], 8) // 8-bit depth, truecolour, deflate, no filter, no interlace
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  const idat = deflateSync(Buffer.concat(Array.from({ length: size }, () => row)))
  return new Uint8Array(
    Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]),
  )
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.length, 0)
  head.write(type, 4, 'ascii')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0)
  return Buffer.concat([head, data, crc])
}

/** An image type Stripe accepts for branding, as the file object's `type` and the served content type. */
export interface ImageType {
  readonly type: 'png' | 'jpg' | 'gif'
  readonly mime: string
}

/** Recognises PNG, JPEG and GIF by their magic bytes (what a branding upload may be). */
export function sniffImage(bytes: Uint8Array): ImageType | undefined {
  const starts = (...magic: number[]): boolean => magic.every((byte, i) => bytes[i] === byte)
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return { type: 'png', mime: 'image/png' }
  if (starts(0xff, 0xd8, 0xff)) return { type: 'jpg', mime: 'image/jpeg' }
  if (starts(0x47, 0x49, 0x46, 0x38)) return { type: 'gif', mime: 'image/gif' }
  return undefined
}
