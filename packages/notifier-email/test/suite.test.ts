import { type NotifierHarness, notifierTestSuite } from '@cashnotify/core/testing'
import { emailNotifier } from '../src/index.js'
import { startReceiver } from './receiver.js'

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
