import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { type LiveFeedApp, startLiveFeed } from '../src/main.js'
import type { Summary } from '../src/views.js'

describe('startLiveFeed (what `npm start` runs)', { timeout: 30_000 }, () => {
  let app: LiveFeedApp | undefined

  beforeEach(() => void vi.spyOn(console, 'log').mockImplementation(() => {}))
  afterEach(async () => {
    await app?.close()
    app = undefined
    vi.restoreAllMocks()
  })

  const summary = async (): Promise<Summary> =>
    (await (await fetch(new URL('/summary.json', app?.url))).json()) as Summary

  it('runs against the simulator by default: two accounts of one business, and sales coming in', async () => {
    app = await startLiveFeed({ port: 0, interval: 300, poll: 1000 })
    expect(app.simulatorUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect((await summary()).accounts.map((a) => [a.name, a.mode, a.status])).toEqual([
      ['Northwind Coffee', 'live', 'active'],
      ['Sakura Tea House', 'live', 'active'],
    ])
    await expect.poll(async () => (await summary()).all.length, { timeout: 15_000 }).toBeGreaterThan(0)
  })

  it('makes no sales with traffic off (--no-traffic)', async () => {
    app = await startLiveFeed({ port: 0, traffic: false, poll: 1000 })
    const { accounts, all } = await summary()
    expect(accounts).toHaveLength(2)
    expect(all).toEqual([])
  })
})
