import { type RunContext, type StopSignals, stopSignals } from '../context.js'
import { type DemoCommand, startDemo } from '../demo/session.js'

export type { DemoCommand } from '../demo/session.js'

/** Resolves with why the demo ends: its time is up, or the first stop signal. */
async function endOf(duration: number | undefined, signals: StopSignals): Promise<string> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeUp = new Promise<string>((resolve) => {
    if (duration !== undefined) timer = setTimeout(() => resolve('time is up'), duration * 1000)
  })
  const why = await Promise.race([timeUp, signals.first])
  clearTimeout(timer)
  return why
}

/**
 * `cashnotify demo`: the Stripe simulator on loopback with two shops (one live, one test), traffic
 * every second or two, and `cashnotify watch`'s own pipeline notifying the console, the desktop when
 * there is one, and a local webhook receiver that verifies every signature; large sales are marked
 * (a rule) and today's digest so far is printed every 20 s and at the end. Stops after `duration`
 * seconds or at Ctrl-C, draining what is being sent; everything it made is deleted.
 */
export async function runDemo(command: DemoCommand, context: RunContext): Promise<number> {
  const signals = stopSignals(context.signals)
  try {
    const demo = await startDemo(command, context)
    try {
      return await demo.finish(await endOf(command.duration, signals), signals)
    } finally {
      await demo.close()
    }
  } finally {
    signals.dispose()
  }
}
