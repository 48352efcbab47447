import { ConfigError, type Logger, stripeConnectionFromUrl } from '@cashnotify/core'
import { type RunContext, type StopSignals, stopSignals } from '../context.js'
import { EXIT_CODES } from '../exit-codes.js'
import { type Pipeline, StartAborted, startPipeline } from '../watch/pipeline.js'
import { type DaemonState, openDaemonState } from './daemon-state.js'
import { commandLog, deadLettersCommand, type LogFlags, loadOrExplain } from './setup.js'

/** Input of {@link runWatch}. */
export interface WatchCommand extends LogFlags {
  /** `--config`: the JSON config file. */
  readonly config?: string | undefined
  /** `--state`: the SQLite state file, instead of the config's `store`. */
  readonly state?: string | undefined
  /** `--stripe-url`: where Stripe is, instead of the config's `stripeUrl`. */
  readonly stripeUrl?: string | undefined
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error))

/** How long a stop during start-up waits for the account checks in flight (Stripe may not answer). */
const START_GRACE_MS = 2000

/**
 * Waits for the start-up or a first stop signal. A signal during start-up stops it before anything is
 * polled (nothing accepted, nothing to drain): resolves `stopped` once it has settled or after a short
 * grace (a request to a Stripe that does not answer is not waited for), `interrupted` at a second signal.
 */
async function started(
  starting: Promise<Pipeline>,
  signals: StopSignals,
  abort: AbortController,
  logger: Logger,
): Promise<Pipeline | 'stopped' | 'interrupted'> {
  const first = await Promise.race([starting, signals.first])
  if (typeof first !== 'string') return first
  logger.info(`${first} during start-up: stopping before anything is polled.`)
  abort.abort()
  const settled = starting.then(
    (pipeline) => pipeline.stop().then(() => 'stopped' as const),
    () => 'stopped' as const,
  )
  let timer: ReturnType<typeof setTimeout> | undefined
  const grace = new Promise<'stopped'>((resolve) => {
    timer = setTimeout(() => resolve('stopped'), START_GRACE_MS)
  })
  const outcome = await Promise.race([settled, grace, signals.second.then(() => 'interrupted' as const)])
  clearTimeout(timer)
  return outcome
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
  let state: DaemonState
  try {
    // Before any signal listener: until the state is open, SIGTERM ends the process.
    state = await openDaemonState(loaded, command.state, context.env, logger)
  } catch (error) {
    logger.error(message(error))
    return error instanceof ConfigError ? EXIT_CODES.config : EXIT_CODES.failed
  }
  const signals = stopSignals(context.signals)
  const abort = new AbortController()
  let interrupted = false
  try {
    logger.info(`CashNotify starting: config ${loaded.source}, state ${state.path}.`, { pid: process.pid })
    const list = state.clustered ? undefined : deadLettersCommand(context.program, loaded, state.path)
    const starting = startPipeline({
      loaded,
      env: context.env,
      ...state.backing,
      logger,
      write: context.output.out,
      format,
      color,
      stripe: command.stripeUrl === undefined ? undefined : stripeConnectionFromUrl(command.stripeUrl),
      deadLetterHint: list
        ? `\`${list}\` lists it, and \`${list} --replay\` sends it again once the cause is fixed.`
        : "It stays in this process's outbox in Redis (`cashnotify dead-letters` does not read Redis yet).",
      signal: abort.signal,
    })
    const pipeline = await started(starting, signals, abort, logger)
    if (pipeline === 'interrupted') interrupted = true
    if (typeof pipeline === 'string') return pipeline === 'stopped' ? EXIT_CODES.ok : EXIT_CODES.interrupted
    const signal = await signals.first
    logger.info(`${signal}: stopping. Finishing the notifications being sent (Ctrl-C again to stop at once)…`)
    const stopped = pipeline.stop().then(() => 'stopped' as const)
    if ((await Promise.race([stopped, signals.second])) !== 'stopped') {
      logger.warn(
        'Stopping at once: notifications not yet sent stay in the outbox and go out at the next start.',
      )
      interrupted = true
      return EXIT_CODES.interrupted
    }
    await state.close()
    logger.info(`Stopped. State saved in ${state.path}.`)
    return EXIT_CODES.ok
  } catch (error) {
    if (error instanceof StartAborted) return EXIT_CODES.ok
    logger.error(message(error))
    return error instanceof ConfigError ? EXIT_CODES.config : EXIT_CODES.failed
  } finally {
    signals.dispose()
    // Cut short, the state is still in use by sends in flight: the process is about to end.
    if (!interrupted) await state.close()
  }
}
