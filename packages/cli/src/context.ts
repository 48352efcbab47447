import type { Output } from './output.js'

/** Where stop signals come from: `process`, or an emitter in tests. */
export type SignalSource = Pick<NodeJS.EventEmitter, 'on' | 'off'>

/** What a command gets from the process it runs in, injected so that tests run commands in-process. */
export interface RunContext {
  /** Where lines go: `out` for results and the console notifier, `err` for logs. */
  readonly output: Output
  /** The environment keys and secrets are read from. */
  readonly env: Readonly<Record<string, string | undefined>>
  /** Whether logs go to a terminal: text for a person, else JSON lines. */
  readonly tty: boolean
  /** SIGINT and SIGTERM. */
  readonly signals: SignalSource
  /** How to start this CLI in a command it suggests: `cashnotify`, `npx cashnotify`, `node /opt/…/cli.js`. */
  readonly program: string
}

/** The context of the real process. */
export function processContext(output: Output): RunContext {
  return {
    output,
    env: process.env,
    tty: Boolean(process.stderr.isTTY),
    signals: process,
    program: 'cashnotify',
  }
}

/** A stop request: the first SIGINT/SIGTERM, then a second one for "now". */
export interface StopSignals {
  /** Resolves with the first signal's name. */
  readonly first: Promise<string>
  /** Resolves with the second signal's name. */
  readonly second: Promise<string>
  /** Stops listening. */
  dispose(): void
}

/** Listens for SIGINT and SIGTERM: the first asks for a clean stop, a second one for an immediate one. */
export function stopSignals(source: SignalSource): StopSignals {
  const received: Array<(name: string) => void> = []
  const first = new Promise<string>((resolve) => received.push(resolve))
  const second = new Promise<string>((resolve) => received.push(resolve))
  let count = 0
  const on = (name: string) => () => received[count++]?.(name)
  const onInt = on('SIGINT')
  const onTerm = on('SIGTERM')
  source.on('SIGINT', onInt)
  source.on('SIGTERM', onTerm)
  return {
    first,
    second,
    dispose() {
      source.off('SIGINT', onInt)
      source.off('SIGTERM', onTerm)
    },
  }
}
