import { describe, expectTypeOf, it } from 'vitest'
import {
  type DeadLetter,
  type DeliveryJob,
  type RedisCluster,
  type RedisClusterErrorReason,
  type RedisClusterOptions,
  redisCluster,
} from '../src/index.js'

const url = 'redis://127.0.0.1:6379'
type Note = { title: string }

describe('redisCluster options', () => {
  it('takes the options and returns a cluster typed by its notifications', () => {
    expectTypeOf(redisCluster).parameter(0).toEqualTypeOf<RedisClusterOptions>()
    expectTypeOf(redisCluster<Note>({ url })).toEqualTypeOf<RedisCluster<Note>>()
    expectTypeOf<RedisClusterErrorReason>().toEqualTypeOf<
      'redis_unavailable' | 'prefix_conflict' | 'lease_lost'
    >()
    const cluster = redisCluster<Note>({ url, budget: { testPerSecond: 10 }, delivery: { attempts: 3 } })
    expectTypeOf(cluster.delivery.deadLetters).returns.resolves.toEqualTypeOf<DeadLetter<Note>[]>()
    cluster.startWorker('webhook', async (job) => {
      expectTypeOf(job).toEqualTypeOf<DeliveryJob<Note>>()
      expectTypeOf(job.notification.title).toEqualTypeOf<string>()
    })
  })

  it('refuses misuse', () => {
    // @ts-expect-error: `url` is required
    redisCluster({})
    // @ts-expect-error: the TTL is a number of ms
    redisCluster({ url, leaseTtlMs: '15s' })
    // @ts-expect-error: no such budget cap
    redisCluster({ url, budget: { perMinute: 100 } })
    // @ts-expect-error: a fingerprint holds flat values only
    redisCluster({ url, fingerprint: { notifiers: ['webhook'] } })
    const cluster = redisCluster<Note>({ url })
    // @ts-expect-error: a notification of another shape
    cluster.delivery.enqueue('sale:pi_1', { body: 'x' }, ['webhook'])
    // @ts-expect-error: an account's mode is live or test
    cluster.budget({ ref: 'acct_1/live', mode: 'sandbox' })
  })
})
