import { ConfigError } from '@cashnotify/core/notifier'
import { describe, expect, it } from 'vitest'
import { NAME, type WebhookNotifierOptions, webhookNotifier } from '../src/index.js'

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
const URL = 'https://example.com/hooks/cashnotify'

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
    expect(call).toThrow('[cashnotify] [webhook] Missing required option `url`.')
    expect(configError({ url: '' }).message).toBe('[cashnotify] [webhook] Missing required option `url`.')
  })

  it('refuses options that are not an object', () => {
    expect(configError(undefined).message).toBe(
      '[cashnotify] [webhook] Expected options to be an object with a `url`, got undefined.',
    )
    expect(configError('https://example.com').message).toMatch(/got string\.$/)
    expect(configError(null).message).toMatch(/got null\.$/)
  })

  it('refuses a url that is not a string', () => {
    expect(configError({ url: 42 }).message).toBe(
      '[cashnotify] [webhook] Expected `url` to be a string, got number.',
    )
  })

  it('refuses a url that is not http(s), without echoing it', () => {
    const call = () => webhookNotifier({ url: 'ftp://user:hunter2@example.com/' })
    expect(call).toThrow('[cashnotify] [webhook] Expected `url` to use http: or https:, got `ftp:`.')
    expect(call).not.toThrow(/hunter2/)
  })

  it('refuses a relative url', () => {
    expect(() => webhookNotifier({ url: '/hooks/cashnotify' })).toThrow(
      /Expected `url` to be an absolute http\(s\) URL/,
    )
  })

  it('refuses a url with credentials, without echoing them, and says where they go', () => {
    const error = configError({ url: 'https://jane:hunter2@example.com/hook' })
    expect(error.message).toMatch(/Expected `url` without a user name or password.*`headers`/)
    expect(error.message).not.toMatch(/hunter2|jane/)
  })

  it('refuses a secret without the `whsec_` prefix, without echoing it', () => {
    const call = () => webhookNotifier({ url: URL, secret: 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' })
    expect(call).toThrow(ConfigError)
    expect(call).toThrow(/Expected `secret` to be a Standard Webhooks secret \(`whsec_` followed by base64\)/)
    expect(call).not.toThrow(/MfKQ9r8G/)
  })

  it.each([
    ['not base64', 'whsec_not base64!'],
    ['badly padded base64', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS'],
    ['an empty secret', 'whsec_'],
    ['a number', 42],
  ])('refuses a secret that is %s', (_, secret) => {
    const error = configError({ url: URL, secret })
    expect(error.message).toMatch(/Expected `secret` to be a Standard Webhooks secret/)
    if (typeof secret === 'string' && secret.length > 6) expect(error.message).not.toContain(secret.slice(6))
  })

  it('names which of several secrets is malformed', () => {
    const error = configError({ url: URL, secret: [SECRET, 'whsec_oops!'] })
    expect(error.message).toMatch(/Expected `secret\[1\]` to be a Standard Webhooks secret/)
    expect(error.message).not.toContain('MfKQ9r8G')
  })

  it('refuses an empty list of secrets', () => {
    expect(configError({ url: URL, secret: [] }).message).toBe(
      '[cashnotify] [webhook] Expected `secret` to hold at least one secret, got an empty array. ' +
        'Leave the option out to send unsigned requests.',
    )
  })

  it('refuses an unknown format, naming the known ones', () => {
    expect(configError({ url: URL, format: 'xml' }).message).toBe(
      '[cashnotify] [webhook] Expected `format` to be one of `json`, `slack`, `discord`, got `xml`.',
    )
    expect(configError({ url: URL, format: 3 }).message).toMatch(/got number\.$/)
  })

  it.each([0, -1, 1.5, 600_001, Number.NaN, '1000'])('refuses timeoutMs %s', (timeoutMs) => {
    expect(configError({ url: URL, timeoutMs }).message).toMatch(
      /^\[cashnotify\] \[webhook\] Expected `timeoutMs` to be an integer from 1 to 600000 \(ms\), got /,
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
    expect(error.message).toContain(
      `Expected \`headers\` not to set \`${name}\`: the notifier sets it itself`,
    )
    if (value.length > 2) expect(error.message).not.toContain(value)
  })

  it('refuses header names that are not HTTP tokens', () => {
    expect(configError({ url: URL, headers: { 'bad name': 'x' } }).message).toBe(
      '[cashnotify] [webhook] Expected `headers` to hold valid HTTP header names, got "bad name".',
    )
  })

  it('refuses header values that are not strings or break lines, without echoing them', () => {
    const crlf = configError({ url: URL, headers: { authorization: 'Bearer tok3n\r\nx-evil: 1' } })
    expect(crlf.message).toBe(
      '[cashnotify] [webhook] Expected header `authorization` to be a string without line breaks, ' +
        'got a string with a line break.',
    )
    expect(crlf.message).not.toContain('tok3n')
    expect(configError({ url: URL, headers: { 'x-count': 3 } }).message).toMatch(/got number\.$/)
  })

  it('refuses headers that are not a plain object', () => {
    expect(configError({ url: URL, headers: [['a', 'b']] }).message).toMatch(
      /Expected `headers` to be a plain object of header names to strings, got an array\./,
    )
    expect(configError({ url: URL, headers: new Headers({ a: 'b' }) }).message).toMatch(/got object\./)
  })

  it('refuses options that only apply to another format', () => {
    expect(configError({ url: URL, format: 'slack', includeStripeEvents: true }).message).toMatch(
      /Expected `includeStripeEvents` only with `format: 'json'`, got it with `format: 'slack'`/,
    )
    expect(configError({ url: URL, username: 'Sales' }).message).toMatch(
      /Expected `username` only with `format: 'discord'`, got it with `format: 'json'`/,
    )
  })

  it('refuses a bad username or includeStripeEvents', () => {
    expect(configError({ url: URL, format: 'discord', username: '  ' }).message).toMatch(
      /Expected `username` to be a non-empty string of at most 80 characters, got 2 characters\./,
    )
    expect(configError({ url: URL, includeStripeEvents: 'yes' }).message).toMatch(
      /Expected `includeStripeEvents` to be a boolean, got string\./,
    )
  })

  it('refuses a fetch or clock that is not a function', () => {
    expect(configError({ url: URL, fetch: 'undici' }).message).toBe(
      '[cashnotify] [webhook] Expected `fetch` to be a function, got string.',
    )
    expect(configError({ url: URL, now: 0 }).message).toMatch(/Expected `now` to be a function, got number\./)
  })

  it('refuses unknown options, so a typo does not silently send unsigned requests', () => {
    expect(configError({ url: URL, secrets: [SECRET] }).message).toMatch(
      /^\[cashnotify\] \[webhook\] Unknown option `secrets`\. Known options: `url`, `secret`,/,
    )
  })

  it('never echoes a Slack-like url or a secret in any config error', () => {
    const slackUrl = 'https://hooks.slack.com/services/T0000000/B0000000/XXXXXXXXXXXXXXXXXXXXXXXX'
    const attempts: unknown[] = [
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
