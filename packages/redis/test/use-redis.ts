/**
 * One real redis-server per test file, started before its tests and stopped after them, and clients
 * that are closed with it. Each test gets its own key prefix, so tests never see each other's keys.
 */
import type { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { createRedis } from '../src/connect.js'
import { type ClusterKeys, clusterKeys } from '../src/keys.js'
import { type RedisServer, type RedisServerOptions, startRedisServer } from '../src/testing/index.js'

/** What a test file gets. */
export interface UseRedis {
  /** The running server. */
  server(): RedisServer
  /** A new connected client (closed after the test). */
  client(kind?: 'commands' | 'queue'): Promise<Redis>
  /** Keys under a prefix no other test uses. */
  keys(): ClusterKeys
}

export const quietLogger = { debug() {}, info() {}, warn() {}, error() {} }

export function useRedis(options: RedisServerOptions = {}): UseRedis {
  let server: RedisServer | undefined
  const clients: Redis[] = []
  let prefixes = 0
  beforeAll(async () => {
    server = await startRedisServer(options)
  })
  afterEach(() => {
    for (const client of clients.splice(0)) client.disconnect()
  })
  afterAll(async () => {
    await server?.stop()
  })
  const running = (): RedisServer => {
    if (!server) throw new Error('The redis-server has not started.')
    return server
  }
  return {
    server: running,
    async client(kind = 'commands') {
      const client = createRedis({
        url: running().url,
        name: 'test',
        kind,
        connectTimeoutMs: 2000,
        logger: quietLogger,
      })
      clients.push(client)
      await client.connect()
      return client
    },
    keys: () => clusterKeys(`test${++prefixes}`),
  }
}

/** Resolves after `ms` of real time (Redis expires keys on its own clock). */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))
