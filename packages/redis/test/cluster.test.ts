import { afterEach, describe, expect, it } from 'vitest'
import { type RedisCluster, redisCluster } from '../src/cluster.js'
import type { RedisClusterOptions } from '../src/options.js'
import { maskRedisUrl } from '../src/redis-url.js'
import { quietLogger, sleep, useRedis } from './use-redis.js'

const PASSWORD = 'Sup3r-s3cret!'
const redis = useRedis({ password: PASSWORD })
const open: RedisCluster[] = []
afterEach(async () => {
  await Promise.all(open.splice(0).map((cluster) => cluster.close()))
})

let prefixes = 0
function cluster(options: Partial<RedisClusterOptions> = {}): RedisCluster {
  const created = redisCluster({
    url: redis.server().url,
    prefix: `cluster${++prefixes}`,
    leaseTtlMs: 1000,
    logger: quietLogger,
    ...options,
  })
  open.push(created)
  return created
}

/** Every message of an error and its causes, and their stacks. */
function everything(error: unknown): string {
  const parts: string[] = []
  for (let e = error; e instanceof Error; e = e.cause) parts.push(e.message, e.stack ?? '')
  return parts.join('\n')
}

describe('maskRedisUrl', () => {
  it('shows everything but the password, and drops the query', () => {
    expect(maskRedisUrl('redis://:pw@cache.internal:6379/2')).toBe('redis://:…@cache.internal:6379/2')
    expect(maskRedisUrl('rediss://app:pw@cache.internal')).toBe('rediss://app:…@cache.internal')
    expect(maskRedisUrl('redis://127.0.0.1:6379?password=pw')).toBe('redis://127.0.0.1:6379')
    expect(maskRedisUrl('not a url with pw')).toBe('…')
  })
})

describe('redisCluster', () => {
  it('refuses invalid options at once, without echoing the URL', () => {
    const error = (() => {
      try {
        redisCluster({ url: 'http://:hunter2@host', leaseTtlMs: 5 })
      } catch (thrown) {
        return thrown
      }
    })()
    expect(error).toMatchObject({ name: 'ConfigError', code: 'config_invalid' })
    expect((error as Error).message).toContain('`url`')
    expect((error as Error).message).toContain('`leaseTtlMs`')
    expect(everything(error)).not.toContain('hunter2')
  })

  it('names the masked URL, never the password, when Redis is unreachable at start', async () => {
    const url = `redis://:${PASSWORD}@127.0.0.1:${redis.server().port + 1}`
    const started = Date.now()
    const error = await cluster({ url, connectTimeoutMs: 1000 })
      .start()
      .then(
        () => undefined,
        (thrown: unknown) => thrown,
      )
    expect(Date.now() - started).toBeLessThan(3000)
    expect(error).toMatchObject({ name: 'RedisClusterError', reason: 'redis_unavailable', retryable: true })
    expect((error as Error).message).toContain(`redis://:…@127.0.0.1:${redis.server().port + 1}`)
    expect((error as Error).message).toContain('ECONNREFUSED')
    expect(everything(error)).not.toContain(PASSWORD)
  })

  it('says so, without the password, when the password is wrong', async () => {
    const url = `redis://:wrong-${PASSWORD}@127.0.0.1:${redis.server().port}`
    const error = await cluster({ url, connectTimeoutMs: 1000 })
      .start()
      .catch((thrown: unknown) => thrown)
    expect(error).toMatchObject({ reason: 'redis_unavailable' })
    expect((error as Error).message).toMatch(/WRONGPASS|invalid/i)
    expect(everything(error)).not.toContain(PASSWORD)
  })

  it('refuses a second cluster with another configuration on the same prefix, names what differs', async () => {
    await cluster({ prefix: 'shop' }).start()
    await cluster({ prefix: 'shop', processId: 'same-config' }).start()
    const other = cluster({ prefix: 'shop', leaseTtlMs: 5000, fingerprint: { notifiers: 'webhook' } })
    const error = await other.start().catch((thrown: unknown) => thrown)
    expect(error).toMatchObject({
      name: 'RedisClusterError',
      reason: 'prefix_conflict',
      code: 'config_invalid',
    })
    const { message } = error as Error
    expect(message).toContain('`shop`')
    expect(message).toContain('leaseTtlMs: 1000 there, 5000 here')
    expect(message).toContain('notifiers: unset there, "webhook" here')
    expect(message).toContain('redis://:…@127.0.0.1')
    expect(message).not.toContain(PASSWORD)
    // Its own prefix, or taking the prefix over on purpose, starts.
    await cluster({ prefix: 'shop2', leaseTtlMs: 5000 }).start()
    await cluster({ prefix: 'shop', leaseTtlMs: 5000, replaceConfig: true }).start()
  })

  it('shares state through Keyv, and refuses the fenced writes of a process that lost its lease', async () => {
    const a = cluster({ prefix: 'state', processId: 'a', leaseTtlMs: 300 })
    const b = cluster({ prefix: 'state', processId: 'b', leaseTtlMs: 300 })
    await Promise.all([a.start(), b.start()])
    await a.store.set('cashnotify:delivery:index', ['x'])
    expect(await b.store.get('cashnotify:delivery:index')).toEqual(['x'])

    const claim = await a.leases.claim('acct_1/live')
    if (!claim.claimed) throw new Error('expected a claim')
    const fenced = a.fencedStore(claim.lease)
    await fenced.set('cashnotify:poll:acct_1/live', { cursor: 'evt_1' })
    // Written in Keyv's format: a plain Keyv store of any process reads it.
    expect(await b.store.get('cashnotify:poll:acct_1/live')).toEqual({ cursor: 'evt_1' })
    expect(await fenced.get('cashnotify:poll:acct_1/live')).toEqual({ cursor: 'evt_1' })
    await fenced.set('cashnotify:push:acct_1/live:inbox', [1], 60_000)
    expect(await b.store.get('cashnotify:push:acct_1/live:inbox')).toEqual([1])

    await sleep(350)
    const taken = await b.leases.claim('acct_1/live')
    if (!taken.claimed) throw new Error('expected b to take over')
    await b.fencedStore(taken.lease).set('cashnotify:poll:acct_1/live', { cursor: 'evt_2' })
    await expect(fenced.set('cashnotify:poll:acct_1/live', { cursor: 'stale' })).rejects.toMatchObject({
      reason: 'lease_lost',
    })
    await expect(fenced.delete('cashnotify:poll:acct_1/live')).rejects.toMatchObject({ reason: 'lease_lost' })
    expect(await a.store.get('cashnotify:poll:acct_1/live')).toEqual({ cursor: 'evt_2' })
  })

  it('while Redis is lost, renewals and budgets fail fast (no lease is trusted); it resumes when Redis returns', async () => {
    const warnings: string[] = []
    const logger = { ...quietLogger, warn: (message: string) => warnings.push(message) }
    const a = cluster({ prefix: 'lost', processId: 'a', leaseTtlMs: 1000, logger })
    await a.start()
    const accounts = ['acct_1/live', 'acct_2/live']
    expect((await a.balancer.tick(accounts)).held).toEqual(accounts)
    const lease = a.balancer.lease('acct_1/live')!
    const budget = a.budget({ ref: 'acct_1/live', mode: 'live' })
    expect(await budget.tryAcquire('GET /v1/events')).toBe(0)

    await redis.server().pause('SIGKILL')
    const started = Date.now()
    await expect(a.balancer.tick(accounts)).rejects.toThrow()
    await expect(budget.tryAcquire('GET /v1/events')).rejects.toThrow()
    expect(Date.now() - started).toBeLessThan(1000)
    // Nothing renewed it: on this process's clock the lease runs out at its TTL, not later.
    expect(a.balancer.lease('acct_1/live')!.validUntil).toBe(lease.validUntil)
    await expect.poll(() => warnings.length).toBeGreaterThan(0)
    expect(warnings.join('\n')).toContain('redis://:…@127.0.0.1')
    expect(warnings.join('\n')).not.toContain(PASSWORD)

    await redis.server().resume()
    await expect
      .poll(
        () =>
          a.balancer.tick(accounts).then(
            (result) => result.held,
            () => [],
          ),
        { timeout: 5000 },
      )
      .toEqual(accounts)
    expect(await budget.tryAcquire('GET /v1/events')).toBe(0)
  }, 15_000)
})
