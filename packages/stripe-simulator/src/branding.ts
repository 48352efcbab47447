import { unixSeconds } from './clock.js'
import { fileFixture } from './fixtures/file.js'
import { newId } from './ids.js'
import { samplePng, sniffImage } from './png.js'
import type { SimState } from './state.js'
import type { ModeData } from './store.js'

/** Stores a branding image as a file of both modes; returns its id (or null without an image). */
export function brandingFile(
  state: SimState,
  modes: readonly ModeData[],
  purpose: 'business_icon' | 'business_logo',
  image: Uint8Array | true | null | undefined,
): string | null {
  if (image === undefined || image === null) return null
  const bytes = image === true ? samplePng() : image.slice()
  const kind = sniffImage(bytes)
  if (kind === undefined) {
    throw new TypeError(`[stripe-simulator] Expected the ${purpose} image as PNG, JPEG or GIF bytes.`)
  }
  const id = newId(state.random, 'file')
  const created = unixSeconds(state.clock)
  for (const data of modes) {
    const file = {
      ...structuredClone(fileFixture),
      id,
      created,
      expires_at: null,
      filename: `${purpose}.${kind.type}`,
      purpose,
      size: bytes.byteLength,
      title: null,
      type: kind.type,
      url: null,
      links: { object: 'list' as const, data: [], has_more: false, url: `/v1/file_links?file=${id}` },
    }
    data.collection('file').insert(file, created)
  }
  state.files.set(id, { bytes, mime: kind.mime })
  return id
}
