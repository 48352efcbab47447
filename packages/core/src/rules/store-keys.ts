/**
 * What rules keep in the store, all under `cashnotify:rules:` (Keyv cannot list keys, so one index names
 * every hold):
 *
 * - `cashnotify:rules:holds` → `{ v: 1, holds: [...] }`: each hold's notifier, reason, release time, member ids
 * - `cashnotify:rules:held:<notifier>:<notification id>` → one held notification, as delivery stores it
 * - `cashnotify:rules:day:<notifier>:<account ref>` → the local day's count of sales and revenue
 * - `cashnotify:rules:seen` and its buckets → events rules already handled, kept 7 days (`ExpiringIds`)
 */
export const RULES_KEYS = {
  holds: 'cashnotify:rules:holds',
  held: (notifier: string, id: string): string => `cashnotify:rules:held:${notifier}:${id}`,
  day: (notifier: string, ref: string): string => `cashnotify:rules:day:${notifier}:${ref}`,
  seen: 'cashnotify:rules:seen',
} as const
