import { Redis } from 'ioredis'
import { afterEach, describe, expect, it } from 'vitest'
import { type RedisServer, startRedisServer } from '../src/testing/index.js'

const started: RedisServer[] = []
const clients: Redis[] = []
afterEach(async () => {
  for (const client of clients.splice(0)) client.disconnect()
  await Promise.all(started.splice(0).map((server) => server.stop()))
})

async function start(options: Parameters<typeof startRedisServer>[0] = {}): Promise<RedisServer> {
  const server = await startRedisServer(options)
  started.push(server)
  return server
}

function connect(url: string): Redis {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => 50 })
  client.on('error', () => {})
  clients.push(client)
  return client
}

describe('startRedisServer', () => {
  it('runs a real redis-server on a loopback port, with AOF and noeviction, and stops it', async () => {
    const server = await start()
    expect(server.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/)
    const client = connect(server.url)
    await client.connect()
    expect(await client.ping()).toBe('PONG')
    expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'yes'])
    expect(await client.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction'])
    await server.stop()
    expect(server.running).toBe(false)
    await expect(client.ping()).rejects.toThrow()
  })

  it('loses Redis mid-test and brings it back on the same port with what it had persisted', async () => {
    const server = await start()
    const client = connect(server.url)
    await client.connect()
    await client.set('kept', 'yes')
    await server.pause()
    await expect(client.get('kept')).rejects.toThrow()
    await server.resume()
    await expect.poll(() => client.get('kept').catch(() => 'not yet'), { timeout: 5000 }).toBe('yes')
  })

  it('requires the password it was started with', async () => {
    const server = await start({ password: 'p@ss word' })
    expect(server.url).toBe(`redis://:p%40ss%20word@127.0.0.1:${server.port}`)
    const anonymous = connect(`redis://127.0.0.1:${server.port}`)
    await anonymous.connect().catch(() => {})
    await expect(anonymous.get('x')).rejects.toThrow(/NOAUTH|closed/)
    const client = connect(server.url)
    await client.connect()
    expect(await client.ping()).toBe('PONG')
  })

  it('fails with the install command when the binary is missing, instead of skipping', async () => {
    await expect(startRedisServer({ binary: '/nonexistent/redis-server' })).rejects.toThrow(
      'apt-get install redis-server',
    )
  })
})
