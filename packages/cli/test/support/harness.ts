import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { OPTIONAL_PERMISSIONS, REQUIRED_PERMISSIONS } from '@cashnotify/core'
import { StripeSimulator } from '@cashnotify/stripe-simulator'
import type { Output } from '../../src/output.js'

/** The simulator over real HTTP on 127.0.0.1. */
export interface SimHarness {
  readonly sim: StripeSimulator
  readonly url: string
  close(): Promise<void>
}

/** Starts a simulator (rate limits off: tests poll every second and check keys in parallel). */
export async function startSim(seed = 7): Promise<SimHarness> {
  const sim = new StripeSimulator({ seed, rateLimits: false })
  const server = await sim.listen()
  return { sim, url: server.url, close: () => server.close() }
}

/** A restricted key with every permission CashNotify uses. */
export function fullKey(sim: StripeSimulator, account: string, mode: 'live' | 'test' = 'test'): string {
  return sim.createKey({
    account,
    kind: 'restricted',
    mode,
    permissions: [...REQUIRED_PERMISSIONS, ...OPTIONAL_PERMISSIONS],
  })
}

/** A temporary directory, deleted by `remove()`. */
export function tempDir(): { readonly path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'cashnotify-daemon-test-'))
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) }
}

/** An {@link Output} that keeps every line. */
export function captured(): { readonly output: Output; readonly out: string[]; readonly err: string[] } {
  const out: string[] = []
  const err: string[] = []
  return { output: { out: (text) => out.push(text), err: (text) => err.push(text) }, out, err }
}

/**
 * Waits until `condition` holds, checking every 20 ms, for at most `timeoutMs`: tests wait on what they
 * expect (a line, a count), never for a fixed time.
 */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** The JSON lines among `lines`, parsed. */
export function jsonLines(lines: readonly string[]): Array<Record<string, unknown>> {
  return lines
    .flatMap((line) => line.split('\n'))
    .flatMap((line) => {
      try {
        const value: unknown = JSON.parse(line)
        return typeof value === 'object' && value !== null ? [value as Record<string, unknown>] : []
      } catch {
        return []
      }
    })
}
