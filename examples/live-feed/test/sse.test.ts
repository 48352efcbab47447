import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { formatSseComment, formatSseMessage, SseHub } from '../src/sse.js'

describe('formatSseMessage', () => {
  it('frames a named event with a JSON payload', () => {
    expect(formatSseMessage({ event: 'sale', data: { amount: '$49.00', n: 1 } })).toBe(
      'event: sale\ndata: {"amount":"$49.00","n":1}\n\n',
    )
  })

  it('sends a string as is, one data line per line, whatever the line ending', () => {
    expect(formatSseMessage({ data: 'one\ntwo\r\nthree\rfour' })).toBe(
      'data: one\ndata: two\ndata: three\ndata: four\n\n',
    )
    expect(formatSseMessage({ data: '' })).toBe('data: \n\n')
  })

  it('keeps a JSON payload on one line even when its strings hold line breaks', () => {
    const frame = formatSseMessage({ data: { name: 'Jane\nDoe' } })
    expect(frame).toBe('data: {"name":"Jane\\nDoe"}\n\n')
  })

  it('writes id and retry', () => {
    expect(formatSseMessage({ event: 'x', id: 'sale:pi_1', retry: 2000, data: 1 })).toBe(
      'event: x\nid: sale:pi_1\nretry: 2000\ndata: 1\n\n',
    )
  })

  it('refuses an event name or id with a line break, which would forge fields', () => {
    expect(() => formatSseMessage({ event: 'sale\ndata: forged', data: 1 })).toThrow(
      'Expected the SSE event to be one line, got a line break.',
    )
    expect(() => formatSseMessage({ id: 'a\rb', data: 1 })).toThrow('Expected the SSE id to be one line')
    expect(() => formatSseMessage({ retry: 1.5, data: 1 })).toThrow(
      'Expected the SSE retry to be a whole number',
    )
  })

  it('frames comments, which EventSource ignores', () => {
    expect(formatSseComment('keep-alive')).toBe(': keep-alive\n\n')
    expect(formatSseComment('a\nb')).toBe(': a\n: b\n\n')
  })
})

/** Reads a stream until what was read contains `text` (bounded by the test's timeout). */
async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, text: string): Promise<string> {
  const decoder = new TextDecoder()
  let seen = ''
  while (!seen.includes(text)) {
    const { done, value } = await reader.read()
    if (done) throw new Error(`The stream ended before "${text}"; it sent: ${JSON.stringify(seen)}`)
    seen += decoder.decode(value, { stream: true })
  }
  return seen
}

describe('SseHub over HTTP', () => {
  let server: Server | undefined
  let hub: SseHub | undefined

  afterEach(async () => {
    hub?.close()
    server?.closeAllConnections()
    await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined))
  })

  async function start(options: ConstructorParameters<typeof SseHub>[0] = {}): Promise<string> {
    const sseHub = new SseHub({ heartbeatMs: 0, ...options })
    hub = sseHub
    server = createServer((request, response) =>
      sseHub.connect(request, response, [{ event: 'snapshot', data: { hello: 'world' } }]),
    )
    const listening = server
    await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve))
    return `http://127.0.0.1:${(listening.address() as AddressInfo).port}/`
  }

  it('answers with an event stream: headers, retry delay, then the initial events', async () => {
    const url = await start({ retryMs: 1500 })
    const response = await fetch(url)
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8')
    expect(response.headers.get('cache-control')).toBe('no-cache, no-transform')
    const reader = response.body!.getReader()
    const text = await readUntil(reader, '"world"}\n\n')
    expect(text).toBe('retry: 1500\n\nevent: snapshot\ndata: {"hello":"world"}\n\n')
    await reader.cancel()
  })

  it('broadcasts to every open stream, and forgets a stream its client closed', async () => {
    const url = await start()
    const a = (await fetch(url)).body!.getReader()
    const b = (await fetch(url)).body!.getReader()
    await readUntil(a, 'world')
    await readUntil(b, 'world')
    expect(hub?.size).toBe(2)

    hub?.broadcast({ event: 'sale', data: { id: 1 } })
    expect(await readUntil(a, '{"id":1}')).toContain('event: sale\ndata: {"id":1}\n\n')
    expect(await readUntil(b, '{"id":1}')).toContain('event: sale\ndata: {"id":1}\n\n')

    await b.cancel()
    await expect.poll(() => hub?.size, { timeout: 5_000 }).toBe(1)
    hub?.broadcast({ event: 'sale', data: { id: 2 } })
    expect(await readUntil(a, '{"id":2}')).toContain('{"id":2}')
    await a.cancel()
  })

  it('sends keep-alive comments and calls onHeartbeat', async () => {
    let beats = 0
    const url = await start({ heartbeatMs: 20, onHeartbeat: () => void beats++ })
    const reader = (await fetch(url)).body!.getReader()
    expect(await readUntil(reader, ': keep-alive\n\n')).toContain(': keep-alive\n\n')
    expect(beats).toBeGreaterThan(0)
    await reader.cancel()
  })

  it('ends every stream on close', async () => {
    const url = await start()
    const reader = (await fetch(url)).body!.getReader()
    await readUntil(reader, 'world')
    hub?.close()
    expect(hub?.size).toBe(0)
    let done = false
    while (!done) done = (await reader.read()).done
    expect(done).toBe(true)
  })
})
