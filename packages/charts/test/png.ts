/**
 * Reads a PNG as the tests need it: its header's dimensions, and its pixels (8-bit RGB or RGBA, not
 * interlaced: what resvg writes), decoded with `node:zlib` so that the bytes themselves are checked.
 */
import { inflateSync } from 'node:zlib'

/** The eight bytes every PNG starts with. */
export const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

export interface DecodedPng {
  readonly width: number
  readonly height: number
  /** RGBA, four bytes a pixel, row after row. */
  readonly rgba: Uint8Array
}

/** The chunks of a PNG, by type, in order. */
function chunks(png: Uint8Array): { type: string; data: Buffer }[] {
  const bytes = Buffer.from(png)
  const found: { type: string; data: Buffer }[] = []
  for (let at = 8; at < bytes.length; ) {
    const length = bytes.readUInt32BE(at)
    found.push({
      type: bytes.toString('latin1', at + 4, at + 8),
      data: bytes.subarray(at + 8, at + 8 + length),
    })
    at += 12 + length
  }
  return found
}

/** The width and height the IHDR chunk states. */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  const header = chunks(png).find((chunk) => chunk.type === 'IHDR')
  if (!header) throw new Error('no IHDR chunk')
  return { width: header.data.readUInt32BE(0), height: header.data.readUInt32BE(4) }
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c
  const pa = Math.abs(p - a)
  const pb = Math.abs(p - b)
  const pc = Math.abs(p - c)
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c
}

/** Every pixel of the PNG, unfiltered. */
export function decodePng(png: Uint8Array): DecodedPng {
  const all = chunks(png)
  const header = all.find((chunk) => chunk.type === 'IHDR')?.data
  if (!header) throw new Error('no IHDR chunk')
  const [width, height] = [header.readUInt32BE(0), header.readUInt32BE(4)]
  const [depth, colorType, , , interlace] = [header[8], header[9], header[10], header[11], header[12]]
  if (depth !== 8 || (colorType !== 2 && colorType !== 6) || interlace !== 0) {
    throw new Error(`unsupported PNG: depth ${depth}, colour type ${colorType}, interlace ${interlace}`)
  }
  const channels = colorType === 6 ? 4 : 3
  const stride = width * channels
  const raw = inflateSync(Buffer.concat(all.filter((chunk) => chunk.type === 'IDAT').map((c) => c.data)))
  const pixels = new Uint8Array(stride * height)
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x] ?? 0
      const left = x >= channels ? (pixels[y * stride + x - channels] ?? 0) : 0
      const up = y > 0 ? (pixels[(y - 1) * stride + x] ?? 0) : 0
      const corner = x >= channels && y > 0 ? (pixels[(y - 1) * stride + x - channels] ?? 0) : 0
      const predicted = [0, left, up, (left + up) >> 1, paeth(left, up, corner)][filter ?? 0] ?? 0
      pixels[y * stride + x] = (value + predicted) & 0xff
    }
  }
  const rgba = new Uint8Array(width * height * 4)
  for (let i = 0; i < width * height; i++) {
    for (let c = 0; c < 4; c++) rgba[i * 4 + c] = c < channels ? (pixels[i * channels + c] ?? 0) : 255
  }
  return { width, height, rgba }
}

/** How many pixels have each colour (`#rrggbbaa`). */
export function colourCounts(png: DecodedPng): Map<string, number> {
  const counts = new Map<string, number>()
  for (let i = 0; i < png.rgba.length; i += 4) {
    const key = `#${Array.from(png.rgba.subarray(i, i + 4), (b) => b.toString(16).padStart(2, '0')).join('')}`
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  return counts
}
