import type { EventAccount } from '@cashnotify/core/notifier'

/** At most `max` characters, ending with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

/** `Acme Inc · live` or `Acme Inc · test mode`. */
export function accountLine(account: EventAccount): string {
  return `${account.name} · ${account.mode === 'live' ? 'live' : 'test mode'}`
}
