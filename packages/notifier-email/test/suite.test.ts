import { type NotifierHarness, notifierTestSuite } from '@cashnotify/core/testing'
import { emailNotifier } from '../src/index.js'
import { startReceiver } from './receiver.js'

/**
 * The e-mail notifier against a real SMTP server on 127.0.0.1 that answers DATA with 451 to fail, 550 to
 * refuse and 521 (RFC 7504: no mail accepted at all) when gone. After `close()` its pool is closed for
 * good: a send rejects.
 */
function harness(pool: boolean) {
  return async (): Promise<NotifierHarness> => {
    const receiver = await startReceiver()
    const notifier = emailNotifier({
      to: 'jane@example.com',
      from: 'CashNotify <sales@example.com>',
      smtp: { host: '127.0.0.1', port: receiver.port, pool },
    })
    return {
      notifier,
      received: async () => receiver.ids(),
      fail: () => receiver.fail(451),
      stall: () => receiver.stall(),
      refuse: () => receiver.fail(550),
      gone: () => receiver.fail(521),
      afterClose: 'rejects',
      recover: () => receiver.recover(),
      close: async () => {
        await notifier.close?.()
        await receiver.close()
      },
    }
  }
}

notifierTestSuite({ name: 'email (pooled connections)', setup: harness(true) })
notifierTestSuite({ name: 'email (a connection per e-mail)', setup: harness(false) })
