import { CashNotify, ConfigError } from '@cashnotify/core'
import type { RunContext } from '../context.js'
import { EXIT_CODES } from '../exit-codes.js'
import { printableText } from '../output.js'
import { type OpenState, openState } from '../store/open-state.js'
import { redisStoreOf } from '../store/redis-state.js'
import { clusterDeadLetters } from './dead-letters-cluster.js'
import { replay } from './dead-letters-replay.js'
import { formatDeadLetters } from './dead-letters-report.js'
import { commandLog, deadLettersCommand, type LogFlags, loadOrExplain, statePath } from './setup.js'

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

/**
 * `cashnotify dead-letters`: lists the notifications that could not be delivered; with `--replay`,
 * sends them (all, or those named) again through the config's notifiers, and says how each went.
 * A replay needs the state file to itself: stop the daemon first (with the config's Redis store, the
 * cluster's dead letters are queued again for the running daemons instead). A state file that does not
 * exist is said so, rather than created empty and reported as "every notification was delivered".
 */
export async function runDeadLetters(command: DeadLettersCommand, context: RunContext): Promise<number> {
  const loaded = await loadOrExplain(command.config, context)
  if (typeof loaded === 'number') return loaded
  const { logger } = commandLog(loaded, command, context)
  let state: OpenState | undefined
  try {
    const redis = command.state === undefined ? redisStoreOf(loaded) : undefined
    if (redis) return await clusterDeadLetters(command, loaded, redis, logger, context)
    const path = statePath(loaded, command.state, context.env)
    state = openState(path, { lock: command.replay, create: false })
    if (command.replay) return await replay(command, loaded, state, logger, context)
    const letters = await new CashNotify({ store: state.store, logger }).deadLetters()
    const again = deadLettersCommand(context.program, loaded, state.path, ['--replay'])
    context.output.out(
      command.json ? JSON.stringify(letters, null, 2) : formatDeadLetters(letters, state.path, again),
    )
    return EXIT_CODES.ok
  } catch (error) {
    context.output.err(printableText(error instanceof Error ? error.message : String(error)))
    return error instanceof ConfigError ? EXIT_CODES.config : EXIT_CODES.failed
  } finally {
    await state?.close()
  }
}
