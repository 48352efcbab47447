import type { DigestNotification, Notification } from '@cashnotify/core/notifier'

/** The notifier's name, as it appears in logs, errors and dead letters. */
export const NAME = 'email'

/** Options of {@link emailNotifier}. */
export interface EmailNotifierOptions {
  /** Who receives the notifications: one address or several, `jane@example.com` or `Jane <jane@example.com>`. */
  to: string | readonly string[]
  /** The sender, `sales@example.com` or `CashNotify <sales@example.com>`. */
  from: string
  /** The SMTP server that sends the mail. */
  smtp: SmtpOptions
  /**
   * Builds the subject of a one-notification e-mail. Line breaks are folded into spaces.
   * @default the notification's title, prefixed with `[Test]` for test-mode data: `[Test] $49.00 sale · Acme Inc`
   */
  subject?: (notification: Notification) => string
  /**
   * Batch the notifications of a time window into one e-mail instead of one e-mail each. `send()` resolves
   * only once the batch holding the notification is sent, so give this notifier a delivery timeout longer
   * than the window and enough sends in flight to fill one. See the README's "Batch mode".
   * @default undefined (one e-mail per notification)
   */
  batch?: BatchOptions
  /**
   * The IANA time zone dates are shown in, e.g. `Europe/Paris`. A digest shows its period in its
   * schedule's own zone, named in the e-mail.
   * @default 'UTC'
   */
  timeZone?: string
  /**
   * Builds the subject of a digest e-mail (a day's or a week's summary). Line breaks are folded into spaces.
   * @default the digest's title, prefixed with `[Test]` for test-mode data: `[Test] Acme Inc · Tuesday, Nov 3: $1,240.00 from 18 sales`
   */
  digestSubject?: (digest: DigestNotification) => string
  /**
   * The sales chart of each currency in a digest e-mail (the three largest), as an inline PNG. `false`
   * sends the figures alone; `{ fontFiles }` names the DejaVu Sans files the PNG is drawn with, where the
   * system has none (macOS, Windows). See the README's "Digests".
   * @default true (the system's DejaVu Sans; Debian: `apt-get install fonts-dejavu-core`)
   */
  digestChart?: boolean | DigestChartOptions
}

/** How the charts of a digest e-mail are drawn. */
export interface DigestChartOptions {
  /**
   * The font files (TTF or OTF) of DejaVu Sans and DejaVu Sans Bold.
   * @default the system's, looked for where Debian, Fedora, Alpine and Arch install them
   */
  fontFiles?: readonly string[]
}

/** Where and how to reach the SMTP server. */
export interface SmtpOptions {
  /** The server's host name or IP address, e.g. `smtp.example.com`. */
  host: string
  /**
   * The server's port.
   * @default 587 (465 when `secure` is true)
   */
  port?: number
  /**
   * Use TLS from the first byte (usually port 465). When false, the connection is upgraded with STARTTLS
   * if the server offers it.
   * @default true when `port` is 465, false otherwise
   */
  secure?: boolean
  /**
   * Refuse to send unless the connection is upgraded with STARTTLS (ignored when `secure` is true).
   * Without it, a server (or a man in the middle) that does not offer STARTTLS gets the mail in clear.
   * @default false
   */
  requireTLS?: boolean
  /**
   * The credentials, when the server asks for them. The password never appears in an error message.
   * @default undefined (no authentication)
   */
  auth?: SmtpAuth
  /**
   * Keep connections open and re-use them for the next e-mails (a nodemailer pool).
   * @default true
   */
  pool?: boolean
  /**
   * At most this many connections at once, when `pool` is true.
   * @default 5
   */
  maxConnections?: number
  /**
   * TLS settings, for STARTTLS and `secure` alike.
   * @default undefined (Node's defaults: the certificate must be valid for `host`)
   */
  tls?: SmtpTlsOptions
}

/** SMTP credentials. */
export interface SmtpAuth {
  /** The user name, often the full e-mail address. */
  user: string
  /** The password or app password. */
  pass: string
}

/** TLS settings of the SMTP connection. */
export interface SmtpTlsOptions {
  /**
   * Refuse a server whose certificate cannot be verified. Setting it to false accepts any certificate,
   * including an attacker's: prefer `ca` for a private or self-signed certificate.
   * @default true
   */
  rejectUnauthorized?: boolean
  /**
   * Certificates (PEM) to trust besides the system's, e.g. a company CA or the server's self-signed one.
   * @default undefined (the system's trusted CAs)
   */
  ca?: string | readonly string[]
  /**
   * The name the certificate must be valid for, when it differs from `host` (e.g. connecting by IP).
   * @default the `host`, when it is a name
   */
  servername?: string
}

/** How notifications are batched in batch mode. */
export interface BatchOptions {
  /**
   * The length of a window, in minutes (1 to 1440). A window opens with the first notification that
   * arrives while none is open, and its e-mail is sent when it ends.
   */
  everyMinutes: number
  /**
   * Builds the subject of a batch of two notifications or more.
   * @default `5 notifications · Acme Inc`, or `5 notifications · 2 accounts`, prefixed with `[Test]` when all are test data
   */
  subject?: (notifications: readonly Notification[]) => string
}
