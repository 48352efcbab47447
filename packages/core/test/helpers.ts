import { ManualClock, type SimulatorOptions, StripeSimulator } from '@cashnotify/stripe-simulator'
import type { CheckKeyOptions, StripeConnectionOptions } from '../src/index.js'
import { REQUIRED_PERMISSIONS } from '../src/index.js'

/** Every permission of the help article, required and optional. */
export const ALL_PERMISSIONS = [
  ...REQUIRED_PERMISSIONS,
  'rak_connected_account_read',
  'rak_checkout_session_read',
  'rak_file_write',
] as const

/** A simulator served over real HTTP on loopback, and the connection settings that reach it. */
export interface RunningSimulator {
  sim: StripeSimulator
  stripe: StripeConnectionOptions
  close(): Promise<void>
}

/** Starts a simulator on 127.0.0.1; close it in `afterEach`/`afterAll`. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const sim = new StripeSimulator(options)
  const server = await sim.listen()
  return {
    sim,
    stripe: { host: server.host, port: server.port, protocol: 'http' },
    close: () => server.close(),
  }
}

/** checkKey options for the simulator, without retries so failures show at once. */
export function viaSimulator(running: RunningSimulator): CheckKeyOptions {
  // Not begun full: a test's first request need not wait out a second another process might have used.
  return { stripe: running.stripe, retry: { retries: 0 }, budget: { startFull: false } }
}

export { ManualClock }
