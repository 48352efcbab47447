import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { CashNotify } from '@cashnotify/core'
import { StripeSimulator } from '@cashnotify/stripe-simulator'
import { createDemoAccounts, startDemoTraffic } from './demo-traffic.js'
import { createLiveFeedServer, type LiveFeedServer } from './server.js'

const HELP = `live-feed — a web page with the live stream of sales, from CashNotify

Usage:
  npm start -w @cashnotify/example-live-feed [-- options]

Options:
  --port N         port of the page (default 3000; 0 picks a free one)
  --host H         interface to listen on (default 127.0.0.1)
  --no-traffic     simulator only: make no sales (the page stays empty until you make some)
  --interval MS    simulator only: time between two sales (default 4000)
  --poll MS        how often Stripe is polled (default 2000 with the simulator, 5000 with Stripe)

Without STRIPE_KEY it runs against a local Stripe simulator with two accounts making sales.
With STRIPE_KEY=rk_live_… (several keys: comma-separated) it watches your real Stripe accounts; with
STRIPE_WEBHOOK_SECRET=whsec_… as well (one per key, comma-separated) it takes their webhooks at
/stripe/webhooks (behind HTTPS), and polls only to reconcile.`

/** Options of {@link startLiveFeed}. */
export interface LiveFeedAppOptions {
  /** Port of the page. @default 3000 */
  port?: number
  /** Interface to listen on. @default '127.0.0.1' */
  host?: string
  /** Stripe keys to watch; none: run against the simulator. */
  keys?: readonly string[]
  /** With the simulator: make sales every `interval` ms. @default true */
  traffic?: boolean
  /** With the simulator: time between two sales, ms. @default 4000 */
  interval?: number
  /** The shortest poll interval, ms (polls are paced by each account's read allocation). @default 2000 with the simulator, 5000 with Stripe */
  poll?: number
  /** The webhook signing secret of each key, in the same order, when Stripe's webhooks reach the app. */
  webhookSecrets?: readonly string[]
}

/** The running app. */
export interface LiveFeedApp {
  /** The page's address. */
  readonly url: string
  /** The simulator's address, when running against it. */
  readonly simulatorUrl?: string
  /** Stops everything, in order: sales, page, CashNotify, simulator. */
  close(): Promise<void>
}

/** Starts the example: the simulator and its sales (or real Stripe), CashNotify, and the page. */
export async function startLiveFeed(options: LiveFeedAppOptions = {}): Promise<LiveFeedApp> {
  const keys = options.keys ?? []
  const sim = keys.length === 0 ? new StripeSimulator() : undefined
  const simServer = await sim?.listen()
  const demo = sim ? createDemoAccounts(sim) : []
  // A few sales before watching starts: they come back as the backfill, so the page is not empty.
  const traffic =
    sim && options.traffic !== false
      ? startDemoTraffic(demo, { intervalMs: options.interval ?? 4000 })
      : undefined
  for (let i = 0; i < 3; i++) traffic?.sell()

  const cn = new CashNotify({
    pollInterval: options.poll ?? (sim ? 2000 : 5000),
    ...(simServer
      ? { stripe: { host: simServer.host, port: simServer.port, protocol: 'http' as const } }
      : {}),
  })
  cn.on('error', (error) => console.error(`[cashnotify] ${error.code}: ${error.message}`))
  cn.on('account.status', ({ account, status, reason }) =>
    console.warn(`${account.name} is ${status}: ${reason}`),
  )
  let feed: LiveFeedServer | undefined
  const close = async (): Promise<void> => {
    traffic?.stop()
    await feed?.close()
    await cn.close()
    await simServer?.close()
  }
  try {
    // The page first: its address is where the simulator's webhook endpoints send.
    feed = await createLiveFeedServer({
      cashnotify: cn,
      port: options.port ?? 3000,
      ...(options.host === undefined ? {} : { host: options.host }),
    })
    const hookUrl = feed.webhookUrl ?? ''
    const watched = sim
      ? demo.map((d) => ({
          apiKey: d.key,
          // The simulator's endpoint for the account: it signs each event with this secret.
          webhookSecret: sim.addWebhookEndpoint({ account: d.account.id, url: hookUrl, livemode: true })
            .secret,
        }))
      : keys.map((apiKey, i) => ({ apiKey, webhookSecret: options.webhookSecrets?.[i] }))
    for (const { apiKey, webhookSecret } of watched) {
      const account = await cn.addAccount({ apiKey, ...(webhookSecret ? { webhookSecret } : {}) })
      console.log(
        `Watching ${account.name} (${account.mode}, key ${account.key.redacted}): ${account.status}${webhookSecret ? `, webhooks at ${hookUrl}` : ''}`,
      )
    }
    await cn.start()
    return { url: feed.url, ...(simServer ? { simulatorUrl: simServer.url } : {}), close }
  } catch (error) {
    await close()
    throw error
  }
}

function number(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined
  const parsed = Number(value)
  if (!Number.isInteger(parsed) || parsed < 0)
    throw new Error(`Expected --${name} to be a whole number, got "${value}".`)
  return parsed
}

/** Runs the example from the command line until Ctrl-C. */
async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'no-traffic': { type: 'boolean', default: false },
      interval: { type: 'string' },
      poll: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  if (values.help) {
    console.log(HELP)
    return
  }
  const list = (value: string | undefined): string[] =>
    (value ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean)
  const keys = list(process.env.STRIPE_KEY)
  const webhookSecrets = list(process.env.STRIPE_WEBHOOK_SECRET)
  const port = number(values.port, 'port')
  const interval = number(values.interval, 'interval')
  const poll = number(values.poll, 'poll')
  const app = await startLiveFeed({
    keys,
    webhookSecrets,
    traffic: !values['no-traffic'],
    ...(port === undefined ? {} : { port }),
    ...(values.host === undefined ? {} : { host: values.host }),
    ...(interval === undefined ? {} : { interval }),
    ...(poll === undefined ? {} : { poll }),
  })
  if (app.simulatorUrl)
    console.log(
      `Stripe simulator: ${app.simulatorUrl}${values['no-traffic'] ? ' (no sales: --no-traffic)' : ''}`,
    )
  console.log(`\nLive sales: ${app.url}\n(Ctrl-C to stop)`)
  const stop = (): void => {
    console.log('\nStopping…')
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error)
        process.exit(1)
      },
    )
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error)
    process.exit(1)
  })
}
