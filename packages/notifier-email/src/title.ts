import type { Notification } from '@cashnotify/core/notifier'

/**
 * The notification's title without core's `[test] ` mark: an email marks test data its own way (the
 * subject's `[Test]`, a badge), once.
 */
export function plainTitle(notification: Notification): string {
  return notification.livemode ? notification.title : notification.title.replace(/^\[test\] /i, '')
}
