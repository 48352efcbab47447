import { crc32, inflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { ManualClock, StripeSimulator, samplePng } from '../src/index.js'
import { errorOf, rejection, startSimulator } from './helpers.js'

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

describe('account, files and file links', () => {
  it('serves the account with name, display name, country and null branding by default', async () => {
    const { sim, stripe } = await startSimulator()
    const account = sim.createAccount({ businessName: 'Shop', displayName: 'Shop Dash', country: 'FR' })
    const key = sim.createKey({
      account: account.id,
      kind: 'restricted',
      mode: 'live',
      permissions: ['rak_connected_account_read'],
    })
    const served = await stripe(key).accounts.retrieveCurrent()
    expect(served).toMatchObject({
      id: account.id,
      object: 'account',
      country: 'FR',
      default_currency: 'eur',
      business_profile: { name: 'Shop' },
      settings: { dashboard: { display_name: 'Shop Dash' }, branding: { icon: null, logo: null } },
    })
    expect(account.id).toMatch(/^acct_[A-Za-z0-9]{16}$/)
  })

  it('makes icon and logo files, retrievable and linkable, whose public link serves the image bytes without auth', async () => {
    const { sim, stripe, server } = await startSimulator()
    const logo = samplePng({ size: 4, rgb: [255, 0, 0] })
    const account = sim.createAccount({ icon: true, logo })
    const key = sim.createKey({
      account: account.id,
      kind: 'restricted',
      mode: 'live',
      permissions: ['rak_connected_account_read', 'rak_file_write'],
    })
    const client = stripe(key)
    const served = await client.accounts.retrieveCurrent()
    const iconId = served.settings?.branding?.icon as string
    expect(iconId).toMatch(/^file_[A-Za-z0-9]{24}$/)
    const file = await client.files.retrieve(iconId)
    expect(file).toMatchObject({ id: iconId, object: 'file', purpose: 'business_icon', type: 'png' })
    const link = await client.fileLinks.create({ file: served.settings?.branding?.logo as string })
    expect(link).toMatchObject({ object: 'file_link', expired: false, expires_at: null, livemode: true })
    expect(link.url).toMatch(new RegExp(`^${server.url}/links/MDB8[A-Za-z0-9]+$`))
    const image = await fetch(link.url as string) // no Authorization header
    expect(image.status).toBe(200)
    expect(image.headers.get('content-type')).toBe('image/png')
    const bytes = new Uint8Array(await image.arrayBuffer())
    expect([...bytes]).toEqual([...logo])
    const icon = new Uint8Array(
      await (await fetch((await client.fileLinks.create({ file: iconId })).url as string)).arrayBuffer(),
    )
    expect([...icon.slice(0, 8)]).toEqual(PNG_MAGIC)
    expect((await client.files.retrieve(iconId)).links?.data).toHaveLength(1)
  })

  it('expires links by the simulator clock, and refuses links to unknown files or in the past', async () => {
    const clock = new ManualClock(Date.UTC(2025, 0, 1))
    const { sim, stripe } = await startSimulator({ clock })
    const account = sim.createAccount({ icon: true })
    const key = sim.createKey({ account: account.id, kind: 'secret', mode: 'test' })
    const client = stripe(key)
    const now = clock.now() / 1000
    const link = await client.fileLinks.create({ file: account.icon as string, expires_at: now + 60 })
    expect((await fetch(link.url as string)).status).toBe(200)
    clock.advance(61_000)
    const expired = await fetch(link.url as string)
    expect(expired.status).toBe(404)
    expect((await errorOf(expired)).message).toBe('This file link has expired.')
    expect((await client.fileLinks.retrieve(link.id)).expired).toBe(true)
    const unknown = await rejection(client.fileLinks.create({ file: 'file_nope' }))
    expect(unknown).toMatchObject({
      statusCode: 400,
      code: 'resource_missing',
      param: 'file',
      message: "No such file upload: 'file_nope'",
    })
    const past = await rejection(
      client.fileLinks.create({ file: account.icon as string, expires_at: now - 1 }),
    )
    expect(past.param).toBe('expires_at')
    const missing = await rejection(client.fileLinks.create({} as never))
    expect(missing).toMatchObject({ code: 'parameter_missing', param: 'file' })
  })

  it('replays a POST by Idempotency-Key instead of creating a second link', async () => {
    const { sim, call } = await startSimulator()
    const account = sim.createAccount({ icon: true })
    const key = sim.createKey({ account: account.id, kind: 'secret', mode: 'test' })
    const post = (body: string) =>
      call('/v1/file_links', { key, method: 'POST', body, headers: { 'Idempotency-Key': 'idem-1' } })
    const first = await post(`file=${account.icon}`)
    const again = await post(`file=${account.icon}`)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    expect(((await again.json()) as { id: string }).id).toBe(((await first.json()) as { id: string }).id)
    expect(sim.store(account.id, false).list('file_link')).toHaveLength(1)
    const other = await post(`file=${account.icon}&expires_at=9999999999`)
    expect(other.status).toBe(400)
    expect((await errorOf(other)).type).toBe('idempotency_error')
  })

  it('refuses branding that is not an image and produces a valid PNG', () => {
    const sim = new StripeSimulator()
    expect(() => sim.createAccount({ icon: new Uint8Array([1, 2, 3]) })).toThrow(
      'Expected the business_icon image as PNG, JPEG or GIF bytes.',
    )
    const png = Buffer.from(samplePng())
    expect([...png.subarray(0, 8)]).toEqual(PNG_MAGIC)
    // Walk the chunks: every CRC must hold and IDAT must inflate to 16 rows of (filter byte + 16 RGB pixels).
    const chunks: string[] = []
    for (let at = 8; at < png.length; ) {
      const length = png.readUInt32BE(at)
      const typeAndData = png.subarray(at + 4, at + 8 + length)
      expect(png.readUInt32BE(at + 8 + length)).toBe(crc32(typeAndData))
      const type = typeAndData.subarray(0, 4).toString('ascii')
      if (type === 'IDAT') expect(inflateSync(typeAndData.subarray(4)).length).toBe(16 * (1 + 16 * 3))
      chunks.push(type)
      at += 12 + length
    }
    expect(chunks).toEqual(['IHDR', 'IDAT', 'IEND'])
    expect(png.readUInt32BE(16)).toBe(16)
  })
})
