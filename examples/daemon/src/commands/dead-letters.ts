import { CashNotify, type DeadLetter, type Logger } from '@cashnotify/core'
import type { LoadedConfig } from '../config/load.js'
import type { RunContext } from '../context.js'
import { EXIT_CODES } from '../exit-codes.js'
import { notifiersFromConfig } from '../notifiers/from-config.js'
import { type OpenState, openState } from '../store/open-state.js'
import { commandLog, type LogFlags, loadOrExplain, statePath } from './setup.js'

/** Input of {@link runDeadLetters}. */
export interface DeadLettersCommand extends LogFlags {
  /** `--config`. */
  readonly config?: string | undefined
  /** `--state`: the SQLite state file, instead of the config's `store`. */
  readonly state?: string | undefined
  /** `--json`: the list as JSON. */
  readonly json: boolean
  /** `--replay`: send them again. */
  readonly replay: boolean
  /** The ids to replay; all when empty. */
  readonly ids: readonly string[]
  /** How long a replay waits for its sends, ms. @default 60000 */
  readonly waitMs?: number
}

function when(date: Date): string {
  return date.toISOString().replace('T', ' ').slice(0, 16)
}

/** The dead letters as a person reads them. */
export function formatDeadLetters(letters: readonly DeadLetter[], path: string, configPath: string): string {
  if (letters.length === 0) return `No dead letters in ${path}: every notification was delivered.`
  const out = [`${letters.length} dead letter${letters.length === 1 ? '' : 's'} in ${path}`, '']
  for (const letter of letters) {
    out.push(
      `${letter.id}`,
      `  ${letter.notification.title}`,
      `  ${letter.notifier}, ${letter.attempts} attempt${letter.attempts === 1 ? '' : 's'}, last at ${when(letter.failedAt)} UTC: ${letter.error.code}: ${letter.error.message.replace(/^\[cashnotify\] /, '')}`,
      '',
    )
  }
  out.push(
    `Once the cause is fixed, send them again: cashnotify dead-letters --config ${configPath} --replay [id …]`,
  )
  return out.join('\n')
}

/**
 * `cashnotify dead-letters`: lists the notifications that could not be delivered; with `--replay`,
 * sends them (all, or those named) again through the config's notifiers, and says how each went.
 * A replay needs the state to itself: stop the daemon first.
 */
export async function runDeadLetters(command: DeadLettersCommand, context: RunContext): Promise<number> {
  const loaded = await loadOrExplain(command.config, context)
  if (typeof loaded === 'number') return loaded
  const { logger } = commandLog(loaded, command, context)
  let state: OpenState | undefined
  try {
    state = openState(statePath(loaded, command.state, context.env), { lock: command.replay })
    if (!command.replay) {
      const letters = await new CashNotify({ store: state.store, logger }).deadLetters()
      context.output.out(
        command.json
          ? JSON.stringify(letters, null, 2)
          : formatDeadLetters(letters, state.path, loaded.source),
      )
      return EXIT_CODES.ok
    }
    return await replay(command, loaded, state, logger, context)
  } catch (error) {
    context.output.err(error instanceof Error ? error.message : String(error))
    return EXIT_CODES.failed
  } finally {
    await state?.close()
  }
}

async function replay(
  command: DeadLettersCommand,
  loaded: LoadedConfig,
  state: OpenState,
  logger: Logger,
  context: RunContext,
): Promise<number> {
  const { format, color } = commandLog(loaded, command, context)
  const built = await notifiersFromConfig(loaded.config.notifiers ?? [], {
    env: context.env,
    dir: loaded.dir,
    warn: (message) => logger.warn(message),
    write: context.output.out,
    format,
    color,
    logger,
  })
  const cn = new CashNotify({ store: state.store, logger, notifiers: built.map((item) => item.entry) })
  const letters = await cn.deadLetters()
  const unknown = command.ids.filter((id) => !letters.some((letter) => letter.id === id))
  if (unknown.length > 0) {
    context.output.err(
      `No dead letter ${unknown.join(', ')}. \`cashnotify dead-letters --config ${loaded.source}\` lists them.`,
    )
    return EXIT_CODES.failed
  }
  const names = new Set(built.map((item) => item.entry.notifier.name))
  const chosen = letters.filter((letter) => command.ids.length === 0 || command.ids.includes(letter.id))
  const orphans = chosen.filter((letter) => !names.has(letter.notifier))
  for (const letter of orphans)
    context.output.err(
      `${letter.id} is for "${letter.notifier}", which is not in the config: it stays a dead letter.`,
    )
  const wanted = chosen.filter((letter) => names.has(letter.notifier))
  if (wanted.length === 0) {
    context.output.out(chosen.length === 0 ? 'No dead letters to replay.' : 'Nothing replayed.')
    return orphans.length > 0 ? EXIT_CODES.failed : EXIT_CODES.ok
  }
  const outcome = new Map<string, string>()
  let settle = (): void => {}
  const settled = new Promise<void>((resolve) => {
    settle = resolve
  })
  const record = (notifier: string, id: string, result: string): void => {
    const key = `${notifier}:${id}`
    if (!wanted.some((letter) => letter.id === key) || outcome.has(key)) return
    outcome.set(key, result)
    if (outcome.size === wanted.length) settle()
  }
  cn.on('notification.delivered', ({ notifier, notification }) =>
    record(notifier, notification.id, 'delivered'),
  )
  cn.on('notification.retry', ({ notifier, notification, error }) =>
    record(notifier, notification.id, `failed again, to be retried by the daemon: ${error.message}`),
  )
  cn.on('notification.dead_letter', ({ deadLetter, error }) =>
    record(deadLetter.notifier, deadLetter.notification.id, `failed again: ${error.message}`),
  )
  await cn.start()
  context.output.out(`Replaying ${wanted.length} dead letter${wanted.length === 1 ? '' : 's'}…`)
  await cn.replay(wanted.map((letter) => letter.id))
  const timer = setTimeout(() => settle(), command.waitMs ?? 60_000)
  await settled
  clearTimeout(timer)
  await cn.close()
  for (const letter of wanted) {
    const result =
      outcome.get(letter.id) ?? 'not sent yet: it waits in the outbox for the next `cashnotify watch`'
    context.output.out(
      `${result === 'delivered' ? '✓' : '✗'} ${letter.id} (${letter.notification.title}): ${result.replace(/\[cashnotify\] /, '')}`,
    )
  }
  const delivered = [...outcome.values()].filter((result) => result === 'delivered').length
  context.output.out(`${delivered} of ${wanted.length} delivered.`)
  return delivered === wanted.length && orphans.length === 0 ? EXIT_CODES.ok : EXIT_CODES.failed
}
