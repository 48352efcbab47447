import { basename, resolve } from 'node:path'
import { shellQuote } from './shell.js'

/**
 * How to start this CLI again, for the commands it suggests (the dead-letters hint): `npx cashnotify`
 * under npx, `cashnotify` when it was started by that name (from the PATH), else node with the script's
 * absolute path, as a systemd unit starts it.
 */
export function invocation(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): string {
  if (env.npm_command === 'exec') return 'npx cashnotify'
  const script = argv[1]
  if (script === undefined || basename(script) === 'cashnotify') return 'cashnotify'
  return `node ${shellQuote(resolve(script))}`
}
