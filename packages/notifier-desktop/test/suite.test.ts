import { type NotifierHarness, notifierTestSuite } from '@cashnotify/core/testing'
import { afterAll, beforeAll } from 'vitest'
import { desktopHarness } from './support/harness.js'
import { type DesktopSession, startDesktopSession } from './support/session.js'

// The shared notifier contract, against a real dunst under Xvfb on a private session bus.
let session: DesktopSession
beforeAll(async () => {
  session = await startDesktopSession()
}, 20_000)
afterAll(async () => {
  await session?.stop()
})

/**
 * dunst stopped to fail, frozen (SIGSTOP) to stall. A notification daemon takes or does not take a
 * notification: it has no refusal a retry cannot fix, and none that says it is gone for good (a stopped
 * daemon may be started again at any time). After `close()` a send rejects.
 */
async function harness(): Promise<NotifierHarness> {
  return {
    ...(await desktopHarness(session)),
    absent: {
      refuse: 'a notification daemon has no 4xx: it shows a notification, or it is not there (fail())',
      gone: 'no daemon is gone for good: a stopped one can be started again, so it is retried (fail())',
    },
    afterClose: 'rejects',
  }
}

notifierTestSuite({ name: 'desktop', setup: harness })
