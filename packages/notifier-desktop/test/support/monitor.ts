import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { promisify } from 'node:util'
import { type DBusMessage, type DBusValue, type DictEntry, parseMessages } from './dbus-text.js'
import { Child } from './processes.js'

/** The interface of the signals the tests themselves send (markers, and the fake xdg-open's report). */
export const TEST_INTERFACE = 'org.cashnotify.Test'
const NOTIFICATIONS = 'org.freedesktop.Notifications'

/** A Notify call as the bus carried it to the daemon, and what the daemon answered. */
export interface ObservedNotification {
  readonly appName: string
  readonly replacesId: number
  readonly appIcon: string
  readonly summary: string
  readonly body: string
  readonly actions: readonly string[]
  readonly hints: Readonly<Record<string, DBusValue>>
  readonly expireTimeout: number
  /** The id the daemon gave it; `undefined` when it has not answered (or answered with an error). */
  readonly daemonId: number | undefined
  /** The D-Bus error the call got instead, if any. */
  readonly error: string | undefined
}

/**
 * dbus-monitor on the test session bus, watching Notify calls and their answers, who owns
 * org.freedesktop.Notifications, and the test's own signals. Everything is read as it arrives: waiting is
 * on lines, never on time.
 */
export class NotifyMonitor {
  readonly #child: Child
  readonly #env: NodeJS.ProcessEnv
  readonly #messages: DBusMessage[] = []
  #rest = ''
  #consumed = 0

  private constructor(env: NodeJS.ProcessEnv, track: (child: Child) => void) {
    this.#env = env
    this.#child = new Child(
      'dbus-monitor',
      [
        '--session',
        `type='method_call',interface='${NOTIFICATIONS}',member='Notify'`,
        "type='method_return'",
        "type='error'",
        `type='signal',sender='org.freedesktop.DBus',member='NameOwnerChanged',arg0='${NOTIFICATIONS}'`,
        `type='signal',interface='${TEST_INTERFACE}'`,
      ],
      { env },
    )
    track(this.#child)
  }

  /**
   * Starts dbus-monitor and waits until it is a monitor (the bus took its name away: `NameLost`).
   * `track` is told of the process, so whoever started it can stop it even if a test fails half-way.
   */
  static async start(env: NodeJS.ProcessEnv, track: (child: Child) => void): Promise<NotifyMonitor> {
    const monitor = new NotifyMonitor(env, track)
    await monitor.#waitForMessage((m) => m.member === 'NameLost', 'dbus-monitor to become a monitor', 0)
    return monitor
  }

  /** A position in the stream of messages: waits given it look only at messages read after it. */
  mark(): number {
    return this.messages.length
  }

  /** Every message seen so far. */
  get messages(): readonly DBusMessage[] {
    this.#parse()
    return this.#messages
  }

  /**
   * Makes sure every message the bus routed before now has been read: sends a marker signal and waits
   * for it (the bus delivers to the monitor in order).
   */
  async sync(): Promise<void> {
    const token = randomUUID()
    await promisify(execFile)(
      'dbus-send',
      ['--session', '--type=signal', '/org/cashnotify/Test', `${TEST_INTERFACE}.Marker`, `string:${token}`],
      { env: this.#env },
    )
    await this.#waitForMessage((m) => m.member === 'Marker' && m.args[0] === token, 'the marker signal', 0)
  }

  /** The Notify calls seen so far (after a {@link sync}), with the daemon's answers. */
  async notifications(): Promise<ObservedNotification[]> {
    await this.sync()
    const messages = this.messages
    return messages
      .filter((m) => m.kind === 'method call' && m.member === 'Notify')
      .map((call) => {
        const answer = messages.find(
          (m) =>
            (m.kind === 'method return' || m.kind === 'error') &&
            m.replySerial === call.serial &&
            m.destination === call.sender,
        )
        const [appName, replacesId, appIcon, summary, body, actions, hints, expireTimeout] = call.args
        return {
          appName: appName as string,
          replacesId: replacesId as number,
          appIcon: appIcon as string,
          summary: summary as string,
          body: body as string,
          actions: actions as string[],
          hints: Object.fromEntries(
            (hints as DictEntry[]).map((entry) => [entry.key as string, entry.value]),
          ),
          expireTimeout: expireTimeout as number,
          daemonId: answer?.kind === 'method return' ? (answer.args[0] as number) : undefined,
          error: answer?.kind === 'error' ? answer.errorName : undefined,
        }
      })
  }

  /**
   * Waits until, after `since` (a {@link mark}), some process owns org.freedesktop.Notifications (`true`)
   * or nobody does (`false`).
   */
  async waitForOwner(owned: boolean, since: number): Promise<void> {
    await this.#waitForMessage(
      (m) => m.member === 'NameOwnerChanged' && m.args[0] === NOTIFICATIONS && (m.args[2] !== '') === owned,
      owned ? 'a notification daemon to own the name' : 'the notification daemon to release the name',
      since,
    )
  }

  /**
   * Waits for a signal of the test interface after `since` (a {@link mark}), e.g. the fake xdg-open's
   * `Opened`, and returns its arguments.
   */
  async waitForSignal(member: string, since: number): Promise<readonly DBusValue[]> {
    const message = await this.#waitForMessage(
      (m) => m.kind === 'signal' && m.interface === TEST_INTERFACE && m.member === member,
      `the ${member} signal`,
      since,
    )
    return message.args
  }

  /** Stops dbus-monitor. */
  stop(): Promise<void> {
    return this.#child.stop()
  }

  /** Waits for the first message after `since` that passes the test. */
  #waitForMessage(test: (m: DBusMessage) => boolean, what: string, since: number): Promise<DBusMessage> {
    return this.#child.waitFor(() => {
      this.#parse()
      return this.#messages.slice(since).find(test)
    }, what)
  }

  #parse(): void {
    const text = this.#child.stdout
    const fresh = this.#rest + text.slice(this.#consumed)
    this.#consumed = text.length
    const { messages, rest } = parseMessages(fresh)
    this.#messages.push(...messages)
    this.#rest = rest
  }
}
