import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { NotifierError } from '@cashnotify/core/notifier'
import { sampleNotification } from '@cashnotify/core/testing'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { checkSmtp, emailNotifier, type SmtpOptions } from '../src/index.js'
import { type Receiver, type ReceiverOptions, startReceiver } from './receiver.js'

const context = () => ({ signal: new AbortController().signal, attempt: 1 })

/** A self-signed certificate for 127.0.0.1, made by the `openssl` command, offline. */
async function selfSignedCertificate(): Promise<{ key: string; cert: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'cashnotify-email-tls-'))
  try {
    await promisify(execFile)('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
      '-days',
      '2',
      '-subj',
      '/CN=CashNotify test SMTP',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ]).catch((error: Error) => {
      throw new Error(
        `The TLS tests need the \`openssl\` command to make a self-signed certificate (apt-get install openssl): ${error.message}`,
      )
    })
    return {
      key: await readFile(join(dir, 'key.pem'), 'utf8'),
      cert: await readFile(join(dir, 'cert.pem'), 'utf8'),
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

let certificate: { key: string; cert: string }
beforeAll(async () => {
  certificate = await selfSignedCertificate()
})

let cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
  cleanups = []
})

async function receiver(options: ReceiverOptions): Promise<Receiver> {
  const started = await startReceiver(options)
  cleanups.push(() => started.close())
  return started
}

function notifier(smtp: SmtpOptions) {
  const created = emailNotifier({ to: 'jane@example.com', from: 'sales@example.com', smtp })
  cleanups.push(async () => created.close?.())
  return created
}

async function failure(sending: Promise<unknown>): Promise<NotifierError> {
  const error = await sending.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(NotifierError)
  return error as NotifierError
}

describe('TLS', () => {
  it('upgrades with STARTTLS, trusting a self-signed certificate given as `tls.ca`, and logs in over it', async () => {
    const auth = { user: 'sales', pass: 'tls-only-password' }
    const server = await receiver({ tls: certificate, auth })
    const email = notifier({
      host: '127.0.0.1',
      port: server.port,
      requireTLS: true,
      auth,
      tls: { ca: certificate.cert },
    })
    await email.send(sampleNotification(), context())
    expect(server.mails.map((mail) => [mail.secure, mail.user])).toEqual([[true, 'sales']])
  })

  it('speaks TLS from the first byte with `secure: true`', async () => {
    const server = await receiver({ tls: { ...certificate, secure: true } })
    const email = notifier({
      host: '127.0.0.1',
      port: server.port,
      secure: true,
      tls: { ca: [certificate.cert] },
    })
    await email.send(sampleNotification(), context())
    expect(server.mails.map((mail) => mail.secure)).toEqual([true])
  })

  it('refuses a certificate it cannot verify, not retryable, pointing at `smtp.tls.ca`', async () => {
    const server = await receiver({ tls: certificate })
    const error = await failure(
      notifier({ host: '127.0.0.1', port: server.port }).send(sampleNotification(), context()),
    )
    expect(error.retryable).toBe(false)
    expect(error.message).toContain(
      `Could not verify the TLS certificate of the SMTP server at 127.0.0.1:${server.port}`,
    )
    expect(error.message).toContain('`smtp.tls.ca`')
    expect(server.mails).toEqual([])
  })

  it('refuses to send in clear with `requireTLS` when the server offers no STARTTLS', async () => {
    const server = await receiver({})
    const error = await failure(
      notifier({ host: '127.0.0.1', port: server.port, requireTLS: true }).send(
        sampleNotification(),
        context(),
      ),
    )
    expect(error.retryable).toBe(false)
    expect(error.message).toContain('STARTTLS')
    expect(server.mails).toEqual([])
  })

  it('checkSmtp checks the TLS upgrade too', async () => {
    const server = await receiver({ tls: certificate })
    await expect(
      checkSmtp({ host: '127.0.0.1', port: server.port, tls: { ca: certificate.cert } }),
    ).resolves.toBeUndefined()
    const error = await failure(checkSmtp({ host: '127.0.0.1', port: server.port }))
    expect(error.retryable).toBe(false)
  })
})
