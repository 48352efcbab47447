export { type CheckSmtpOptions, checkSmtp } from './check-smtp.js'
export { ID_HEADER, IDS_HEADER } from './message.js'
export { emailNotifier } from './notifier.js'
export {
  type BatchOptions,
  type DigestChartOptions,
  type EmailNotifierOptions,
  NAME,
  type SmtpAuth,
  type SmtpOptions,
  type SmtpTlsOptions,
} from './options.js'
