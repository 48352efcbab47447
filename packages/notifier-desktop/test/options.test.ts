import { ConfigError } from '@cashnotify/core'
import { describe, expect, it } from 'vitest'
import { type DesktopNotifierOptions, desktopNotifier, NAME } from '../src/index.js'

describe('desktopNotifier options', () => {
  it('needs no options and is named `desktop`', () => {
    expect(NAME).toBe('desktop')
    expect(desktopNotifier().name).toBe('desktop')
    expect(desktopNotifier({ appName: 'My shop', sound: true }).name).toBe('desktop')
  })

  it('refuses an empty `appName`', () => {
    const call = () => desktopNotifier({ appName: ' ' })
    expect(call).toThrow(ConfigError)
    expect(call).toThrow('[cashnotify] [desktop] Expected `appName` to be a non-empty string, got " ".')
  })

  it('refuses a `sound` that is not a boolean', () => {
    expect(() => desktopNotifier({ sound: 'yes' } as unknown as DesktopNotifierOptions)).toThrow(
      '[cashnotify] [desktop] Expected `sound` to be a boolean, got "yes".',
    )
  })

  it('says plainly that sending is not implemented in the skeleton', async () => {
    const notifier = desktopNotifier()
    const context = { signal: new AbortController().signal, attempt: 1 }
    await expect(notifier.send({} as Parameters<typeof notifier.send>[0], context)).rejects.toThrow(
      /\[desktop\] Sending is not implemented in this skeleton yet/,
    )
  })
})
