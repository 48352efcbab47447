import { ConfigError } from '@cashnotify/core/notifier'
import { describe, expect, it } from 'vitest'
import { type DesktopNotifierOptions, desktopNotifier, NAME } from '../src/index.js'

const invalid = (options: unknown) => () => desktopNotifier(options as DesktopNotifierOptions)

describe('desktopNotifier options', () => {
  it('needs no options and is named `desktop`', () => {
    expect(NAME).toBe('desktop')
    expect(desktopNotifier().name).toBe('desktop')
    expect(
      desktopNotifier({
        appName: 'My shop',
        sound: 'bell',
        urgency: 'critical',
        expireMs: 0,
        openOnClick: false,
        clickWaitMs: 60_000,
        timeoutMs: 5_000,
        cacheDir: '/tmp/icons',
        env: {},
        platform: 'win32',
        windowsAppId: 'Acme.Shop',
      }).name,
    ).toBe('desktop')
  })

  it('refuses an empty or multi-line `appName`', () => {
    expect(invalid({ appName: ' ' })).toThrow(ConfigError)
    expect(invalid({ appName: ' ' })).toThrow(
      '[cashnotify] [desktop] Expected `appName` to be a non-empty string, got " ".',
    )
    expect(invalid({ appName: 'a\nb' })).toThrow(
      '[cashnotify] [desktop] Expected `appName` to be one line of at most 200 characters, got "a\\nb".',
    )
  })

  it('refuses a `sound` that is neither a boolean nor a name', () => {
    expect(invalid({ sound: 1 })).toThrow(
      '[cashnotify] [desktop] Expected `sound` to be a boolean or a sound name (one line), got 1.',
    )
    expect(invalid({ sound: '' })).toThrow(
      '[cashnotify] [desktop] Expected `sound` to be a boolean or a sound name (one line), got an empty string.',
    )
  })

  it('refuses an unknown `urgency`', () => {
    expect(invalid({ urgency: 'high' })).toThrow(
      '[cashnotify] [desktop] Expected `urgency` to be one of "low", "normal", "critical", got "high".',
    )
  })

  it('refuses durations that are not whole milliseconds in range', () => {
    expect(invalid({ timeoutMs: 0 })).toThrow(
      '[cashnotify] [desktop] Expected `timeoutMs` to be an integer from 1 to 86400000 (ms), got 0.',
    )
    expect(invalid({ expireMs: 1.5 })).toThrow(
      '[cashnotify] [desktop] Expected `expireMs` to be an integer from 0 to 86400000 (ms), got 1.5.',
    )
    expect(invalid({ clickWaitMs: '60s' })).toThrow(
      '[cashnotify] [desktop] Expected `clickWaitMs` to be an integer from 1 to 86400000 (ms), got "60s".',
    )
  })

  it('refuses a relative `cacheDir`, a non-object `env`, non-function `spawn`/`fetch` and a bad `logger`', () => {
    expect(invalid({ cacheDir: 'icons' })).toThrow(
      '[cashnotify] [desktop] Expected `cacheDir` to be an absolute path, got "icons".',
    )
    expect(invalid({ env: 'DISPLAY=:0' })).toThrow(
      '[cashnotify] [desktop] Expected `env` to be an object of strings, got "DISPLAY=:0".',
    )
    expect(invalid({ spawn: 'notify-send' })).toThrow(
      '[cashnotify] [desktop] Expected `spawn` to be a function, got "notify-send".',
    )
    expect(invalid({ fetch: {} })).toThrow(
      '[cashnotify] [desktop] Expected `fetch` to be a function, got an object.',
    )
    expect(invalid({ logger: console.log })).toThrow(
      '[cashnotify] [desktop] Expected `logger` to be a logger (an object with debug, info, warn and error), got a function.',
    )
  })

  it('refuses unknown options, naming the known ones', () => {
    expect(invalid({ icon: '/tmp/x.png' })).toThrow(
      '[cashnotify] [desktop] Expected `options` to be free of unknown keys (the options are `appName`, `sound`, ' +
        '`urgency`, `expireMs`, `openOnClick`, `clickWaitMs`, `timeoutMs`, `cacheDir`, `env`, `platform`, ' +
        '`spawn`, `fetch`, `logger`, `windowsAppId`), got "icon".',
    )
  })

  it('refuses options that are not an object', () => {
    expect(invalid(null)).toThrow(
      '[cashnotify] [desktop] Expected `options` to be an object or nothing, got null.',
    )
    expect(invalid([])).toThrow(
      '[cashnotify] [desktop] Expected `options` to be an object or nothing, got an array.',
    )
  })

  it('lists every problem at once', () => {
    expect(invalid({ appName: '', urgency: 'high', timeoutMs: 0, colour: 'red' })).toThrow(
      /^\[cashnotify\] \[desktop\] Expected `options` to be free of unknown keys \(.*\), got "colour"\. Expected `appName`/,
    )
    expect(invalid({ appName: '', urgency: 'high', timeoutMs: 0 })).toThrow(
      '[cashnotify] [desktop] Expected `appName` to be a non-empty string, got an empty string. ' +
        'Expected `urgency` to be one of "low", "normal", "critical", got "high". ' +
        'Expected `timeoutMs` to be an integer from 1 to 86400000 (ms), got 0.',
    )
  })
})
