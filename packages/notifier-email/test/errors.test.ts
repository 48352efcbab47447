import { inspect } from 'node:util'
import { NotifierError } from '@cashnotify/core/notifier'
import { sampleNotification } from '@cashnotify/core/testing'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { checkSmtp, type EmailNotifierOptions, emailNotifier, type SmtpOptions } from '../src/index.js'
import { closedPort, type Receiver, type ReceiverOptions, startReceiver } from './receiver.js'

const USER = 'sales@example.com'
const PASS = 'correct-horse-battery-staple'
const WRONG = 'wrong-horse-9f8e7d6c'

const context = (signal = new AbortController().signal) => ({ signal, attempt: 1 })

let cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
  cleanups = []
})

async function receiver(options: ReceiverOptions = {}): Promise<Receiver> {
  const started = await startReceiver(options)
  cleanups.push(() => started.close())
  return started
}

function notifier(smtp: SmtpOptions, options: Partial<EmailNotifierOptions> = {}) {
  const created = emailNotifier({ to: 'jane@example.com', from: 'sales@example.com', smtp, ...options })
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

/** Everything an error could print: message, stack, cause, as inspect and JSON show them. */
function printed(error: Error): string {
  return [error.message, error.stack, inspect(error, { depth: 5 }), JSON.stringify(error.cause ?? {})].join(
    '\n',
  )
}

function expectNoPassword(error: Error, pass: string): void {
  const text = printed(error)
  expect(text).not.toContain(pass)
  expect(text).not.toContain(Buffer.from(pass).toString('base64'))
  expect(text).not.toContain(Buffer.from(`\u0000${USER}\u0000${pass}`).toString('base64'))
}

describe('logging in', () => {
  it('sends once the server accepts the credentials', async () => {
    const server = await receiver({ auth: { user: USER, pass: PASS } })
    const email = notifier({ host: '127.0.0.1', port: server.port, auth: { user: USER, pass: PASS } })
    await email.send(sampleNotification(), context())
    expect(server.mails.map((mail) => mail.user)).toEqual([USER])
  })

  it('rejects refused credentials (535) as not retryable, saying what to check, without the password', async () => {
    const server = await receiver({ auth: { user: USER, pass: PASS } })
    const email = notifier({ host: '127.0.0.1', port: server.port, auth: { user: USER, pass: WRONG } })
    const error = await failure(email.send(sampleNotification(), context()))
    expect(error.retryable).toBe(false)
    expect(error.notifier).toBe('email')
    expect(error.message).toContain(
      `[email] The SMTP server at 127.0.0.1:${server.port} refused the credentials`,
    )
    expect(error.message).toContain('535')
    expect(error.message).toContain('Check `smtp.auth.user` and `smtp.auth.pass`')
    expectNoPassword(error, WRONG)
    expect(server.mails).toEqual([])
  })

  it('scrubs the credentials from a server that echoes them back, AUTH PLAIN included', async () => {
    const server = await receiver({ auth: { user: USER, pass: PASS }, echoAuth: true })
    const email = notifier({ host: '127.0.0.1', port: server.port, auth: { user: USER, pass: WRONG } })
    const error = await failure(email.send(sampleNotification(), context()))
    // The echo reached the error (the scrubbing is what keeps the password out), …
    expect(error.message).toContain('AUTH PLAIN')
    // … and neither the password nor its PLAIN form did.
    expectNoPassword(error, WRONG)
  })

  it('says to set `smtp.auth` when the server requires a login (530)', async () => {
    const server = await receiver({ auth: { user: USER, pass: PASS } })
    const email = notifier({ host: '127.0.0.1', port: server.port })
    const error = await failure(email.send(sampleNotification(), context()))
    expect(error.retryable).toBe(false)
    expect(error.message).toContain('requires a login')
    expect(error.message).toContain('Set `smtp.auth: { user, pass }`')
  })
})

describe('SMTP replies', () => {
  it('makes 451 to DATA retryable', async () => {
    const server = await receiver()
    server.fail(451)
    const error = await failure(
      notifier({ host: '127.0.0.1', port: server.port }).send(sampleNotification(), context()),
    )
    expect(error.retryable).toBe(true)
    expect(error.message).toContain(`The SMTP server at 127.0.0.1:${server.port} answered 451`)
    expect(error.message).toContain('try again later')
  })

  it('makes 550 to DATA permanent', async () => {
    const server = await receiver()
    server.fail(550)
    const error = await failure(
      notifier({ host: '127.0.0.1', port: server.port }).send(sampleNotification(), context()),
    )
    expect(error.retryable).toBe(false)
    expect(error.message).toContain('answered 550')
    expect(error.message).toContain('It refused this message for good (its content or size).')
  })

  it('makes 553 to RCPT permanent and names the recipient', async () => {
    const server = await receiver({ rcpt: () => 553 })
    const error = await failure(
      notifier({ host: '127.0.0.1', port: server.port }).send(sampleNotification(), context()),
    )
    expect(error.retryable).toBe(false)
    expect(error.message).toContain('answered 553')
    expect(error.message).toContain('jane@example.com')
  })

  it('makes 452 to RCPT retryable', async () => {
    const server = await receiver({ rcpt: () => 452 })
    const error = await failure(
      notifier({ host: '127.0.0.1', port: server.port }).send(sampleNotification(), context()),
    )
    expect(error.retryable).toBe(true)
    expect(error.message).toContain('answered 452')
  })

  it.each([
    ['521 to DATA (the server accepts no mail)', { fail: 521 }],
    ['556 to RCPT (the domain accepts no mail)', { rcpt: 556 }],
  ])('makes %s disable the notifier, as HTTP 410 does (RFC 7504)', async (_, answer) => {
    const server = await receiver('rcpt' in answer ? { rcpt: () => answer.rcpt } : {})
    if ('fail' in answer) server.fail(answer.fail)
    const error = await failure(
      notifier({ host: '127.0.0.1', port: server.port }).send(sampleNotification(), context()),
    )
    expect(error).toMatchObject({ retryable: false, disable: true })
    expect(error.message).toContain(`answered ${'fail' in answer ? answer.fail : answer.rcpt}`)
    expect(error.message).toContain('so this notifier is disabled')
  })

  it('reports a recipient refused while another got the e-mail', async () => {
    const server = await receiver({ rcpt: (address) => (address === 'gone@example.com' ? 550 : undefined) })
    const email = notifier(
      { host: '127.0.0.1', port: server.port },
      { to: ['jane@example.com', 'gone@example.com'] },
    )
    const error = await failure(email.send(sampleNotification(), context()))
    expect(error.retryable).toBe(false)
    expect(error.message).toContain(
      'accepted the e-mail for jane@example.com but refused it for gone@example.com',
    )
    expect(server.mails.map((mail) => mail.to)).toEqual([['jane@example.com']])
  })
})

describe('an unreachable server', () => {
  it('makes a closed port retryable, naming host and port', async () => {
    const port = await closedPort()
    const error = await failure(notifier({ host: '127.0.0.1', port }).send(sampleNotification(), context()))
    expect(error.retryable).toBe(true)
    expect(error.message).toContain(`Could not reach the SMTP server at 127.0.0.1:${port} (ECONNREFUSED`)
  })

  it('makes a closed port retryable without a pool too', async () => {
    const port = await closedPort()
    const email = notifier({ host: '127.0.0.1', port, pool: false })
    const error = await failure(email.send(sampleNotification(), context()))
    expect(error.retryable).toBe(true)
    expect(error.message).toContain('ECONNREFUSED')
  })

  it('closes the connection of a stalled send when its signal aborts', async () => {
    const server = await receiver()
    server.stall()
    const email = notifier({ host: '127.0.0.1', port: server.port })
    const controller = new AbortController()
    const sending = email.send(sampleNotification(), context(controller.signal))
    await vi.waitFor(() => expect(server.connections()).toBe(1))
    controller.abort(new Error('send timed out'))
    const error = await failure(sending)
    expect(error.retryable).toBe(true)
    expect(error.message).toBe('[cashnotify] [email] Sending was aborted: send timed out.')
    await vi.waitFor(() => expect(server.connections()).toBe(0))
  })

  it('close() closes the pooled connections', async () => {
    const server = await receiver()
    const email = emailNotifier({
      to: 'jane@example.com',
      from: 'sales@example.com',
      smtp: { host: '127.0.0.1', port: server.port },
    })
    await email.send(sampleNotification(), context())
    expect(server.connections()).toBe(1)
    await email.close?.()
    await vi.waitFor(() => expect(server.connections()).toBe(0))
    const error = await failure(email.send(sampleNotification(), context()))
    expect(error.message).toContain('The notifier is closed')
  })
})

describe('checkSmtp', () => {
  it('resolves when the server answers and accepts the credentials, sending nothing', async () => {
    const server = await receiver({ auth: { user: USER, pass: PASS } })
    await expect(
      checkSmtp({ host: '127.0.0.1', port: server.port, auth: { user: USER, pass: PASS } }),
    ).resolves.toBeUndefined()
    expect(server.mails).toEqual([])
  })

  it('rejects refused credentials as not retryable, without the password', async () => {
    const server = await receiver({ auth: { user: USER, pass: PASS } })
    const error = await failure(
      checkSmtp({ host: '127.0.0.1', port: server.port, auth: { user: USER, pass: WRONG } }),
    )
    expect(error.retryable).toBe(false)
    expect(error.message).toContain('refused the credentials')
    expectNoPassword(error, WRONG)
  })

  it('rejects an unreachable server as retryable', async () => {
    const port = await closedPort()
    const error = await failure(checkSmtp({ host: '127.0.0.1', port }))
    expect(error.retryable).toBe(true)
    expect(error.message).toContain(`Could not reach the SMTP server at 127.0.0.1:${port}`)
  })
})
