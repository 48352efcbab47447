import { type NotifierHarness, notifierTestSuite } from '@cashnotify/core/testing'
import { NAME, pushNotifier } from '../src/index.js'
import { startTopic } from './topic.js'

/**
 * What the shared suite needs: the notifier, posting to a real topic on 127.0.0.1 that answers 503 to
 * fail, 400 to refuse and 410 when gone. The notifier holds nothing, so it has no `close()`: sends go on
 * working (`reopens`).
 */
async function harness(): Promise<NotifierHarness> {
  const topic = await startTopic()
  return {
    notifier: pushNotifier({ url: topic.url }),
    received: async () => topic.accepted.map((message) => message.id),
    fail: () => topic.fail(),
    stall: () => topic.stall(),
    refuse: () => topic.answer(() => ({ status: 400 })),
    gone: () => topic.answer(() => ({ status: 410 })),
    afterClose: 'reopens',
    recover: () => topic.recover(),
    close: () => topic.close(),
  }
}

notifierTestSuite({ name: NAME, setup: harness })
