import { createHash } from 'node:crypto'
import { desktopError, firstLine, setupError } from '../errors.js'
import type { ResolvedOptions } from '../resolve-options.js'
import { CommandFailure, run } from '../run.js'
import type { CommandLine } from './macos.js'
import type { DesktopMessage, PlatformDriver } from './types.js'

/**
 * Windows PowerShell 5.1, which ships with Windows 10 and 11 and can load the WinRT toast classes
 * (PowerShell 7, `pwsh`, cannot).
 */
export const POWERSHELL = 'powershell.exe'
/** The sound played when `sound` is `true`. */
export const DEFAULT_WINDOWS_SOUND = 'ms-winsoundevent:Notification.Default'

/** The options the Windows driver reads. */
export type WindowsOptions = Pick<
  ResolvedOptions,
  'appName' | 'sound' | 'openOnClick' | 'windowsAppId' | 'env' | 'spawn'
>

/**
 * The toast's XML: title, body, the app name as attribution, the logo as the app logo, the sound, and a
 * click that opens the URL (protocol activation works after PowerShell has exited).
 */
export function toastXml(
  message: DesktopMessage,
  options: Pick<WindowsOptions, 'appName' | 'sound' | 'openOnClick'>,
): string {
  const launch =
    options.openOnClick && message.url !== undefined
      ? ` activationType="protocol" launch="${xml(message.url)}"`
      : ''
  const image =
    message.iconPath === undefined
      ? ''
      : `<image placement="appLogoOverride" src="${xml(fileUrl(message.iconPath))}"/>`
  const audio =
    options.sound === false
      ? '<audio silent="true"/>'
      : `<audio src="${xml(options.sound === true || !options.sound.startsWith('ms-winsoundevent:') ? DEFAULT_WINDOWS_SOUND : options.sound)}"/>`
  return (
    `<toast${launch}><visual><binding template="ToastGeneric">` +
    `<text>${xml(message.title)}</text><text>${xml(message.body)}</text>` +
    `<text placement="attribution">${xml(options.appName)}</text>${image}` +
    `</binding></visual>${audio}</toast>`
  )
}

/** The PowerShell script that shows a toast, tagged with the notification id so a retry replaces it. */
export function toastScript(
  message: DesktopMessage,
  options: Parameters<typeof toastXml>[1] & { windowsAppId: string },
): string {
  const tag = createHash('sha256').update(message.id).digest('hex').slice(0, 32)
  return [
    "$ErrorActionPreference = 'Stop'",
    '$null = [Windows.UI.Notifications.ToastNotificationManager, Windows.UI.Notifications, ContentType = WindowsRuntime]',
    '$null = [Windows.Data.Xml.Dom.XmlDocument, Windows.Data.Xml.Dom.XmlDocument, ContentType = WindowsRuntime]',
    '$xml = New-Object Windows.Data.Xml.Dom.XmlDocument',
    `$xml.LoadXml(${powershellString(toastXml(message, options))})`,
    '$toast = New-Object Windows.UI.Notifications.ToastNotification $xml',
    `$toast.Tag = ${powershellString(tag)}`,
    "$toast.Group = 'cashnotify'",
    `[Windows.UI.Notifications.ToastNotificationManager]::CreateToastNotifier(${powershellString(options.windowsAppId)}).Show($toast)`,
  ].join('\n')
}

/**
 * The command line: the script passed as `-EncodedCommand` (base64 of UTF-16LE), so no text of the
 * notification is ever parsed by a command line or a shell.
 */
export function windowsCommand(message: DesktopMessage, options: WindowsOptions): CommandLine {
  const encoded = Buffer.from(toastScript(message, options), 'utf16le').toString('base64')
  return {
    command: POWERSHELL,
    args: ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand', encoded],
  }
}

/**
 * XML text or attribute content: markup characters as entities, characters XML 1.0 forbids dropped, and
 * the quotes PowerShell also reads as single quotes (‘ ’ ‚ ‛) as numeric references.
 */
export function xml(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: XML 1.0 forbids these characters
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
      .replace(/[&<>"'\u2018-\u201b]/g, (c) => {
        switch (c) {
          case '&':
            return '&amp;'
          case '<':
            return '&lt;'
          case '>':
            return '&gt;'
          case '"':
            return '&quot;'
          case "'":
            return '&apos;'
          default:
            return `&#x${c.charCodeAt(0).toString(16)};`
        }
      })
  )
}

/** A PowerShell single-quoted string: `'` (and its typographic look-alikes) doubled. */
export function powershellString(text: string): string {
  return `'${text.replace(/['\u2018-\u201b]/g, (c) => c + c)}'`
}

/** `C:\Users\me\icon.png` → `file:///C:/Users/me/icon.png` (Windows paths, whatever the host). */
function fileUrl(path: string): string {
  return `file:///${encodeURI(path.replace(/\\/g, '/').replace(/^\/+/, '')).replace(/[?#]/g, encodeURIComponent)}`
}

/** Windows 10 and 11: a toast shown by Windows PowerShell through the WinRT notification API. */
export function windowsDriver(options: WindowsOptions): PlatformDriver {
  return {
    check: async () => {},
    show: async (message, signal) => {
      const line = windowsCommand(message, options)
      let outcome: Awaited<ReturnType<typeof run>>
      try {
        outcome = await run(line.command, line.args, { spawn: options.spawn, env: options.env, signal })
      } catch (error) {
        if (error instanceof CommandFailure && error.reason === 'not-found') {
          throw setupError(
            'Cannot show desktop notifications: powershell.exe (Windows PowerShell 5.1) was not found on PATH. ' +
              'It ships with Windows 10 and 11; make sure %SystemRoot%\\System32\\WindowsPowerShell\\v1.0 is on PATH.',
            error,
          )
        }
        throw error
      }
      if ('exit' in outcome && outcome.exit.code !== 0) {
        throw desktopError(
          `PowerShell could not show the toast: ${firstLine(outcome.exit.stderr) || `exit code ${outcome.exit.code}`}. ` +
            'Check that notifications are on in Settings › System › Notifications (and Focus assist is off), ' +
            'and that `windowsAppId` names an app registered with a Start-menu shortcut.',
        )
      }
    },
    close: async () => {},
  }
}
