/**
 * A running demo: the simulator and its traffic, the daemon's pipeline watching it, the webhook
 * receiver, and today's digest printed as it goes. `cashnotify demo` starts one and finishes it when its
 * time is up; a test does the same, and reads the simulator to check what the demo printed.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import type { Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { StripeSimulator } from '@cashnotify/stripe-simulator'
import { type CommandLog, commandLog, type LogFlags } from '../commands/setup.js'
import { type LoadedConfig, parseConfig } from '../config/load.js'
import type { RunContext, StopSignals } from '../context.js'
import { EXIT_CODES } from '../exit-codes.js'
import { detectDesktop } from '../notifiers/desktop-check.js'
import { printableText } from '../output.js'
import { type OpenState, openState } from '../store/open-state.js'
import { type Pipeline, startPipeline } from '../watch/pipeline.js'
import { bannerLines, type DemoFacts, readsLine, summaryLine } from './banner.js'
import type { DemoShop } from './business.js'
import { type DesktopTally, desktopOnce } from './desktop.js'
import { caughtUpDigests, DIGEST_EVERY_MS, soFarNotification, startDigestTicker } from './digest.js'
import {
  type Cleanup,
  DEMO_DIGEST_AT,
  DEMO_LARGE_SALE,
  demoConfig,
  SECRET_ENV,
  startReceiver,
  startShops,
  stripeWebhooks,
} from './setup.js'
import { startTraffic, type Traffic } from './traffic.js'
import type { WebhookReceiver } from './webhook-receiver.js'

/** Input of {@link startDemo}. */
export interface DemoCommand extends LogFlags {
  /** Seconds to run, then stop by itself; `undefined` runs until Ctrl-C. */
  readonly duration: number | undefined
  /** Seed of the simulator and of the traffic. */
  readonly seed: number
}

/** How long the last digest waits for the daemon to count the last sales, ms; one on the way waits less. */
const FINAL_DIGEST_WAIT_MS = 10_000
const RUNNING_DIGEST_WAIT_MS = 3_000

/** A running demo. */
export interface DemoSession {
  /** The simulator: what the shops really did. */
  readonly sim: StripeSimulator
  readonly shops: readonly DemoShop[]
  /** The daemon's pipeline. */
  readonly pipeline: Pipeline
  /**
   * Stops the traffic, prints today's digest, drains the notifications being sent and prints the
   * summary. Resolves with the exit code; a second stop signal stops it at once.
   */
  finish(why: string, signals: StopSignals): Promise<number>
  /** Tears down everything it started and deletes its directory; after a stop at once, only the directory. */
  close(): Promise<void>
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

/** Prints today's digest so far of every shop through the console notifier. */
async function printDigests(
  demo: { sim: StripeSimulator; shops: readonly DemoShop[]; pipeline: Pipeline; log: CommandLog },
  waitMs: number,
): Promise<void> {
  const printer = demo.pipeline.notifiers.find((item) => item.config.type === 'console')?.entry.notifier
  const send = printer?.sendDigest?.bind(printer)
  if (!send) return
  const { digests, missing } = await caughtUpDigests({ cn: demo.pipeline.cn, ...demo, waitMs })
  const context = { signal: new AbortController().signal, attempt: 1 }
  for (const digest of digests) await send(soFarNotification(digest), context)
  if (missing > 0)
    demo.log.logger.info(
      `  ↳ ${missing} sale${missing === 1 ? ' was' : 's were'} still on the way, not counted yet.`,
    )
}

/**
 * Starts the demo: the Stripe simulator on loopback with two shops (one live, one test), traffic every
 * second or two, and `cashnotify watch`'s own pipeline notifying the console, the desktop when there
 * is one, and a local webhook receiver that verifies every signature; large sales marked, and today's
 * digest printed every {@link DIGEST_EVERY_MS}. Everything it makes is deleted by `close()`.
 */
export async function startDemo(command: DemoCommand, context: RunContext): Promise<DemoSession> {
  const started = Date.now()
  const dir = mkdtempSync(join(tmpdir(), 'cashnotify-demo-'))
  const removeDir = (): void => rmSync(dir, { recursive: true, force: true })
  const cleanup: Cleanup = [removeDir]
  let interrupted = false
  const close = async (): Promise<void> => {
    // Cut short, sends are still in flight: only the temporary directory goes, the process ends next.
    if (interrupted) removeDir()
    else for (const step of cleanup.splice(0)) await step()
  }
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
    const facts: DemoFacts = {
      simulatorUrl: server.url,
      seed,
      shops,
      webhookUrl: receiver.url,
      stripeWebhookUrl: stripe.url,
      desktop,
      statePath: state.path,
      duration,
      largeSale: DEMO_LARGE_SALE,
      digestEverySeconds: DIGEST_EVERY_MS / 1000,
      digestAt: DEMO_DIGEST_AT,
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
    const demo = { sim, shops, pipeline, log }
    const ticker = startDigestTicker(
      DIGEST_EVERY_MS,
      () => printDigests(demo, RUNNING_DIGEST_WAIT_MS),
      (error) => log.logger.warn(`Today's digest could not be printed: ${error.message}`),
    )
    cleanup.unshift(() => ticker.stop())
    const end = { started, traffic, receiver, desktop, tally }
    return {
      sim,
      shops,
      pipeline,
      async finish(why, signals) {
        const code = await finish({ ...demo, ...end, ticker }, why, signals)
        interrupted = code === EXIT_CODES.interrupted
        return code
      },
      close,
    }
  } catch (error) {
    await close()
    throw error
  }
}

/** The end of a demo, in order: no more traffic, the last digest, the drain, the summary. */
async function finish(
  demo: {
    sim: StripeSimulator
    shops: readonly DemoShop[]
    pipeline: Pipeline
    log: CommandLog
    started: number
    traffic: Traffic
    ticker: { stop(): Promise<void> }
    receiver: WebhookReceiver
    desktop: DemoFacts['desktop']
    tally: DesktopTally
  },
  why: string,
  signals: StopSignals,
): Promise<number> {
  const { log, pipeline, traffic } = demo
  traffic.stop()
  log.logger.info(`Stopping (${why}): finishing the notifications being sent (Ctrl-C again to stop at once)…`)
  const done = (async () => {
    await demo.ticker.stop()
    await printDigests(demo, FINAL_DIGEST_WAIT_MS)
    await pipeline.stop()
    return 'stopped' as const
  })()
  if ((await Promise.race([done, signals.second])) !== 'stopped') {
    log.logger.warn('Stopped at once.')
    return EXIT_CODES.interrupted
  }
  const seconds = Math.round((Date.now() - demo.started) / 1000)
  const webhook = { verified: demo.receiver.verified, rejected: demo.receiver.rejected }
  const printed = pipeline.counts.delivered.get('console') ?? 0
  for (const shop of demo.shops) log.logger.info(readsLine(shop, demo.sim.readAllocation(shop.account.id)))
  const { desktop, tally } = demo
  log.logger.info(
    summaryLine({ seconds, happenings: traffic.count, console: printed, webhook, desktop, tally }),
  )
  return EXIT_CODES.ok
}
