import { checkDesktopNotifier } from '@cashnotify/notifier-desktop'

/** Whether desktop notifications can be shown here, and if not, why (the notifier's own words). */
export type DesktopAvailability = { readonly ok: true } | { readonly ok: false; readonly reason: string }

/** Asks the desktop notifier whether its programs and a session bus are there, without showing anything. */
export async function detectDesktop(
  env: Readonly<Record<string, string | undefined>>,
): Promise<DesktopAvailability> {
  try {
    await checkDesktopNotifier({ env })
    return { ok: true }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    return { ok: false, reason: message.replace(/^\[cashnotify\] (\[desktop\] )?/, '') }
  }
}
