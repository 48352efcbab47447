import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { customLogo, genericLogo } from '../src/accounts/logo.js'
import { ConfigError } from '../src/index.js'
import { sniffImageType } from '../src/notifier.js'

const png = genericLogo().data as Uint8Array
const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46])
const gif = new TextEncoder().encode('GIF89a\x01\x00\x01\x00')
const ico = Uint8Array.from([0, 0, 1, 0, 1, 0, 16, 16])

async function logoError(input: Uint8Array | string, max?: number): Promise<ConfigError> {
  const error = await customLogo(input, max).catch((e: unknown) => e)
  if (error instanceof ConfigError) return error
  throw new Error(`logo accepted: ${String(error)}`)
}

describe('custom logos', () => {
  it.each([
    ['png', png, 'image/png'],
    ['jpg', jpeg, 'image/jpeg'],
    ['gif', gif, 'image/gif'],
    ['ico', ico, 'image/x-icon'],
  ] as const)('accepts a %s by its content', async (_name, data, type) => {
    expect(sniffImageType(data)).toBe(type)
    expect(await customLogo(data)).toEqual({ source: 'custom', contentType: type, data })
  })

  it('reads a logo from a path, judging the content and not the file name', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cn-logo-'))
    await writeFile(join(dir, 'logo.txt'), png)
    await writeFile(join(dir, 'logo.png'), '<svg xmlns="http://www.w3.org/2000/svg"/>')
    expect((await customLogo(join(dir, 'logo.txt'))).contentType).toBe('image/png')
    const error = await logoError(join(dir, 'logo.png'))
    expect(error.code).toBe('logo_invalid')
    expect(error.message).toContain('png, jpg, gif or ico image, got an SVG image')
  })

  it('refuses a wrong type, saying what it got', async () => {
    expect((await logoError(new TextEncoder().encode('%PDF-1.7'))).message).toContain('got a PDF document')
    expect((await logoError(new TextEncoder().encode('hello'))).message).toContain('unrecognised content')
  })

  it('refuses a logo over the size limit and a missing file', async () => {
    expect((await logoError(png, 10)).message).toContain(`at most 10 bytes, got ${png.byteLength}`)
    expect((await logoError('/nonexistent/logo.png')).message).toContain('Could not read the custom logo')
  })

  it('ships a generic logo that is a real PNG', () => {
    const logo = genericLogo()
    expect(logo.source).toBe('generic')
    expect(sniffImageType(logo.data as Uint8Array)).toBe('image/png')
  })
})
