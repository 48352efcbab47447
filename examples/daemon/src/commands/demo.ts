import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { StripeSimulator } from '@cashnotify/stripe-simulator'
import { parseConfig } from '../config/load.js'
import type { Config } from '../config/schema.js'
import { type RunContext, stopSignals } from '../context.js'
import { bannerLines, summaryLine } from '../demo/banner.js'
import { createDemoShops, type DemoShop } from '../demo/business.js'
import { type DesktopTally, desktopOnce } from '../demo/desktop.js'
import { seededRandom } from '../demo/random.js'
import { HISTORY, happen, startTraffic } from '../demo/traffic.js'
import { startWebhookReceiver } from '../demo/webhook-receiver.js'
import { EXIT_CODES } from '../exit-codes.js'
import { detectDesktop } from '../notifiers/desktop-check.js'
import { openState } from '../store/open-state.js'
import { startPipeline } from '../watch/pipeline.js'
import { commandLog, type LogFlags } from './setup.js'

/** Input of {@link runDemo}. */
export interface DemoCommand extends LogFlags {
  /** Seconds to run, then stop by itself; `undefined` runs until Ctrl-C. */
  readonly duration: number | undefined
  /** Seed of the simulator and of the traffic. */
  readonly seed: number
}

/** The environment variable the demo's config names for the webhook secret. */
const SECRET_ENV = 'DEMO_WEBHOOK_SECRET'

/** The demo's config: the same schema as a user's file, with its keys in the demo's own environment. */
function demoConfig(
  shops: readonly DemoShop[],
  webhookUrl: string,
  desktop: boolean,
  dir: string,
  stripeUrl: string,
): Config {
  return {
    accounts: shops.map((shop) => ({ keyEnv: shop.keyEnv })),
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
  const cleanup: Array<() => Promise<void> | void> = [removeDir]
  let interrupted = false
  try {
    const sim = new StripeSimulator({ seed: command.seed })
    const server = await sim.listen()
    cleanup.unshift(() => server.close())
    const shops = createDemoShops(sim)
    const random = seededRandom(command.seed)
    // An hour of history before the daemon starts: read as backfill, not notified.
    const hourAgo = Math.floor(Date.now() / 1000) - 3600
    for (const shop of shops) for (let i = 0; i < 5; i++) happen(shop, random, hourAgo + i * 600, HISTORY)
    const desktop = await detectDesktop(context.env)
    const log = commandLog(undefined, command, context) // the demo's config says nothing of logs
    const { logger } = log
    const receiver = await startWebhookReceiver({
      onVerified: ({ id, repeat }) =>
        logger.info(
          `  ↳ webhook receiver verified the signature of ${id}${repeat ? ' (a repeat: dropped)' : ''}`,
          { id },
        ),
      onRejected: (reason) => logger.warn(`The webhook receiver refused a request: ${reason}`),
    })
    cleanup.unshift(() => receiver.close())
    const loaded = parseConfig(
      demoConfig(shops, receiver.url, desktop.ok, dir, server.url),
      '(the demo’s)',
      dir,
    )
    const state = openState(join(dir, 'state.sqlite'), { lock: true })
    cleanup.unshift(() => state.close())
    const facts = {
      simulatorUrl: server.url,
      seed: command.seed,
      shops,
      webhookUrl: receiver.url,
      desktop,
      statePath: state.path,
      duration: command.duration,
    }
    if (log.format === 'text') for (const line of bannerLines(facts)) context.output.err(line)
    else
      logger.info('CashNotify demo', {
        simulator: server.url,
        webhook: receiver.url,
        desktop: desktop.ok ? 'available' : desktop.reason,
        duration: command.duration,
      })
    const tally: DesktopTally = { shown: 0, absent: undefined }
    const env = {
      ...context.env,
      [SECRET_ENV]: receiver.secret,
      ...Object.fromEntries(shops.map((shop) => [shop.keyEnv, shop.key])),
    }
    const pipeline = await startPipeline({
      loaded,
      env,
      store: state.store,
      logger,
      write: context.output.out,
      format: log.format,
      color: log.color,
      deadLetterHint: 'the demo keeps none after it ends.',
      wrapNotifier: (notifier, config) =>
        config.type === 'desktop'
          ? desktopOnce(notifier, tally, (reason) =>
              logger.warn(`Desktop notifications are not shown here: ${reason}`),
            )
          : notifier,
    })
    cleanup.unshift(() => pipeline.stop())
    const traffic = startTraffic(shops, {
      random,
      onError: (error) => logger.warn(`The simulated shop stumbled: ${error.message}`),
    })
    cleanup.unshift(() => traffic.stop())
    let timer: ReturnType<typeof setTimeout> | undefined
    const timeUp = new Promise<string>((resolve) => {
      if (command.duration !== undefined)
        timer = setTimeout(() => resolve('time is up'), command.duration * 1000)
    })
    const why = await Promise.race([timeUp, signals.first])
    clearTimeout(timer)
    traffic.stop()
    logger.info(`Stopping (${why}): finishing the notifications being sent (Ctrl-C again to stop at once)…`)
    const stopped = pipeline.stop().then(() => 'stopped' as const)
    if ((await Promise.race([stopped, signals.second])) !== 'stopped') {
      interrupted = true
      logger.warn('Stopped at once.')
      return EXIT_CODES.interrupted
    }
    const summary = summaryLine({
      seconds: Math.round((Date.now() - started) / 1000),
      happenings: traffic.count,
      console: pipeline.counts.delivered.get('console') ?? 0,
      webhook: { verified: receiver.verified, rejected: receiver.rejected },
      desktop,
      tally,
    })
    logger.info(summary)
    return EXIT_CODES.ok
  } finally {
    signals.dispose()
    // Cut short, sends are still in flight: only the temporary directory goes, the process ends next.
    if (interrupted) removeDir()
    else for (const step of cleanup) await step()
  }
}
