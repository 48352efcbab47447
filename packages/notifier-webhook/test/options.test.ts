import { ConfigError } from '@cashnotify/core/notifier'
import { describe, expect, it } from 'vitest'
import { NAME, type WebhookNotifierOptions, webhookNotifier } from '../src/index.js'

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
const URL = 'https://example.com/hooks/cashnotify'
const URL_WHAT = 'an absolute http(s) URL, e.g. `https://example.com/hooks/cashnotify`'

/** Calls the factory with input the types would refuse, as JavaScript callers can. */
function create(options: unknown) {
  return webhookNotifier(options as WebhookNotifierOptions)
}

/** The ConfigError a call throws. */
function configError(options: unknown): ConfigError {
  try {
    create(options)
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).code).toBe('config_invalid')
    return error as ConfigError
  }
  return expect.unreachable('expected a ConfigError')
}

describe('webhookNotifier options', () => {
  it('returns a notifier named `webhook` for a valid url and secret', () => {
    const notifier = webhookNotifier({ url: URL, secret: SECRET })
    expect(NAME).toBe('webhook')
    expect(notifier.name).toBe('webhook')
  })

  it('accepts a plain http url and no secret', () => {
    expect(webhookNotifier({ url: 'http://127.0.0.1:8080/hook' }).name).toBe('webhook')
  })

  it('accepts every option at once', () => {
    const notifier = webhookNotifier({
      url: URL,
      secret: [SECRET, 'whsec_c2Vjb25kIHNlY3JldCBmb3Igcm90YXRpb24='],
      format: 'discord',
      timeoutMs: 2000,
      headers: { authorization: 'Bearer abc', 'user-agent': 'my-app/1.0' },
      username: 'Sales',
      fetch: (input, init) => fetch(input, init),
      now: () => 0,
    })
    expect(notifier.name).toBe('webhook')
    expect(webhookNotifier({ url: URL, includeStripeEvents: true }).name).toBe('webhook')
  })

  it('names the missing `url`', () => {
    const call = () => create({})
    expect(call).toThrow(ConfigError)
    expect(call).toThrow(`[cashnotify] [webhook] Expected \`url\` to be ${URL_WHAT}, got nothing.`)
    expect(configError({ url: '' }).message).toBe(
      `[cashnotify] [webhook] Expected \`url\` to be ${URL_WHAT}, got an empty string.`,
    )
  })

  it("says a secret is empty (an unset environment variable read with `?? ''`)", () => {
    expect(configError({ url: URL, secret: '' }).message).toMatch(
      /Expected `secret` to be .*, got an empty string\.$/,
    )
  })

  it('refuses options that are not an object, without echoing a string', () => {
    expect(configError(undefined).message).toBe(
      '[cashnotify] [webhook] Expected `options` to be an object with a `url`, got nothing.',
    )
    expect(configError('https://example.com/hooks/cashnotify').message).toBe(
      '[cashnotify] [webhook] Expected `options` to be an object with a `url`, got "…".',
    )
    expect(configError(null).message).toMatch(/Expected `options` to be an object with a `url`, got null\.$/)
  })

  it('refuses a url that is not a string', () => {
    expect(configError({ url: 42 }).message).toBe(
      `[cashnotify] [webhook] Expected \`url\` to be ${URL_WHAT}, got 42.`,
    )
  })

  it('refuses a url that is not http(s), showing its scheme only', () => {
    const call = () => webhookNotifier({ url: 'ftp://user:hunter2@example.com/' })
    expect(call).toThrow(`[cashnotify] [webhook] Expected \`url\` to be ${URL_WHAT}, got "ftp://…".`)
    expect(call).not.toThrow(/hunter2|user/)
  })

  it('refuses a relative url, without echoing it', () => {
    expect(() => webhookNotifier({ url: '/hooks/cashnotify' })).toThrow(
      `[cashnotify] [webhook] Expected \`url\` to be ${URL_WHAT}, got "…".`,
    )
  })

  it('refuses a url with credentials, without echoing them, and says where they go', () => {
    const error = configError({ url: 'https://jane:hunter2@example.com/hook' })
    expect(error.message).toBe(
      '[cashnotify] [webhook] Expected `url` to be a URL without a user name or password ' +
        '(send them in `headers`), got "https://…@…".',
    )
    expect(error.message).not.toMatch(/hunter2|jane/)
  })

  it('refuses a secret without the `whsec_` prefix, without echoing it', () => {
    const call = () => webhookNotifier({ url: URL, secret: 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' })
    expect(call).toThrow(ConfigError)
    expect(call).toThrow(
      '[cashnotify] [webhook] Expected `secret` to be a Standard Webhooks secret (`whsec_` followed by base64), ' +
        'or an array of them, got "…".',
    )
    expect(call).not.toThrow(/MfKQ9r8G/)
  })

  it.each([
    ['not base64', 'whsec_not base64!', '"whsec_…"'],
    ['badly padded base64', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS', '"whsec_…"'],
    ['an empty secret', 'whsec_', '"whsec_…"'],
    ['a number', 42, '42'],
  ])('refuses a secret that is %s, showing at most its prefix', (_, secret, got) => {
    const error = configError({ url: URL, secret })
    expect(error.message).toBe(
      '[cashnotify] [webhook] Expected `secret` to be a Standard Webhooks secret (`whsec_` followed by base64), ' +
        `or an array of them, got ${got}.`,
    )
    if (typeof secret === 'string' && secret.length > 6) expect(error.message).not.toContain(secret.slice(6))
  })

  it('names which of several secrets is malformed', () => {
    const error = configError({ url: URL, secret: [SECRET, 'whsec_oops!'] })
    expect(error.message).toBe(
      '[cashnotify] [webhook] Expected `secret[1]` to be a Standard Webhooks secret (`whsec_` followed by base64), ' +
        'got "whsec_…".',
    )
    expect(error.message).not.toContain('MfKQ9r8G')
  })

  it('refuses an empty list of secrets', () => {
    expect(configError({ url: URL, secret: [] }).message).toBe(
      '[cashnotify] [webhook] Expected `secret` to be one secret or more ' +
        '(leave the option out to send unsigned requests), got an array.',
    )
  })

  it('refuses an unknown format, naming the known ones', () => {
    expect(configError({ url: URL, format: 'xml' }).message).toBe(
      '[cashnotify] [webhook] Expected `format` to be one of "json", "slack", "discord", got "xml".',
    )
    expect(configError({ url: URL, format: 3 }).message).toMatch(
      /Expected `format` to be one of .*, got 3\.$/,
    )
  })

  it.each([
    [0, 'at least 1', '0'],
    [-1, 'at least 1', '-1'],
    [1.5, 'an integer', '1.5'],
    [600_001, 'at most 600000', '600001'],
    [Number.NaN, 'a number', 'NaN'],
    ['1000', 'a number', '"1000"'],
  ])('refuses timeoutMs %s', (timeoutMs, what, got) => {
    expect(configError({ url: URL, timeoutMs }).message).toBe(
      `[cashnotify] [webhook] Expected \`timeoutMs\` to be ${what}, got ${got}.`,
    )
  })

  it.each([
    ['content-type', 'application/xml'],
    ['Content-Type', 'application/xml'],
    ['webhook-id', 'x'],
    ['Webhook-Signature', 'v1,forged'],
    ['webhook-timestamp', '0'],
    ['host', 'evil.example'],
    ['content-length', '1'],
  ])('refuses a `headers` entry that overrides %s', (name, value) => {
    const error = configError({ url: URL, headers: { [name]: value } })
    expect(error.message).toMatch(
      new RegExp(
        `Expected \`headers\\.${name}\` to be left out: the notifier sets it itself \\(.+\\), got "…"\\.$`,
      ),
    )
    if (value.length > 2) expect(error.message).not.toContain(value)
  })

  it('refuses header names that are not HTTP tokens', () => {
    expect(configError({ url: URL, headers: { 'bad name': 'x' } }).message).toBe(
      '[cashnotify] [webhook] Expected `headers` to be an object of valid HTTP header names, got "bad name".',
    )
  })

  it('refuses header values that are not strings or break lines, without echoing them', () => {
    const crlf = configError({ url: URL, headers: { authorization: 'Bearer tok3n\r\nx-evil: 1' } })
    expect(crlf.message).toBe(
      '[cashnotify] [webhook] Expected `headers.authorization` to be a string without line breaks, got "…\\n…".',
    )
    expect(crlf.message).not.toContain('tok3n')
    expect(configError({ url: URL, headers: { 'x-count': 3 } }).message).toBe(
      '[cashnotify] [webhook] Expected `headers.x-count` to be a string without line breaks, got 3.',
    )
  })

  it('refuses headers that are not a plain object', () => {
    expect(configError({ url: URL, headers: [['a', 'b']] }).message).toBe(
      '[cashnotify] [webhook] Expected `headers` to be a plain object of header names to strings, got an array.',
    )
    expect(configError({ url: URL, headers: new Headers({ a: 'b' }) }).message).toMatch(
      /Expected `headers` to be a plain object of header names to strings, got an object\.$/,
    )
  })

  it('refuses options that only apply to another format', () => {
    expect(configError({ url: URL, format: 'slack', includeStripeEvents: true }).message).toBe(
      "[cashnotify] [webhook] Expected `includeStripeEvents` to be left out unless `format` is 'json' " +
        '(Slack and Discord messages never carry the raw Stripe events), got true.',
    )
    expect(configError({ url: URL, username: 'Sales' }).message).toBe(
      "[cashnotify] [webhook] Expected `username` to be left out unless `format` is 'discord' " +
        '(it names the Discord webhook), got "Sales".',
    )
  })

  it('refuses a bad username or includeStripeEvents', () => {
    expect(configError({ url: URL, format: 'discord', username: '  ' }).message).toBe(
      '[cashnotify] [webhook] Expected `username` to be a name that is not blank, got "  ".',
    )
    expect(configError({ url: URL, format: 'discord', username: 'x'.repeat(81) }).message).toMatch(
      /Expected `username` to be at most 80 characters long, got "x+…"\.$/,
    )
    expect(configError({ url: URL, includeStripeEvents: 'yes' }).message).toBe(
      '[cashnotify] [webhook] Expected `includeStripeEvents` to be a boolean, got "yes".',
    )
  })

  it('refuses a fetch or clock that is not a function', () => {
    expect(configError({ url: URL, fetch: 'undici' }).message).toBe(
      '[cashnotify] [webhook] Expected `fetch` to be a function, got "undici".',
    )
    expect(configError({ url: URL, now: 0 }).message).toBe(
      '[cashnotify] [webhook] Expected `now` to be a function, got 0.',
    )
  })

  it('refuses unknown options, so a typo does not silently send unsigned requests', () => {
    expect(configError({ url: URL, secrets: [SECRET] }).message).toBe(
      '[cashnotify] [webhook] Unknown option `secrets`.',
    )
  })

  it('lists every problem at once', () => {
    expect(
      configError({ url: 'ftp://example.com/hook', format: 'xml', timeoutMs: -1, secrets: 1 }).message,
    ).toBe(
      `[cashnotify] [webhook] Expected \`url\` to be ${URL_WHAT}, got "ftp://…". ` +
        'Expected `format` to be one of "json", "slack", "discord", got "xml". ' +
        'Expected `timeoutMs` to be at least 1, got -1. Unknown option `secrets`.',
    )
  })

  it('never echoes a Slack-like url or a secret in any config error', () => {
    const slackUrl = 'https://hooks.slack.com/services/T0000000/B0000000/XXXXXXXXXXXXXXXXXXXXXXXX'
    const attempts: unknown[] = [
      slackUrl,
      { url: slackUrl, secret: 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' },
      { url: slackUrl, secret: [SECRET, 'whsec_bad!'] },
      { url: slackUrl, format: 'xml' },
      { url: slackUrl, headers: { 'content-type': 'text/plain' } },
      { url: slackUrl, timeoutMs: -1 },
      { url: slackUrl.replace('https', 'ftp') },
      { url: slackUrl.replace('https://', 'https://user:XXXXXXXXXXXXXXXXXXXXXXXX@') },
    ]
    for (const options of attempts) {
      const error = configError(options)
      const text = `${error.message}\n${error.stack ?? ''}`
      expect(text).not.toMatch(/XXXXXXXX|T0000000|B0000000|MfKQ9r8G|hooks\.slack\.com/)
    }
  })
})
