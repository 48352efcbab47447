import type { Notification, Notifier, NotifierFactory } from '@cashnotify/core/notifier'
import { describe, expectTypeOf, it } from 'vitest'
import {
  type BatchOptions,
  type CheckSmtpOptions,
  checkSmtp,
  type EmailNotifierOptions,
  emailNotifier,
  type NAME,
  type SmtpOptions,
} from '../src/index.js'

const smtp: SmtpOptions = { host: 'smtp.example.com' }

describe('emailNotifier types', () => {
  it('is a NotifierFactory of its options that needs an argument', () => {
    expectTypeOf(emailNotifier).toEqualTypeOf<NotifierFactory<EmailNotifierOptions>>()
    expectTypeOf(emailNotifier).parameter(0).toEqualTypeOf<EmailNotifierOptions>()
    expectTypeOf(
      emailNotifier({ to: 'a@example.com', from: 'b@example.com', smtp }),
    ).toEqualTypeOf<Notifier>()
    expectTypeOf<typeof NAME>().toEqualTypeOf<'email'>()
    // @ts-expect-error the options are required
    emailNotifier()
  })

  it('requires `to`, `from` and `smtp.host`', () => {
    // @ts-expect-error `to` is required
    emailNotifier({ from: 'b@example.com', smtp })
    // @ts-expect-error `from` is required
    emailNotifier({ to: 'a@example.com', smtp })
    // @ts-expect-error `smtp` is required
    emailNotifier({ to: 'a@example.com', from: 'b@example.com' })
    // @ts-expect-error `smtp.host` is required
    emailNotifier({ to: 'a@example.com', from: 'b@example.com', smtp: { port: 587 } })
  })

  it('takes digest options: a subject of the digest, and charts on, off or with font files', () => {
    const base = { to: 'a@example.com', from: 'b@example.com', smtp }
    emailNotifier({ ...base, digestChart: false, digestSubject: (d) => d.digest.schedule })
    emailNotifier({ ...base, digestChart: { fontFiles: ['/fonts/DejaVuSans.ttf'] } })
    // @ts-expect-error `fontFiles` is a list of paths
    emailNotifier({ ...base, digestChart: { fontFiles: '/fonts/DejaVuSans.ttf' } })
    // @ts-expect-error the subject hook returns a string
    emailNotifier({ ...base, digestSubject: (d) => d.digest.currencies })
  })

  it('takes one recipient or a readonly list, but not other types', () => {
    const team = ['a@example.com', 'b@example.com'] as const
    emailNotifier({ to: team, from: 'b@example.com', smtp })
    // @ts-expect-error `to` is a string or strings
    emailNotifier({ to: [{ address: 'a@example.com' }], from: 'b@example.com', smtp })
    // @ts-expect-error `from` is one address
    emailNotifier({ to: 'a@example.com', from: ['b@example.com'], smtp })
  })

  it('types the SMTP options', () => {
    // @ts-expect-error `port` is a number
    const port: SmtpOptions = { host: 'h', port: '587' }
    // @ts-expect-error `secure` is a boolean
    const secure: SmtpOptions = { host: 'h', secure: 'tls' }
    // @ts-expect-error `auth` needs `pass`
    const auth: SmtpOptions = { host: 'h', auth: { user: 'u' } }
    // @ts-expect-error `tls.rejectUnauthorized` is a boolean
    const tls: SmtpOptions = { host: 'h', tls: { rejectUnauthorized: 'no' } }
    // @ts-expect-error unknown SMTP option
    const unknown: SmtpOptions = { host: 'h', password: 'x' }
    const full: SmtpOptions = {
      host: 'h',
      port: 465,
      secure: true,
      requireTLS: false,
      auth: { user: 'u', pass: 'p' },
      pool: false,
      maxConnections: 2,
      tls: { rejectUnauthorized: true, ca: ['-----BEGIN CERTIFICATE-----'], servername: 'smtp.example.com' },
    }
    void [port, secure, auth, tls, unknown, full]
  })

  it('types the hooks and the batch', () => {
    emailNotifier({ to: 'a@example.com', from: 'b@example.com', smtp, subject: (n) => n.title })
    // @ts-expect-error `subject` is a function, not a string
    emailNotifier({ to: 'a@example.com', from: 'b@example.com', smtp, subject: 'New sale' })
    const base = { to: 'a@example.com', from: 'b@example.com', smtp }
    // @ts-expect-error `subject` returns a string
    emailNotifier({ ...base, subject: (n: Notification) => n.amount })
    // @ts-expect-error `batch.everyMinutes` is required
    const noWindow: BatchOptions = {}
    // @ts-expect-error `batch.everyMinutes` is a number
    const text: BatchOptions = { everyMinutes: '5' }
    const batch: BatchOptions = { everyMinutes: 5, subject: (ns) => `${ns.length} sales` }
    expectTypeOf<BatchOptions['subject']>().toEqualTypeOf<
      ((notifications: readonly Notification[]) => string) | undefined
    >()
    void [noWindow, text, batch]
  })

  it('checkSmtp takes the SMTP options and resolves to nothing', () => {
    expectTypeOf(checkSmtp).parameter(0).toEqualTypeOf<SmtpOptions>()
    expectTypeOf(checkSmtp).parameter(1).toEqualTypeOf<CheckSmtpOptions | undefined>()
    expectTypeOf(checkSmtp(smtp)).toEqualTypeOf<Promise<void>>()
    // @ts-expect-error it takes the `smtp` options, not the notifier's
    void checkSmtp({ to: 'a@example.com', from: 'b@example.com', smtp })
  })
})
