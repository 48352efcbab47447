import { ConfigError, stripeConnectionFromUrl } from '@cashnotify/core'
import { type RunContext, stopSignals } from '../context.js'
import { EXIT_CODES } from '../exit-codes.js'
import { openState } from '../store/open-state.js'
import { startPipeline } from '../watch/pipeline.js'
import { commandLog, type LogFlags, loadOrExplain, statePath } from './setup.js'

/** Input of {@link runWatch}. */
export interface WatchCommand extends LogFlags {
  /** `--config`: the JSON config file. */
  readonly config?: string | undefined
  /** `--state`: the SQLite state file, instead of the config's `store`. */
  readonly state?: string | undefined
  /** `--stripe-url`: where Stripe is, instead of the config's `stripeUrl`. */
  readonly stripeUrl?: string | undefined
}

/**
 * `cashnotify watch`: watches the config's accounts until SIGINT or SIGTERM, then drains the
 * notifications being sent, persists its state and exits 0. A second signal stops at once (exit 130);
 * what was not sent stays in the outbox for the next start.
 */
export async function runWatch(command: WatchCommand, context: RunContext): Promise<number> {
  const loaded = await loadOrExplain(command.config, context)
  if (typeof loaded === 'number') return loaded
  const { logger, format, color } = commandLog(loaded, command, context)
  const signals = stopSignals(context.signals)
  let state: ReturnType<typeof openState> | undefined
  try {
    state = openState(statePath(loaded, command.state, context.env), { lock: true })
    logger.info(`CashNotify starting: config ${loaded.source}, state ${state.path}.`, { pid: process.pid })
    const pipeline = await startPipeline({
      loaded,
      env: context.env,
      store: state.store,
      logger,
      write: context.output.out,
      format,
      color,
      stripe: command.stripeUrl === undefined ? undefined : stripeConnectionFromUrl(command.stripeUrl),
      deadLetterHint: `\`cashnotify dead-letters --config ${loaded.source}\` lists it, and \`--replay\` sends it again once the cause is fixed.`,
    })
    const signal = await signals.first
    logger.info(`${signal}: stopping. Finishing the notifications being sent (Ctrl-C again to stop at once)…`)
    const stopped = pipeline.stop().then(() => 'stopped' as const)
    if ((await Promise.race([stopped, signals.second])) !== 'stopped') {
      logger.warn(
        'Stopping at once: notifications not yet sent stay in the outbox and go out at the next start.',
      )
      state = undefined // still in use by the sends being cut short; the process is about to end
      return EXIT_CODES.interrupted
    }
    await state.close()
    logger.info(`Stopped. State saved in ${state.path}.`)
    return EXIT_CODES.ok
  } catch (error) {
    logger.error(error instanceof Error ? error.message : String(error))
    return error instanceof ConfigError ? EXIT_CODES.config : EXIT_CODES.failed
  } finally {
    signals.dispose()
    await state?.close()
  }
}
