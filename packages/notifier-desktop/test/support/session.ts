import { existsSync } from 'node:fs'
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { NotifyMonitor, TEST_INTERFACE } from './monitor.js'
import { Child, requirePrograms } from './processes.js'

/** A private desktop for tests: an X server (Xvfb) and a D-Bus session bus, nothing shared with the host. */
export interface DesktopSession {
  /** The environment a notifier (and the daemon) must get: DISPLAY, DBUS_SESSION_BUS_ADDRESS, PATH, HOME. */
  readonly env: Readonly<Record<string, string>>
  /** A fresh directory for each call, e.g. a notifier's icon cache. */
  tempDir(): Promise<string>
  /** Starts dbus-monitor on the session bus. */
  monitor(): Promise<NotifyMonitor>
  /** Starts dunst and waits until it owns org.freedesktop.Notifications. */
  startDaemon(monitor: NotifyMonitor): Promise<NotificationDaemon>
  /** Stops everything it started and removes its files. */
  stop(): Promise<void>
}

/** A running dunst. */
export interface NotificationDaemon {
  /** SIGSTOP: the daemon keeps its name but answers nothing. */
  pause(): void
  /** SIGCONT. */
  resume(): void
  /** Stops it and waits until the bus says nobody owns the name any more. */
  stop(): Promise<void>
  /** Whether it runs (possibly paused). */
  readonly running: boolean
  /** Runs `dunstctl` against it (e.g. `action 0`: clicks the newest notification). */
  ctl(...args: string[]): Promise<void>
}

/** A minimal session bus: no service files, so nothing is auto-started; everyone may watch. */
const BUS_CONFIG = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=DIR</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`

const DUNSTRC = `[global]
    markup = full
    notification_limit = 0
    history_length = 200
    idle_threshold = 0
[urgency_low]
    timeout = 60
[urgency_normal]
    timeout = 60
[urgency_critical]
    timeout = 0
`

/** Stands in for xdg-open: reports the URL it was asked to open as a D-Bus signal the monitor sees. */
const FAKE_XDG_OPEN = `#!/bin/sh
exec dbus-send --session --type=signal /org/cashnotify/Test ${TEST_INTERFACE}.Opened "string:$1"
`

/**
 * Starts Xvfb on a free display (it picks the number itself and writes it to a pipe once it accepts
 * connections) and a private session bus. Fails with an install hint when a program is missing.
 */
export async function startDesktopSession(): Promise<DesktopSession> {
  await requirePrograms()
  const root = await mkdtemp(join(tmpdir(), 'cashnotify-desktop-test-'))
  const children: Child[] = []
  try {
    const bin = join(root, 'bin')
    await mkdir(bin)
    await writeFile(join(bin, 'xdg-open'), FAKE_XDG_OPEN)
    await chmod(join(bin, 'xdg-open'), 0o755)
    await writeFile(join(root, 'bus.conf'), BUS_CONFIG.replace('DIR', root))
    await writeFile(join(root, 'dunstrc'), DUNSTRC)

    const xvfb = new Child(
      'Xvfb',
      ['-displayfd', '3', '-nolisten', 'tcp', '-noreset', '-screen', '0', '1024x768x24'],
      { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] },
    )
    children.push(xvfb)
    const display = await readDisplay(xvfb)
    if (!existsSync(`/tmp/.X11-unix/X${display}`)) {
      throw new Error(
        `Xvfb said it serves display :${display}, but /tmp/.X11-unix/X${display} does not exist.`,
      )
    }

    const bus = new Child('dbus-daemon', [
      '--config-file',
      join(root, 'bus.conf'),
      '--print-address',
      '--nofork',
    ])
    children.push(bus)
    const address = await bus.waitFor((out) => /^(unix:\S+)\n/.exec(out)?.[1], 'the bus address')

    const env = {
      PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`,
      HOME: root,
      XDG_CONFIG_HOME: join(root, 'config'),
      DISPLAY: `:${display}`,
      DBUS_SESSION_BUS_ADDRESS: address,
    }
    let count = 0
    // Every process a test starts through the session, so that stop() ends them even after a failure.
    const track = (child: Child): void => {
      children.push(child)
    }
    return {
      env,
      tempDir: async () => {
        const dir = join(root, `tmp-${++count}`)
        await mkdir(dir)
        return dir
      },
      monitor: () => NotifyMonitor.start(env, track),
      startDaemon: (monitor) => startDunst(env, join(root, 'dunstrc'), monitor, track),
      stop: async () => {
        for (const child of [...children].reverse()) await child.stop()
        await rm(root, { recursive: true, force: true })
      },
    }
  } catch (error) {
    for (const child of [...children].reverse()) await child.stop()
    await rm(root, { recursive: true, force: true })
    throw error
  }
}

function readDisplay(xvfb: Child): Promise<number> {
  const pipe = xvfb.process.stdio[3] as Readable
  let text = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`Xvfb did not start within 10 s: ${xvfb.stderr}`)),
      10_000,
    )
    pipe.setEncoding('utf8').on('data', (chunk: string) => {
      text += chunk
      const match = /^(\d+)\n/.exec(text)
      if (match) {
        clearTimeout(timer)
        resolve(Number(match[1]))
      }
    })
    void xvfb.exited.then(() => {
      clearTimeout(timer)
      reject(new Error(`Xvfb exited before it served a display: ${xvfb.stderr}`))
    })
  })
}

async function startDunst(
  env: Readonly<Record<string, string>>,
  config: string,
  monitor: NotifyMonitor,
  track: (child: Child) => void,
): Promise<NotificationDaemon> {
  const mark = monitor.mark()
  const dunst = new Child('dunst', ['-config', config], { env })
  track(dunst)
  let started = false
  try {
    await Promise.race([
      monitor.waitForOwner(true, mark),
      dunst.exited.then(() => {
        if (!started) throw new Error(`dunst exited at start-up: ${dunst.stderr}`)
      }),
    ])
  } catch (error) {
    await dunst.stop()
    throw error
  }
  started = true
  return {
    pause: () => dunst.process.kill('SIGSTOP'),
    resume: () => dunst.process.kill('SIGCONT'),
    get running() {
      return dunst.running
    },
    stop: async () => {
      if (!dunst.running) return
      const since = monitor.mark()
      await dunst.stop()
      await monitor.waitForOwner(false, since)
    },
    ctl: async (...args) => {
      const ctl = new Child('dunstctl', args, { env })
      track(ctl)
      await ctl.exited
      if (ctl.process.exitCode !== 0) throw new Error(`dunstctl ${args.join(' ')} failed: ${ctl.stderr}`)
    },
  }
}
