import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { type ParsedMail, simpleParser } from 'mailparser'
import { SMTPServer, type SMTPServerOptions } from 'smtp-server'

/** One e-mail the receiver accepted: its envelope, raw MIME and parsed form. */
export interface ReceivedMail {
  readonly from: string
  readonly to: readonly string[]
  readonly user: string | undefined
  readonly secure: boolean
  readonly raw: Buffer
  readonly parsed: ParsedMail
}

/** Options of {@link startReceiver}. */
export interface ReceiverOptions {
  /** Credentials the server accepts; when set, AUTH is required and anything else gets 535. */
  readonly auth?: { readonly user: string; readonly pass: string }
  /** A key and certificate: STARTTLS is offered with them (or TLS from the first byte with `secure`). */
  readonly tls?: { readonly key: string; readonly cert: string; readonly secure?: boolean }
  /** The reply code for a recipient, undefined to accept it. */
  readonly rcpt?: (address: string) => number | undefined
  /** Refuse logins echoing what the client sent: the password, and its AUTH PLAIN form, in the reply. */
  readonly echoAuth?: boolean
}

/** A real SMTP server on 127.0.0.1 (the `smtp-server` package) that records what it receives. */
export interface Receiver {
  readonly port: number
  readonly mails: readonly ReceivedMail[]
  /** The `X-CashNotify-Id` of each accepted e-mail, in order. */
  ids(): string[]
  /** Answer DATA with this code (e.g. 451, 550) until {@link recover}. */
  fail(code?: number): void
  /** Read DATA and never answer, until {@link recover} (which then answers 451). */
  stall(): void
  recover(): void
  /** How many SMTP connections are open now. */
  connections(): number
  /** Resolves once `count` e-mails were accepted. */
  waitFor(count: number): Promise<void>
  close(): Promise<void>
}

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code })
}

export async function startReceiver(options: ReceiverOptions = {}): Promise<Receiver> {
  const mails: ReceivedMail[] = []
  let failCode: number | undefined
  let stalled: Array<() => void> = []
  let stalling = false
  const waiting: Array<{ count: number; resolve: () => void }> = []
  const settings: SMTPServerOptions = {
    logger: false,
    banner: 'CashNotify test receiver',
    disabledCommands: [...(options.tls ? [] : ['STARTTLS']), ...(options.auth ? [] : ['AUTH'])],
    authOptional: !options.auth,
    allowInsecureAuth: true,
    closeTimeout: 2_000,
    disableReverseLookup: true,
    ...(options.tls
      ? { key: options.tls.key, cert: options.tls.cert, secure: options.tls.secure ?? false }
      : {}),
    onAuth(auth, _session, callback) {
      if (auth.username === options.auth?.user && auth.password === options.auth?.pass) {
        callback(null, { user: auth.username })
      } else {
        const plain = Buffer.from(`\u0000${auth.username}\u0000${auth.password ?? ''}`).toString('base64')
        const echo = options.echoAuth
          ? ` for ${auth.username}:${auth.password ?? ''} (AUTH PLAIN ${plain})`
          : ''
        callback(smtpError(535, `Authentication credentials invalid${echo}`))
      }
    },
    onRcptTo(address, _session, callback) {
      const code = options.rcpt?.(address.address)
      callback(code === undefined ? null : smtpError(code, `Mailbox ${address.address} unavailable`))
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        if (failCode !== undefined) return callback(smtpError(failCode, 'Try again later'))
        if (stalling) {
          stalled.push(() => callback(smtpError(451, 'Stalled, try again later')))
          return
        }
        const raw = Buffer.concat(chunks)
        simpleParser(raw).then(
          (parsed) => {
            mails.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
              user: typeof session.user === 'string' ? session.user : undefined,
              secure: session.secure,
              raw,
              parsed,
            })
            for (const waiter of waiting.filter((w) => mails.length >= w.count)) {
              waiting.splice(waiting.indexOf(waiter), 1)
              waiter.resolve()
            }
            callback()
          },
          (error: Error) => callback(smtpError(554, `Unparseable message: ${error.message}`)),
        )
      })
    },
  }
  const server = new SMTPServer(settings)
  server.listen(0, '127.0.0.1')
  await once(server.server, 'listening')
  const { port } = server.server.address() as AddressInfo

  const release = () => {
    const pending = stalled
    stalled = []
    for (const answer of pending) answer()
  }
  return {
    port,
    mails,
    ids: () => mails.map((mail) => String(mail.parsed.headers.get('x-cashnotify-id') ?? '')),
    fail(code = 451) {
      failCode = code
    },
    stall() {
      stalling = true
    },
    recover() {
      failCode = undefined
      stalling = false
      release()
    },
    connections: () => server.connections.size,
    waitFor(count) {
      if (mails.length >= count) return Promise.resolve()
      return new Promise((resolve) => waiting.push({ count, resolve }))
    },
    async close() {
      stalling = false
      release()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** A port nothing listens on: bound once on 127.0.0.1, then released. */
export async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net')
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}
