// Run by a test as its own Node process: sends one clickable notification through the desktop notifier
// and returns from the module without calling close(). The process must then exit by itself.
import type { Notification } from '@cashnotify/core/notifier'
import { desktopNotifier } from '../../src/index.js'

const [cacheDir = ''] = process.argv.slice(2)
const notification = {
  id: 'sale:exit-test',
  type: 'sale',
  title: 'Exit test',
  body: 'Waiting for a click must not keep Node alive',
  url: 'https://dashboard.stripe.com/test/payments/pi_exit',
  account: { id: 'acct_1', name: 'Acme', mode: 'test', logo: { source: 'generic' } },
} as unknown as Notification
await desktopNotifier({ cacheDir, clickWaitMs: 600_000 }).send(notification, {
  signal: new AbortController().signal,
  attempt: 1,
})
console.log('sent')
