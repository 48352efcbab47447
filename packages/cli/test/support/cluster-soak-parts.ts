/**
 * The parts of the cluster soak (`cluster-soak.test.ts`): test-mode shops on the simulator with one
 * restricted key per process, a Standard Webhooks receiver that records every delivery, and a process of
 * the cluster that can be killed and started again under the same id.
 */
import { writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import type { RequestLogEntry, StripeSimulator } from '@cashnotify/stripe-simulator'
import { Webhook } from 'standardwebhooks'
import { type CliProcess, spawnCli } from './child.js'
import { fullKey } from './harness.js'

/** One delivery the receiver took: its `webhook-id`, and the sale (or other event) it was about. */
export interface Delivery {
  readonly webhookId: string
  readonly type: string
  readonly account: string
  readonly paymentIntent: string | undefined
}

/** A receiver on loopback that verifies every signature and records every delivery. */
export interface Receiver {
  readonly url: string
  readonly deliveries: Delivery[]
  /** Requests whose signature did not verify (there must be none). */
  readonly refused: string[]
  close(): Promise<void>
}

/** Starts a {@link Receiver} that checks signatures against `secret`. */
export async function startReceiver(secret: string): Promise<Receiver> {
  const verifier = new Webhook(secret)
  const deliveries: Delivery[] = []
  const refused: string[] = []
  const server: Server = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => {
      body += chunk
    })
    req.on('end', () => {
      try {
        const payload = verifier.verify(body, req.headers as Record<string, string>) as {
          type: string
          account: { id: string }
          data: { paymentIntentId?: string }
        }
        deliveries.push({
          webhookId: String(req.headers['webhook-id']),
          type: payload.type,
          account: payload.account.id,
          paymentIntent: payload.data.paymentIntentId,
        })
        res.writeHead(204).end()
      } catch (error) {
        refused.push(error instanceof Error ? error.message : String(error))
        res.writeHead(400).end()
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    deliveries,
    refused,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

/** A test-mode shop with one restricted key per process of the cluster. */
export interface Shop {
  readonly id: string
  /** The key of each process, by process id. */
  readonly keys: Readonly<Record<string, string>>
}

/** The shops, and who sent each logged request (told by the key's last 4 characters, all the log keeps). */
export interface Shops {
  readonly list: readonly Shop[]
  /** The process whose key sent `entry`, or undefined for a key of no process. */
  ownerOf(entry: RequestLogEntry): string | undefined
}

/** `count` test-mode shops, each with a key per process in `processes`. */
export function createShops(sim: StripeSimulator, count: number, processes: readonly string[]): Shops {
  const list = Array.from({ length: count }, (_, i) => {
    const id = sim.createAccount({ businessName: `Shop ${i}` }).id
    return { id, keys: Object.fromEntries(processes.map((p) => [p, fullKey(sim, id)])) }
  })
  const owners = new Map(
    list.flatMap((shop) => Object.entries(shop.keys).map(([p, key]) => [key.slice(-4), p] as const)),
  )
  if (owners.size !== count * processes.length)
    throw new Error('Two keys end alike: the request log could not tell the processes apart.')
  return { list, ownerOf: (entry) => owners.get(entry.key?.slice(-4) ?? '') }
}

/** What every process's config shares: the same accounts (under the same variables), Redis and receiver. */
export interface ClusterSetup {
  readonly dir: string
  readonly shops: Shops
  readonly stripeUrl: string
  readonly hookUrl: string
  readonly hookSecret: string
  readonly redisUrl: string
  readonly prefix: string
  readonly leaseTtlMs: number
}

/**
 * One life of a process: from its spawn on. The request log tells lives apart by time: a new life is
 * spawned only after the one before it exited.
 */
export interface Life {
  readonly processId: string
  readonly from: number
}

/** A process of the cluster: `cashnotify watch` on its own config, started again under the same id. */
export interface ClusterMember {
  readonly processId: string
  readonly lives: readonly Life[]
  /** The current child. */
  current(): CliProcess
  /** Starts a new life; the previous one must have ended. */
  start(): void
  /** Resolves once the current life watches its accounts: it has joined the cluster. */
  watching(): Promise<void>
  /** SIGKILLs the current life and waits for its end. */
  kill(): Promise<void>
  /** SIGTERMs the current life; resolves with its exit code. */
  stop(): Promise<number | null>
}

/** Writes `processId`'s config and returns the member that runs it. */
export function clusterMember(setup: ClusterSetup, processId: string): ClusterMember {
  const config = join(setup.dir, `cashnotify-${processId}.json`)
  writeFileSync(
    config,
    JSON.stringify({
      accounts: setup.shops.list.map((_, i) => ({ keyEnv: `SHOP_${i}_KEY` })),
      notifiers: [{ type: 'webhook', url: setup.hookUrl, secretEnv: 'HOOK_SECRET', concurrency: 4 }],
      pollInterval: 1000,
      // Every account polls at the shortest interval: as many polls as can be, to catch two at once.
      readAllocation: { monthly: 1_000_000_000 },
      store: { redisEnv: 'REDIS_URL', prefix: setup.prefix, processId, leaseTtlMs: setup.leaseTtlMs },
      stripeUrl: setup.stripeUrl,
    }),
  )
  // The same variables in every config, each process's own keys in them: the same accounts, told apart.
  const env: Record<string, string> = { REDIS_URL: setup.redisUrl, HOOK_SECRET: setup.hookSecret }
  setup.shops.list.forEach((shop, i) => {
    env[`SHOP_${i}_KEY`] = shop.keys[processId] ?? ''
  })
  const lives: Life[] = []
  let child: CliProcess | undefined
  const running = (): CliProcess => {
    if (!child) throw new Error(`${processId} was never started.`)
    return child
  }
  return {
    processId,
    lives,
    current: running,
    start() {
      if (child && child.child.exitCode === null && child.child.signalCode === null)
        throw new Error(`${processId} is still running.`)
      lives.push({ processId, from: Date.now() })
      child = spawnCli(['watch', '--config', config, '--log-format', 'json'], env)
    },
    async watching() {
      // Start-up checks every account's key: on a loaded machine that alone can take half a minute.
      await running().line(/Watching/, `${processId} watching its accounts`, 120_000)
    },
    async kill() {
      running().kill()
      await running().exited
    },
    async stop() {
      running().child.kill('SIGTERM')
      return (await running().exited).code
    },
  }
}
