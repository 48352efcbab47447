/**
 * `cashnotify dead-letters` with the config's Redis store: the cluster's dead letters (every process's),
 * and with `--replay` they are queued again for the running `cashnotify watch` processes, which send
 * them: no daemon needs to stop. Nothing here joins the cluster or polls.
 */
import { CashNotify, type Logger } from '@cashnotify/core'
import type { LoadedConfig } from '../config/load.js'
import type { RedisStoreConfig } from '../config/schema.js'
import type { RunContext } from '../context.js'
import { EXIT_CODES } from '../exit-codes.js'
import { printableText } from '../output.js'
import { commandLine } from '../shell.js'
import { redisClusterOf } from '../store/redis-state.js'
import type { DeadLettersCommand } from './dead-letters.js'
import { choose, configNotifiers } from './dead-letters-replay.js'
import { formatDeadLetters } from './dead-letters-report.js'

/** Lists the cluster's dead letters, or (`--replay`) queues them again; resolves the exit code. */
export async function clusterDeadLetters(
  command: DeadLettersCommand,
  loaded: LoadedConfig,
  store: RedisStoreConfig,
  logger: Logger,
  context: RunContext,
): Promise<number> {
  const cluster = await redisClusterOf(store, context.env, logger)
  const list = commandLine(context.program, ['dead-letters', '--config', loaded.source])
  const built = command.replay ? await configNotifiers(command, loaded, logger, context) : []
  const cn = new CashNotify({ cluster, logger, notifiers: built.map((item) => item.entry) })
  try {
    await cluster.start()
    const letters = await cn.deadLetters()
    if (!command.replay) {
      const text = formatDeadLetters(letters, cluster.maskedUrl, `${list} --replay`, true)
      context.output.out(command.json ? JSON.stringify(letters, null, 2) : text)
      return EXIT_CODES.ok
    }
    const unknown = command.ids.filter((id) => !letters.some((letter) => letter.id === id))
    if (unknown.length > 0) {
      context.output.err(printableText(`No dead letter ${unknown.join(', ')}. \`${list}\` lists them.`))
      return EXIT_CODES.failed
    }
    const names = new Set(built.map((item) => item.entry.notifier.name))
    const { wanted, orphans } = choose(letters, command.ids, names, context)
    const queued = await cn.replay(wanted.map((letter) => letter.id))
    context.output.out(
      queued === 0
        ? 'No dead letters to replay.'
        : `Queued ${queued} dead letter${queued === 1 ? '' : 's'} again: the running \`cashnotify watch\` processes send ${queued === 1 ? 'it' : 'them'}. \`${list}\` shows any that fail again.`,
    )
    return orphans.length > 0 ? EXIT_CODES.failed : EXIT_CODES.ok
  } finally {
    await cn.close() // closes the cluster's connections too, and the notifiers built here
  }
}
