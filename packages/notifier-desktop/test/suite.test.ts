import { notifierTestSuite } from '@cashnotify/core/testing'
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

notifierTestSuite({ name: 'desktop', setup: () => desktopHarness(session) })
