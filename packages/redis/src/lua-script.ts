/**
 * A Lua script run by its SHA1 (`EVALSHA`), loaded again when Redis does not know it: after a restart,
 * a failover or `SCRIPT FLUSH`. Each script runs atomically: no other command runs between its steps.
 */
import { createHash } from 'node:crypto'
import type { Redis } from 'ioredis'

/** One Lua script; `run` sends its keys and arguments. */
export class LuaScript {
  readonly #source: string
  readonly #sha: string

  constructor(source: string) {
    this.#source = source
    this.#sha = createHash('sha1').update(source).digest('hex')
  }

  /** Runs the script; its reply as Redis sent it. */
  async run(redis: Redis, keys: readonly string[], args: ReadonlyArray<string | number>): Promise<unknown> {
    try {
      return await redis.evalsha(this.#sha, keys.length, ...keys, ...args)
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error
      return redis.eval(this.#source, keys.length, ...keys, ...args)
    }
  }
}
