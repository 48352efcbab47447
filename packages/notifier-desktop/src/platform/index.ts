import { setupError } from '../errors.js'
import type { ResolvedOptions } from '../resolve-options.js'
import { linuxDriver } from './linux.js'
import { macosDriver } from './macos.js'
import type { PlatformDriver } from './types.js'
import { windowsDriver } from './windows.js'

/** Platforms whose desktops speak the freedesktop notification protocol over D-Bus. */
const FREEDESKTOP: readonly NodeJS.Platform[] = ['linux', 'freebsd', 'openbsd', 'netbsd' as NodeJS.Platform]

/** The driver for the configured platform; one that only fails, saying why, on an unsupported one. */
export function platformDriver(options: ResolvedOptions): PlatformDriver {
  if (options.platform === 'darwin') return macosDriver(options)
  if (options.platform === 'win32') return windowsDriver(options)
  if (FREEDESKTOP.includes(options.platform)) return linuxDriver(options)
  const unsupported = async (): Promise<never> => {
    throw setupError(
      `Cannot show desktop notifications on ${options.platform}: only macOS, Windows, Linux and the BSDs are supported.`,
    )
  }
  return { check: unsupported, show: unsupported, close: async () => {} }
}
