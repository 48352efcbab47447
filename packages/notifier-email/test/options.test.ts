import { ConfigError } from '@cashnotify/core/notifier'
import { describe, expect, it } from 'vitest'
import { checkSmtp, type EmailNotifierOptions, emailNotifier, NAME } from '../src/index.js'

const valid: EmailNotifierOptions = {
  to: 'jane@example.com',
  from: 'CashNotify <sales@example.com>',
  smtp: { host: '127.0.0.1', port: 2525 },
}

/** Builds options the types forbid, as a JavaScript caller could pass them. */
function loose(options: Record<string, unknown>): EmailNotifierOptions {
  return options as unknown as EmailNotifierOptions
}

describe('emailNotifier options', () => {
  it('returns a notifier named `email` for valid options', async () => {
    expect(NAME).toBe('email')
    const notifier = emailNotifier(valid)
    expect(notifier.name).toBe('email')
    await notifier.close?.()
  })

  it('accepts several recipients, with or without display names', async () => {
    const notifier = emailNotifier({ ...valid, to: ['jane@example.com', 'Sales Team <sales@example.co.uk>'] })
    expect(notifier.name).toBe('email')
    await notifier.close?.()
  })

  it('names a missing `to`', () => {
    const { to: _to, ...rest } = valid
    expect(() => emailNotifier(rest as EmailNotifierOptions)).toThrow(
      '[cashnotify] [email] Expected `to` to be an e-mail address such as `jane@example.com`, got nothing.',
    )
    expect(() => emailNotifier({ ...valid, to: [] })).toThrow(
      '[cashnotify] [email] Expected `to` to be an e-mail address such as `jane@example.com`, or several, got an array.',
    )
  })

  it('refuses a `to` that is not an e-mail address, naming which one', () => {
    expect(() => emailNotifier({ ...valid, to: ['jane@example.com', 'jane'] })).toThrow(
      '[cashnotify] [email] Expected `to[1]` to be an e-mail address such as `jane@example.com`, got "jane".',
    )
    expect(() => emailNotifier({ ...valid, to: 'jane' })).toThrow(
      '[cashnotify] [email] Expected `to` to be an e-mail address such as `jane@example.com`, got "jane".',
    )
  })

  it('refuses a `from` that is not an e-mail address', () => {
    const call = () => emailNotifier({ ...valid, from: 'CashNotify <sales>' })
    expect(call).toThrow(ConfigError)
    expect(call).toThrow(
      /Expected `from` to be an e-mail address such as `sales@example.com`, got "CashNotify <sales>"/,
    )
    expect(() => emailNotifier(loose({ ...valid, from: undefined }))).toThrow(
      '[cashnotify] [email] Expected `from` to be an e-mail address such as `sales@example.com`, got nothing.',
    )
  })

  it('names a missing `smtp.host`', () => {
    expect(() => emailNotifier({ ...valid, smtp: { host: '' } })).toThrow(
      '[cashnotify] [email] Expected `smtp.host` to be a host name or IP address such as `smtp.example.com`, got an empty string.',
    )
    expect(() => emailNotifier(loose({ ...valid, smtp: undefined }))).toThrow(
      '[cashnotify] [email] Expected `smtp` to be an object with at least a `host`, got nothing.',
    )
  })

  it('refuses an out-of-range or fractional `smtp.port`, showing the value', () => {
    expect(() => emailNotifier({ ...valid, smtp: { host: 'smtp.example.com', port: 70_000 } })).toThrow(
      '[cashnotify] [email] Expected `smtp.port` to be an integer from 1 to 65535, got 70000.',
    )
    expect(() => emailNotifier({ ...valid, smtp: { host: 'smtp.example.com', port: 25.5 } })).toThrow(
      'got 25.5.',
    )
    expect(() => emailNotifier(loose({ ...valid, smtp: { host: 'smtp.example.com', port: '587' } }))).toThrow(
      'Expected `smtp.port` to be an integer from 1 to 65535, got "587".',
    )
  })

  it('refuses flags that are not booleans and a bad `smtp.maxConnections`', () => {
    expect(() => emailNotifier(loose({ ...valid, smtp: { host: 'h.example.com', secure: 'yes' } }))).toThrow(
      'Expected `smtp.secure` to be a boolean, got "yes".',
    )
    expect(() => emailNotifier(loose({ ...valid, smtp: { host: 'h.example.com', pool: 1 } }))).toThrow(
      'Expected `smtp.pool` to be a boolean, got 1.',
    )
    expect(() => emailNotifier({ ...valid, smtp: { host: 'h.example.com', maxConnections: 0 } })).toThrow(
      'Expected `smtp.maxConnections` to be an integer of at least 1, got 0.',
    )
  })

  it('names a bad `smtp.auth` without ever showing the password', () => {
    expect(() =>
      emailNotifier(loose({ ...valid, smtp: { host: 'h.example.com', auth: 'sales:pw' } })),
    ).toThrow('[cashnotify] [email] Expected `smtp.auth` to be `{ user, pass }`, got "…".')
    const noUser = catchError(() =>
      emailNotifier(loose({ ...valid, smtp: { host: 'h.example.com', auth: { pass: 'hunter2-secret' } } })),
    )
    expect(noUser.message).toBe(
      '[cashnotify] [email] Expected `smtp.auth.user` to be a user name (or leave out `smtp.auth`), got nothing.',
    )
    expect(noUser.message).not.toContain('hunter2')
    const error = catchError(() =>
      emailNotifier(
        loose({ ...valid, smtp: { host: 'h.example.com', auth: { user: 'sales', pass: 12345678 } } }),
      ),
    )
    expect(error.message).toBe('[cashnotify] [email] Expected `smtp.auth.pass` to be a string, got "…".')
    expect(error.message).not.toContain('12345678')
  })

  it('refuses a bad `batch`', () => {
    expect(() => emailNotifier({ ...valid, batch: { everyMinutes: 0 } })).toThrow(
      '[cashnotify] [email] Expected `batch.everyMinutes` to be a whole number from 1 to 1440, got 0.',
    )
    expect(() => emailNotifier({ ...valid, batch: { everyMinutes: 2.5 } })).toThrow('got 2.5.')
    expect(() => emailNotifier(loose({ ...valid, batch: 5 }))).toThrow(
      '[cashnotify] [email] Expected `batch` to be an object such as `{ everyMinutes: 5 }`, got 5.',
    )
    expect(() => emailNotifier(loose({ ...valid, batch: { everyMinutes: 5, subject: 'Batch' } }))).toThrow(
      '[cashnotify] [email] Expected `batch.subject` to be a function of the notifications, got "Batch".',
    )
  })

  it('tells code written for the old name that batching is now `batch`', () => {
    expect(() => emailNotifier(loose({ ...valid, digest: { everyMinutes: 5 } }))).toThrow(
      '[cashnotify] [email] Expected `digest` to be absent: one e-mail per window of notifications is now `batch: { everyMinutes }`, got',
    )
  })

  it('refuses a `subject` that is not a function and an unknown `timeZone`', () => {
    expect(() => emailNotifier(loose({ ...valid, subject: 'New sale' }))).toThrow(
      '[cashnotify] [email] Expected `subject` to be a function of the notification, got "New sale".',
    )
    expect(() => emailNotifier({ ...valid, timeZone: 'Mars/Olympus' })).toThrow(
      'Expected `timeZone` to be an IANA time zone such as `Europe/Paris`, got "Mars/Olympus".',
    )
  })

  it('refuses options that are not an object', () => {
    expect(() => emailNotifier(loose(null as unknown as Record<string, unknown>))).toThrow(
      '[cashnotify] [email] Expected `options` to be an object with `to`, `from` and `smtp`, got null.',
    )
  })

  it('lists every problem at once', () => {
    const options = loose({
      to: 'jane',
      from: 'sales',
      smtp: { host: 'h.example.com', port: 0, pool: 'yes' },
    })
    expect(() => emailNotifier(options)).toThrow(
      '[cashnotify] [email] Expected `to` to be an e-mail address such as `jane@example.com`, got "jane". ' +
        'Expected `from` to be an e-mail address such as `sales@example.com`, got "sales". ' +
        'Expected `smtp.port` to be an integer from 1 to 65535, got 0. ' +
        'Expected `smtp.pool` to be a boolean, got "yes".',
    )
  })

  it('checkSmtp validates its options the same way, before any connection', async () => {
    await expect(checkSmtp({ host: '' })).rejects.toThrow(
      '[cashnotify] [email] Expected `smtp.host` to be a host name or IP address such as `smtp.example.com`, got an empty string.',
    )
    await expect(checkSmtp({ host: 'h.example.com', port: 0 })).rejects.toBeInstanceOf(ConfigError)
    await expect(checkSmtp({ host: '127.0.0.1' }, { timeoutMs: -1 })).rejects.toThrow(
      '[cashnotify] [email] Expected `timeoutMs` to be a positive number of milliseconds, got -1.',
    )
  })
})

function catchError(call: () => unknown): Error {
  try {
    call()
  } catch (error) {
    return error as Error
  }
  throw new Error('Expected the call to throw')
}
