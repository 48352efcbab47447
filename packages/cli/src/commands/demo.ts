import { mkdtempSync, rmSync } from 'node:fs'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Logger } from '@cashnotify/core'
import { StripeSimulator } from '@cashnotify/stripe-simulator'
import { type LoadedConfig, parseConfig } from '../config/load.js'
import type { Config } from '../config/schema.js'
import { type RunContext, type StopSignals, stopSignals } from '../context.js'
import { bannerLines, type DemoFacts, readsLine, summaryLine } from '../demo/banner.js'
import { createDemoShops, type DemoShop } from '../demo/business.js'
import { type DesktopTally, desktopOnce } from '../demo/desktop.js'
import { seededRandom } from '../demo/random.js'
import { HISTORY, happen, startTraffic } from '../demo/traffic.js'
import { startWebhookReceiver, type WebhookReceiver } from '../demo/webhook-receiver.js'
import { EXIT_CODES } from '../exit-codes.js'
import { detectDesktop } from '../notifiers/desktop-check.js'
import { printableText } from '../output.js'
import { type OpenState, openState } from '../store/open-state.js'
import { type Pipeline, startPipeline } from '../watch/pipeline.js'
import { DEFAULT_WEBHOOK_PATH, loopbackServer } from '../watch/webhook-server.js'
import { type CommandLog, commandLog, type LogFlags } from './setup.js'

/** Input of {@link runDemo}. */
export interface DemoCommand extends LogFlags {
  /** Seconds to run, then stop by itself; `undefined` runs until Ctrl-C. */
  readonly duration: number | undefined
  /** Seed of the simulator and of the traffic. */
  readonly seed: number
}

/** The environment variable the demo's config names for the webhook secret. */
const SECRET_ENV = 'DEMO_WEBHOOK_SECRET'

/** The variable of the signing secret of a shop's Stripe webhook endpoint. */
const stripeSecretEnv = (shop: DemoShop): string => `${shop.keyEnv}_WEBHOOK_SECRET`

/** The demo's config: the same schema as a user's file, with its keys in the demo's own environment. */
function demoConfig(
  shops: readonly DemoShop[],
  webhookUrl: string,
  desktop: boolean,
  dir: string,
  stripeUrl: string,
): Config {
  return {
    // Stripe pushes each shop's events to the daemon; polls pick up whatever a push missed.
    accounts: shops.map((shop) => ({ keyEnv: shop.keyEnv, webhookSecretEnv: stripeSecretEnv(shop) })),
    notifiers: [
      { type: 'console' },
      ...(desktop ? [{ type: 'desktop' as const, timeoutMs: 5000 }] : []),
      { type: 'webhook', url: webhookUrl, secretEnv: SECRET_ENV, retry: { attempts: 3, baseDelayMs: 500 } },
    ],
    pollInterval: 1000,
    backfill: 20,
    store: join(dir, 'state.sqlite'),
    stripeUrl,
  }
}

/** What is torn down at the end, last started first. */
type Cleanup = Array<() => Promise<void> | void>

/** The simulator on loopback with the two shops, and an hour of history before the daemon starts. */
async function startShops(seed: number, cleanup: Cleanup) {
  const sim = new StripeSimulator({ seed })
  const server = await sim.listen()
  cleanup.unshift(() => server.close())
  const shops = createDemoShops(sim)
  const random = seededRandom(seed)
  // Read as backfill, not notified.
  const hourAgo = Math.floor(Date.now() / 1000) - 3600
  for (const shop of shops) for (let i = 0; i < 5; i++) happen(shop, random, hourAgo + i * 600, HISTORY)
  return { sim, server, shops, random }
}

/**
 * Stripe's side of push: a loopback port for the daemon's webhook server, and an endpoint per shop
 * in the simulator that sends there, signed with its own secret.
 */
async function stripeWebhooks(sim: StripeSimulator, shops: readonly DemoShop[], cleanup: Cleanup) {
  const server = await loopbackServer()
  cleanup.unshift(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const { port } = server.address() as AddressInfo
  const url = `http://127.0.0.1:${port}${DEFAULT_WEBHOOK_PATH}`
  const secrets = shops.map((shop) => {
    const { secret } = sim.addWebhookEndpoint({ account: shop.account.id, url, livemode: shop.livemode })
    return [stripeSecretEnv(shop), secret] as const
  })
  return { server, url, secrets: Object.fromEntries(secrets) }
}

/** The webhook receiver, logging each signature it verifies. */
async function startReceiver(logger: Logger, cleanup: Cleanup): Promise<WebhookReceiver> {
  const receiver = await startWebhookReceiver({
    onVerified: ({ id, repeat }) =>
      logger.info(
        `  ↳ webhook receiver verified the signature of ${id}${repeat ? ' (a repeat: dropped)' : ''}`,
        { id },
      ),
    onRejected: (reason) => logger.warn(`The webhook receiver refused a request: ${reason}`),
  })
  cleanup.unshift(() => receiver.close())
  return receiver
}

/** The banner for a person, or one JSON line. */
function announce(facts: DemoFacts, log: CommandLog, context: RunContext): void {
  if (log.format === 'text') for (const line of bannerLines(facts)) context.output.err(printableText(line))
  else
    log.logger.info('CashNotify demo', {
      simulator: facts.simulatorUrl,
      webhook: facts.webhookUrl,
      desktop: facts.desktop.ok ? 'available' : facts.desktop.reason,
      duration: facts.duration,
    })
}

/** Resolves with why the demo ends: its time is up, or the first stop signal. */
async function endOf(duration: number | undefined, signals: StopSignals): Promise<string> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeUp = new Promise<string>((resolve) => {
    if (duration !== undefined) timer = setTimeout(() => resolve('time is up'), duration * 1000)
  })
  const why = await Promise.race([timeUp, signals.first])
  clearTimeout(timer)
  return why
}

/** `cashnotify watch`'s pipeline on the demo's config, the demo's keys and secret in its environment. */
function startDemoPipeline(
  loaded: LoadedConfig,
  env: RunContext['env'],
  state: OpenState,
  log: CommandLog,
  context: RunContext,
  tally: DesktopTally,
  webhooks: Server,
): Promise<Pipeline> {
  const { logger } = log
  return startPipeline({
    loaded,
    env,
    store: state.store,
    logger,
    write: context.output.out,
    format: log.format,
    color: log.color,
    deadLetterHint: 'the demo keeps none after it ends.',
    webhooks: { server: webhooks },
    wrapNotifier: (notifier, config) =>
      config.type === 'desktop'
        ? desktopOnce(notifier, tally, (reason) =>
            logger.warn(`Desktop notifications are not shown here: ${reason}`),
          )
        : notifier,
  })
}

/**
 * `cashnotify demo`: the Stripe simulator on loopback with two shops (one live, one test), traffic
 * every second or two, and `cashnotify watch`'s own pipeline notifying the console, the desktop when
 * there is one, and a local webhook receiver that verifies every signature. Stops after `duration`
 * seconds or at Ctrl-C, draining what is being sent; everything it made is deleted.
 */
export async function runDemo(command: DemoCommand, context: RunContext): Promise<number> {
  const started = Date.now()
  const dir = mkdtempSync(join(tmpdir(), 'cashnotify-demo-'))
  const signals = stopSignals(context.signals)
  const removeDir = (): void => rmSync(dir, { recursive: true, force: true })
  const cleanup: Cleanup = [removeDir]
  let interrupted = false
  try {
    const { sim, server, shops, random } = await startShops(command.seed, cleanup)
    const stripe = await stripeWebhooks(sim, shops, cleanup)
    const desktop = await detectDesktop(context.env)
    const log = commandLog(undefined, command, context) // the demo's config says nothing of logs
    const receiver = await startReceiver(log.logger, cleanup)
    const config = demoConfig(shops, receiver.url, desktop.ok, dir, server.url)
    const loaded = parseConfig(config, '(the demo’s)', dir)
    const state = openState(join(dir, 'state.sqlite'), { lock: true })
    cleanup.unshift(() => state.close())
    const { seed, duration } = command
    const facts = {
      simulatorUrl: server.url,
      seed,
      shops,
      webhookUrl: receiver.url,
      stripeWebhookUrl: stripe.url,
      desktop,
      statePath: state.path,
      duration,
    }
    announce(facts, log, context)
    const tally: DesktopTally = { shown: 0, absent: undefined }
    const keys = Object.fromEntries(shops.map((shop) => [shop.keyEnv, shop.key]))
    const env = { ...context.env, [SECRET_ENV]: receiver.secret, ...keys, ...stripe.secrets }
    const pipeline = await startDemoPipeline(loaded, env, state, log, context, tally, stripe.server)
    cleanup.unshift(() => pipeline.stop())
    const onError = (error: Error): void => log.logger.warn(`The simulated shop stumbled: ${error.message}`)
    const traffic = startTraffic(shops, { random, onError })
    cleanup.unshift(() => traffic.stop())
    const why = await endOf(command.duration, signals)
    traffic.stop()
    log.logger.info(
      `Stopping (${why}): finishing the notifications being sent (Ctrl-C again to stop at once)…`,
    )
    const stopped = pipeline.stop().then(() => 'stopped' as const)
    if ((await Promise.race([stopped, signals.second])) !== 'stopped') {
      interrupted = true
      log.logger.warn('Stopped at once.')
      return EXIT_CODES.interrupted
    }
    const seconds = Math.round((Date.now() - started) / 1000)
    const webhook = { verified: receiver.verified, rejected: receiver.rejected }
    const printed = pipeline.counts.delivered.get('console') ?? 0
    const happenings = traffic.count
    for (const shop of shops) log.logger.info(readsLine(shop, sim.readAllocation(shop.account.id)))
    log.logger.info(summaryLine({ seconds, happenings, console: printed, webhook, desktop, tally }))
    return EXIT_CODES.ok
  } finally {
    signals.dispose()
    // Cut short, sends are still in flight: only the temporary directory goes, the process ends next.
    if (interrupted) removeDir()
    else for (const step of cleanup) await step()
  }
}
