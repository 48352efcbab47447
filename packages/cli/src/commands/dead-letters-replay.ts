import { CashNotify, type DeadLetter, type Logger } from '@cashnotify/core'
import type { LoadedConfig } from '../config/load.js'
import type { RunContext } from '../context.js'
import { EXIT_CODES } from '../exit-codes.js'
import { notifiersFromConfig } from '../notifiers/from-config.js'
import { printableText } from '../output.js'
import type { OpenState } from '../store/open-state.js'
import type { DeadLettersCommand } from './dead-letters.js'
import { commandLog, deadLettersCommand } from './setup.js'

const plain = (message: string): string => message.replace(/\[cashnotify\] /, '')

/** Waits for each wanted letter's outcome (delivered, retried, dead again), for at most `waitMs`. */
function outcomes(
  cn: CashNotify,
  wanted: readonly DeadLetter[],
  waitMs: number,
): Promise<Map<string, string>> {
  const outcome = new Map<string, string>()
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(outcome), waitMs)
    const record = (notifier: string, id: string, result: string): void => {
      const key = `${notifier}:${id}`
      if (!wanted.some((letter) => letter.id === key) || outcome.has(key)) return
      outcome.set(key, result)
      if (outcome.size < wanted.length) return
      clearTimeout(timer)
      resolve(outcome)
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
  })
}

/** The letters to replay: those named (all when none is), less those whose notifier left the config. */
export function choose(
  letters: readonly DeadLetter[],
  ids: readonly string[],
  names: ReadonlySet<string>,
  context: RunContext,
): { wanted: DeadLetter[]; orphans: DeadLetter[]; chosen: DeadLetter[] } {
  const chosen = letters.filter((letter) => ids.length === 0 || ids.includes(letter.id))
  const orphans = chosen.filter((letter) => !names.has(letter.notifier))
  for (const letter of orphans)
    context.output.err(
      printableText(
        `${letter.id} is for "${letter.notifier}", which is not in the config: it stays a dead letter.`,
      ),
    )
  return { wanted: chosen.filter((letter) => names.has(letter.notifier)), orphans, chosen }
}

/** The config's notifiers, built as `cashnotify watch` builds them. */
export function configNotifiers(
  command: DeadLettersCommand,
  loaded: LoadedConfig,
  logger: Logger,
  context: RunContext,
): ReturnType<typeof notifiersFromConfig> {
  const { format, color } = commandLog(loaded, command, context)
  return notifiersFromConfig(loaded.config.notifiers ?? [], {
    env: context.env,
    dir: loaded.dir,
    warn: (message) => logger.warn(message),
    write: context.output.out,
    format,
    color,
    logger,
  })
}

/** `dead-letters --replay`: sends the chosen letters again through the config's notifiers. */
export async function replay(
  command: DeadLettersCommand,
  loaded: LoadedConfig,
  state: OpenState,
  logger: Logger,
  context: RunContext,
): Promise<number> {
  const built = await configNotifiers(command, loaded, logger, context)
  const cn = new CashNotify({ store: state.store, logger, notifiers: built.map((item) => item.entry) })
  const letters = await cn.deadLetters()
  const unknown = command.ids.filter((id) => !letters.some((letter) => letter.id === id))
  if (unknown.length > 0) {
    const list = deadLettersCommand(context.program, loaded, state.path)
    context.output.err(printableText(`No dead letter ${unknown.join(', ')}. \`${list}\` lists them.`))
    return EXIT_CODES.failed
  }
  const names = new Set(built.map((item) => item.entry.notifier.name))
  const { wanted, orphans, chosen } = choose(letters, command.ids, names, context)
  if (wanted.length === 0) {
    context.output.out(chosen.length === 0 ? 'No dead letters to replay.' : 'Nothing replayed.')
    return orphans.length > 0 ? EXIT_CODES.failed : EXIT_CODES.ok
  }
  const settled = outcomes(cn, wanted, command.waitMs ?? 60_000)
  await cn.start()
  context.output.out(`Replaying ${wanted.length} dead letter${wanted.length === 1 ? '' : 's'}…`)
  await cn.replay(wanted.map((letter) => letter.id))
  const outcome = await settled
  await cn.close()
  for (const letter of wanted) {
    const result =
      outcome.get(letter.id) ?? 'not sent yet: it waits in the outbox for the next `cashnotify watch`'
    const mark = result === 'delivered' ? '✓' : '✗'
    context.output.out(printableText(`${mark} ${letter.id} (${letter.notification.title}): ${plain(result)}`))
  }
  const delivered = [...outcome.values()].filter((result) => result === 'delivered').length
  context.output.out(`${delivered} of ${wanted.length} delivered.`)
  return delivered === wanted.length && orphans.length === 0 ? EXIT_CODES.ok : EXIT_CODES.failed
}
