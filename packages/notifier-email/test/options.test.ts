import { ConfigError } from '@cashnotify/core'
import { describe, expect, it } from 'vitest'
import { type EmailNotifierOptions, emailNotifier, NAME } from '../src/index.js'

const valid: EmailNotifierOptions = {
  to: 'jane@example.com',
  from: 'CashNotify <sales@example.com>',
  smtp: { host: '127.0.0.1', port: 2525 },
}

describe('emailNotifier options', () => {
  it('returns a notifier named `email` for valid options', () => {
    expect(NAME).toBe('email')
    expect(emailNotifier(valid).name).toBe('email')
  })

  it('accepts several recipients, with or without display names', () => {
    const notifier = emailNotifier({ ...valid, to: ['jane@example.com', 'Sales Team <sales@example.co.uk>'] })
    expect(notifier.name).toBe('email')
  })

  it('names a missing `to`', () => {
    const { to: _to, ...rest } = valid
    expect(() => emailNotifier(rest as EmailNotifierOptions)).toThrow(
      '[cashnotify] [email] Missing required option `to`.',
    )
  })

  it('refuses a `to` that is not an e-mail address', () => {
    expect(() => emailNotifier({ ...valid, to: ['jane@example.com', 'jane'] })).toThrow(
      '[cashnotify] [email] Expected `to` to be an e-mail address such as `jane@example.com`, got "jane".',
    )
  })

  it('refuses a `from` that is not an e-mail address', () => {
    const call = () => emailNotifier({ ...valid, from: 'CashNotify <sales>' })
    expect(call).toThrow(ConfigError)
    expect(call).toThrow(
      /Expected `from` to be an e-mail address such as `sales@example.com`, got "CashNotify <sales>"/,
    )
  })

  it('names a missing `smtp.host`', () => {
    expect(() => emailNotifier({ ...valid, smtp: { host: '' } })).toThrow(
      '[cashnotify] [email] Missing required option `smtp.host`.',
    )
    expect(() => emailNotifier({ ...valid, smtp: undefined } as unknown as EmailNotifierOptions)).toThrow(
      /Missing required option `smtp`/,
    )
  })

  it('refuses an out-of-range `smtp.port`', () => {
    expect(() => emailNotifier({ ...valid, smtp: { host: 'smtp.example.com', port: 70_000 } })).toThrow(
      '[cashnotify] [email] Expected `smtp.port` to be an integer from 1 to 65535, got number.',
    )
  })

  it('says plainly that sending is not implemented in the skeleton', async () => {
    const notifier = emailNotifier(valid)
    const context = { signal: new AbortController().signal, attempt: 1 }
    await expect(notifier.send({} as Parameters<typeof notifier.send>[0], context)).rejects.toThrow(
      /\[email\] Sending is not implemented in this skeleton yet/,
    )
  })
})
