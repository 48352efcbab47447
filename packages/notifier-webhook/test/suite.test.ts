import { type NotifierHarness, notifierTestSuite } from '@cashnotify/core/testing'
import { afterEach, expect } from 'vitest'
import { webhookNotifier } from '../src/index.js'
import { type Receiver, startReceiver } from './receiver.js'

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'

let receivers: Receiver[] = []

afterEach(() => {
  // Every request of every suite test verified with the `standardwebhooks` package.
  for (const receiver of receivers) expect(receiver.unverified).toEqual([])
  receivers = []
})

/**
 * The webhook notifier against a real HTTP receiver that verifies every signature: 503 to fail, 422 to
 * refuse, 410 when gone. It has no `close()`: it holds nothing, so sends go on working (`reopens`).
 */
async function harness(): Promise<NotifierHarness> {
  const receiver = await startReceiver({ verifyWith: SECRET })
  receivers.push(receiver)
  return {
    notifier: webhookNotifier({ url: receiver.url, secret: SECRET }),
    received: async () => [...receiver.accepted],
    fail: () => receiver.fail(),
    stall: () => receiver.stall(),
    refuse: () => receiver.reply(() => ({ status: 422, body: 'unprocessable payload' })),
    gone: () => receiver.reply(() => ({ status: 410 })),
    afterClose: 'reopens',
    recover: () => receiver.recover(),
    close: () => receiver.close(),
  }
}

notifierTestSuite({ name: 'webhook', setup: harness })
