import { afterEach, describe, expect, it } from 'vitest'
import { deliveryJobId, queueName } from '../src/delivery/job-id.js'
import { DELIVERY_DEFAULTS, retryDelay } from '../src/delivery/options.js'
import { type DeliveryJob, DeliveryQueues } from '../src/delivery/queues.js'
import { type DeliveryWorker, startDeliveryWorker } from '../src/delivery/worker.js'
import type { ClusterKeys } from '../src/keys.js'
import { quietLogger, sleep, useRedis } from './use-redis.js'

const redis = useRedis()
type Note = { title: string }
const closing: Array<{ close(): Promise<void> }> = []
afterEach(async () => {
  await Promise.all(closing.splice(0).map((item) => item.close()))
})

async function queues(keys: ClusterKeys, options: ConstructorParameters<typeof DeliveryQueues>[2] = {}) {
  const delivery = new DeliveryQueues<Note>(await redis.client('queue'), keys, options)
  closing.push(delivery)
  return delivery
}

async function worker(
  keys: ClusterKeys,
  notifier: string,
  send: (job: DeliveryJob<Note>, attempt: number) => Promise<void>,
  options: Omit<Parameters<typeof startDeliveryWorker>[4], 'logger'> = {},
): Promise<DeliveryWorker> {
  const started = startDeliveryWorker(await redis.client('queue'), keys, notifier, send, {
    logger: quietLogger,
    ...options,
  })
  closing.push(started)
  return started
}

describe('job ids and queue names', () => {
  it('are deterministic, one-to-one, and free of the characters BullMQ refuses', () => {
    expect(deliveryJobId('sale:pi_3Q', 'webhook')).toBe('webhook/sale%3Api_3Q')
    expect(deliveryJobId('sale:pi_3Q', 'webhook')).toBe(deliveryJobId('sale:pi_3Q', 'webhook'))
    expect(deliveryJobId('a/b', 'c')).not.toBe(deliveryJobId('b', 'c/a'))
    expect(deliveryJobId('a%3A', 'n')).not.toBe(deliveryJobId('a:', 'n'))
    expect(queueName('my:notifier')).toBe('deliver-my%3Anotifier')
    for (const id of [deliveryJobId('1', '2'), queueName('x:y')]) expect(id).not.toContain(':')
  })
})

describe('retryDelay', () => {
  const options = { ...DELIVERY_DEFAULTS, backoffMs: 100, maxBackoffMs: 1000, jitter: 0.5 }
  it('doubles from backoffMs, is capped, and takes up to `jitter` off', () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelay(n, options, undefined, () => 0))).toEqual([
      100, 200, 400, 800, 1000,
    ])
    expect(retryDelay(2, options, undefined, () => 1)).toBe(100)
  })
  it("never retries sooner than the notifier's retryAfterMs", () => {
    expect(retryDelay(1, options, { retryAfterMs: 5000 }, () => 0)).toBe(5000)
    expect(retryDelay(3, options, { retryAfterMs: 10 }, () => 0)).toBe(400)
  })
})

describe('delivery through BullMQ', () => {
  it('enqueuing the same notification twice is a no-op, before and after delivery', async () => {
    const keys = redis.keys()
    const delivery = await queues(keys)
    await delivery.enqueue('sale:pi_1', { title: 'first' }, ['webhook'])
    await delivery.enqueue('sale:pi_1', { title: 'again' }, ['webhook'])
    expect(await delivery.counts('webhook')).toMatchObject({ waiting: 1 })
    const sent: string[] = []
    await worker(keys, 'webhook', async (job) => {
      sent.push(`${job.notificationId} ${job.notification.title}`)
    })
    await expect.poll(() => sent).toEqual(['sale:pi_1 first'])
    await expect.poll(async () => (await delivery.counts('webhook')).completed).toBe(1)
    // A re-read after a crash enqueues it again: it was delivered, nothing is added.
    await delivery.enqueue('sale:pi_1', { title: 're-read' }, ['webhook'])
    await sleep(200)
    expect(sent).toEqual(['sale:pi_1 first'])
    expect(await delivery.counts('webhook')).toMatchObject({ waiting: 0, completed: 1 })
  })

  it('retries with exponential backoff, then keeps the job as a dead letter that can be replayed', async () => {
    const keys = redis.keys()
    const delivery = await queues(keys, { attempts: 3, backoffMs: 100, jitter: 0 })
    const attempts: number[] = []
    let fail = true
    await worker(
      keys,
      'email',
      async (_job, attempt) => {
        attempts.push(Date.now())
        if (fail) throw new Error(`smtp down (attempt ${attempt})`)
      },
      { attempts: 3, backoffMs: 100, jitter: 0 },
    )
    await delivery.enqueue('sale:pi_2', { title: 'sale' }, ['email'])
    await expect.poll(async () => (await delivery.deadLetters(['email'])).length, { timeout: 5000 }).toBe(1)
    expect(attempts).toHaveLength(3)
    const gaps = [attempts[1]! - attempts[0]!, attempts[2]! - attempts[1]!]
    expect(gaps[0]).toBeGreaterThanOrEqual(95)
    expect(gaps[1]).toBeGreaterThanOrEqual(195)
    const [letter] = await delivery.deadLetters(['email'])
    expect(letter).toMatchObject({
      jobId: deliveryJobId('sale:pi_2', 'email'),
      notificationId: 'sale:pi_2',
      notifier: 'email',
      notification: { title: 'sale' },
      attemptsMade: 3,
      reason: 'smtp down (attempt 3)',
    })
    fail = false
    expect(await delivery.replay('email', letter!.jobId)).toBe(true)
    await expect.poll(() => attempts.length).toBe(4)
    await expect.poll(async () => (await delivery.deadLetters(['email'])).length).toBe(0)
    expect(await delivery.replay('email', letter!.jobId)).toBe(false)
    expect(await delivery.replay('email', 'no-such-job')).toBe(false)
  })

  it('a notifier that says a retry cannot help makes a dead letter at once', async () => {
    const keys = redis.keys()
    const delivery = await queues(keys, { attempts: 5, backoffMs: 50 })
    let calls = 0
    await worker(keys, 'webhook', async () => {
      calls++
      throw Object.assign(new Error('410 Gone'), { retryable: false })
    })
    await delivery.enqueue('sale:pi_3', { title: 'sale' }, ['webhook'])
    await expect.poll(async () => (await delivery.deadLetters(['webhook'])).length).toBe(1)
    expect(calls).toBe(1)
    expect((await delivery.deadLetters(['webhook']))[0]).toMatchObject({
      attemptsMade: 1,
      reason: '410 Gone',
    })
  })

  it("holds a notifier's concurrency across every worker of every process", async () => {
    const keys = redis.keys()
    const delivery = await queues(keys, { concurrency: 2 })
    let inFlight = 0
    let most = 0
    let done = 0
    const send = async (): Promise<void> => {
      inFlight++
      most = Math.max(most, inFlight)
      await sleep(60)
      inFlight--
      done++
    }
    // Two processes' workers, each allowed more than the notifier's global limit on its own.
    await worker(keys, 'slack', send, { concurrency: 4 })
    await worker(keys, 'slack', send, { concurrency: 4 })
    for (let i = 0; i < 10; i++) await delivery.enqueue(`sale:pi_${i}`, { title: `${i}` }, ['slack'])
    await expect.poll(() => done, { timeout: 5000 }).toBe(10)
    expect(most).toBe(2)
  })

  it('keeps every accepted job when Redis is killed, and delivers them once it is back', async () => {
    const keys = redis.keys()
    const delivery = await queues(keys)
    const ids = ['sale:pi_a', 'sale:pi_b', 'sale:pi_c']
    for (const id of ids) await delivery.enqueue(id, { title: id }, ['webhook'])
    // A crash, not a clean shutdown: only what the AOF had written survives.
    await redis.server().pause('SIGKILL')
    await redis.server().resume()
    const sent: string[] = []
    await worker(keys, 'webhook', async (job) => {
      sent.push(job.notificationId)
    })
    await expect.poll(() => [...sent].sort(), { timeout: 5000 }).toEqual(ids)
  })

  it('one slow notifier never delays another', async () => {
    const keys = redis.keys()
    const delivery = await queues(keys)
    let unblock: () => void = () => {}
    const blocked = new Promise<void>((resolve) => {
      unblock = resolve
    })
    const slow: string[] = []
    const fast: string[] = []
    await worker(keys, 'slow', async (job) => {
      await blocked
      slow.push(job.notificationId)
    })
    await worker(keys, 'fast', async (job) => {
      fast.push(job.notificationId)
    })
    const ids = Array.from({ length: 6 }, (_, i) => `sale:pi_${i}`)
    for (const id of ids) await delivery.enqueue(id, { title: id }, ['slow', 'fast'])
    await expect.poll(() => fast.length, { timeout: 3000 }).toBe(6)
    expect(slow).toEqual([])
    unblock()
    await expect.poll(() => slow.length, { timeout: 3000 }).toBe(6)
  })
})
