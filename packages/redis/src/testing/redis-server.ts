/**
 * A real `redis-server` for tests: on a free loopback port, in a temporary directory, with the settings
 * CashNotify asks of production (AOF every second, `noeviction`), stopped and restarted at will so that a
 * test can lose Redis mid-run. A missing binary fails with the install command; it is never skipped.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Options of {@link startRedisServer}. */
export interface RedisServerOptions {
  /**
   * The server's password (`requirepass`); the URL carries it.
   * @default undefined (no password)
   */
  password?: string
  /**
   * The `redis-server` binary.
   * @default process.env.REDIS_SERVER_BIN ?? 'redis-server'
   */
  binary?: string
  /**
   * The longest the server may take to accept connections, in ms.
   * @default 10000
   */
  startTimeoutMs?: number
}

/** A running `redis-server` and the means to stop it. */
export interface RedisServer {
  /** `redis://[:password@]127.0.0.1:<port>`. */
  readonly url: string
  /** The loopback port, kept across restarts. */
  readonly port: number
  /** The server's working directory (its AOF files), removed by {@link RedisServer.stop}. */
  readonly dir: string
  /** Whether the server is running now. */
  readonly running: boolean
  /** Stops the server (`SIGTERM`, or `SIGKILL` to crash it) and keeps its directory, for a restart. */
  pause(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>
  /** Starts the server again on the same port and directory: what it had persisted comes back. */
  resume(): Promise<void>
  /** Stops the server and removes its directory. Safe to call twice. */
  stop(): Promise<void>
}

const INSTALL_HINT =
  'Install it with `apt-get install redis-server` (Debian, Ubuntu; `.ci/run` does it), or set ' +
  'REDIS_SERVER_BIN to its path.'

/** A port the kernel says is free on 127.0.0.1 now. */
async function freePort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  server.close()
  await once(server, 'close')
  if (address === null || typeof address === 'string') throw new Error('No TCP port could be had.')
  return address.port
}

/** The server's settings: loopback only, persisted like production, never evicting a key. */
function serverArgs(port: number, dir: string, password: string | undefined): string[] {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--daemonize', 'no']
  args.push('--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec')
  args.push('--maxmemory-policy', 'noeviction', '--loglevel', 'notice', '--logfile', '')
  if (password !== undefined) args.push('--requirepass', password)
  return args
}

/** Spawns the server and resolves once it accepts connections; rejects if it exits or does not start. */
async function spawnServer(binary: string, args: string[], timeoutMs: number): Promise<ChildProcess> {
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const collect = (chunk: Buffer): void => {
    output = `${output}${chunk.toString()}`.slice(-4000)
  }
  child.stdout?.on('data', collect)
  child.stderr?.on('data', collect)
  return new Promise<ChildProcess>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`redis-server did not start within ${timeoutMs} ms:\n${output}`))
    }, timeoutMs)
    const done = (error?: Error): void => {
      clearTimeout(timer)
      child.stdout?.off('data', ready)
      if (error) reject(error)
      else resolve(child)
    }
    const ready = (): void => {
      if (output.includes('Ready to accept connections')) done()
    }
    child.stdout?.on('data', ready)
    child.once('error', (error: NodeJS.ErrnoException) =>
      done(
        error.code === 'ENOENT'
          ? new Error(
              `\`${binary}\` was not found: the Redis tests need a real redis-server. ${INSTALL_HINT}`,
            )
          : error,
      ),
    )
    child.once('exit', (code, signal) =>
      done(new Error(`redis-server exited (${signal ?? `code ${code}`}) before it was ready:\n${output}`)),
    )
  })
}

/**
 * Starts a `redis-server` on a free port of 127.0.0.1 in a new temporary directory.
 * @throws when the binary is missing, saying how to install it.
 * @example
 * ```ts
 * const redis = await startRedisServer()
 * afterAll(() => redis.stop())
 * ```
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const binary = options.binary ?? process.env.REDIS_SERVER_BIN ?? 'redis-server'
  const timeoutMs = options.startTimeoutMs ?? 10_000
  const dir = await mkdtemp(join(tmpdir(), 'cashnotify-redis-'))
  const password = options.password
  let port = 0
  let child: ChildProcess | undefined
  // Another process can take the free port between the probe and the bind: try a few.
  for (let attempt = 0; child === undefined; attempt++) {
    port = await freePort()
    try {
      child = await spawnServer(binary, serverArgs(port, dir, password), timeoutMs)
    } catch (error) {
      const taken = error instanceof Error && /Address already in use/.test(error.message)
      if (!taken || attempt >= 4) {
        await rm(dir, { recursive: true, force: true })
        throw error
      }
    }
  }
  const auth = password === undefined ? '' : `:${encodeURIComponent(password)}@`
  let current: ChildProcess | undefined = child
  // A test run that dies must not leave its server behind.
  const killOnExit = (): void => {
    current?.kill('SIGKILL')
  }
  process.once('exit', killOnExit)
  const pause = async (signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> => {
    const running = current
    current = undefined
    if (running === undefined || running.exitCode !== null || running.signalCode !== null) return
    const exited = once(running, 'exit')
    running.kill(signal)
    await exited
  }
  return {
    url: `redis://${auth}127.0.0.1:${port}`,
    port,
    dir,
    get running() {
      return current !== undefined
    },
    pause,
    async resume() {
      if (current !== undefined) return
      current = await spawnServer(binary, serverArgs(port, dir, password), timeoutMs)
    },
    async stop() {
      process.off('exit', killOnExit)
      await pause()
      await rm(dir, { recursive: true, force: true })
    },
  }
}
