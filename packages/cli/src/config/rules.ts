/**
 * The rules a schema does not say well: secrets are never written in the config file, and each secret
 * has exactly one source. They read the raw JSON, so they apply even when the schema finds other
 * problems, and a key pasted in the wrong field is reported without being echoed.
 */
import { containsSecret } from '@cashnotify/core'
import { type ConfigIssue, pathText } from './issues.js'

type Path = ReadonlyArray<PropertyKey>

/** Fields that hold a secret's value: refused whatever they hold, with what to write instead. */
const SECRET_FIELDS: Readonly<Record<string, string>> = {
  key: 'keyEnv',
  apiKey: 'keyEnv',
  secret: 'secretEnv',
  webhookSecret: 'webhookSecretEnv',
  password: 'passwordEnv',
}

/** The fields the schema names only to refuse them: never suggested for a typo. */
export const SECRET_FIELD_NAMES: ReadonlySet<string> = new Set(Object.keys(SECRET_FIELDS))

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : []
}

/** What to write instead of a secret at `path`. */
function instead(field: string): string {
  const base = field.replace(/Env$/, '')
  return `\`${base}Env\` (the name of an environment variable that holds it) or \`${base}File\` (the path of a file that holds it, readable by you only)`
}

function literal(path: Path, field: string): ConfigIssue {
  const what =
    field === 'keyEnv'
      ? 'a Stripe API key'
      : field === 'secretEnv' || field === 'webhookSecretEnv'
        ? 'a signing secret'
        : 'a password'
  return {
    path,
    message: `\`${pathText(path)}\` holds ${what} in the config file, where anyone who can read the file or its backups can use it. Use ${instead(field)} instead.`,
  }
}

/** Every string of the JSON that looks like a Stripe key or a webhook secret, except in the fields above. */
function scan(value: unknown, path: Path, found: ConfigIssue[]): void {
  const last = path.at(-1)
  if (typeof last === 'string' && last in SECRET_FIELDS) return
  if (typeof value === 'string') {
    if (containsSecret(value)) {
      const field = !path.includes('accounts')
        ? 'secretEnv'
        : String(value).includes('whsec_')
          ? 'webhookSecretEnv'
          : 'keyEnv'
      found.push({
        path,
        message: `\`${pathText(path)}\` holds what looks like a Stripe key or a webhook secret. Secrets never go in the config file: use ${instead(field)}.`,
      })
    }
    return
  }
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) scan(item, [...path, i], found)
  } else for (const [key, item] of Object.entries(record(value) ?? {})) scan(item, [...path, key], found)
}

/** Exactly one of `a` and `b` (or at most one, when neither is required). */
function oneOf(
  object: Record<string, unknown>,
  path: Path,
  [a, b]: readonly [string, string],
  required: string | undefined,
): ConfigIssue[] {
  const has = (field: string): boolean => object[field] !== undefined
  if (has(a) && has(b))
    return [{ path, message: `\`${pathText(path)}\` has both \`${a}\` and \`${b}\`: give one of them.` }]
  if (required && !has(a) && !has(b)) return [{ path, message: `\`${pathText(path)}\` needs ${required}.` }]
  return []
}

/** The secret rules, on the raw JSON of a config file. */
export function secretRules(raw: unknown): ConfigIssue[] {
  const issues: ConfigIssue[] = []
  scan(raw, [], issues)
  const config = record(raw)
  list(config?.accounts).forEach((item, i) => {
    const account = record(item)
    if (!account) return
    const path = ['accounts', i]
    const literals = ['key', 'apiKey'].filter((field) => account[field] !== undefined)
    for (const field of literals) issues.push(literal([...path, field], 'keyEnv'))
    // With a literal key, the message above already says what to write instead.
    const required = literals.length > 0 ? undefined : `its Stripe key: ${instead('keyEnv')}`
    issues.push(...oneOf(account, path, ['keyEnv', 'keyFile'], required))
    if (account.webhookSecret !== undefined)
      issues.push(literal([...path, 'webhookSecret'], 'webhookSecretEnv'))
    issues.push(...oneOf(account, path, ['webhookSecretEnv', 'webhookSecretFile'], undefined))
  })
  list(config?.notifiers).forEach((item, i) => {
    const notifier = record(item)
    const path = ['notifiers', i]
    if (notifier?.type === 'webhook') {
      if (notifier.secret !== undefined) issues.push(literal([...path, 'secret'], 'secretEnv'))
      issues.push(...oneOf(notifier, path, ['secretEnv', 'secretFile'], undefined))
      issues.push(
        ...oneOf(
          notifier,
          path,
          ['url', 'urlEnv'],
          '`url` (or `urlEnv`, when the URL is a credential, as Slack and Discord ones are)',
        ),
      )
    }
    const smtp = notifier?.type === 'email' ? record(notifier.smtp) : undefined
    if (smtp) {
      if (smtp.password !== undefined) issues.push(literal([...path, 'smtp', 'password'], 'passwordEnv'))
      issues.push(...oneOf(smtp, [...path, 'smtp'], ['passwordEnv', 'passwordFile'], undefined))
    }
  })
  if (typeof config?.store === 'string' && /^rediss?:/i.test(config.store))
    issues.push({
      path: ['store'],
      message:
        '`store` is a Redis URL, read as the path of a SQLite file: write `"store": { "redis": "redis://host:6379" }`, or `{ "redisEnv": "REDIS_URL" }` when the URL holds a password.',
    })
  issues.push(...storeRules(record(config?.store)))
  if (record(config?.store) && config?.webhooks !== undefined)
    issues.push({
      path: ['webhooks'],
      message:
        "A Redis `store` (clustered mode) does not take webhooks yet: a push would reach any process, not the one polling its account. Remove `webhooks` (and the accounts' `webhookSecretEnv`); polling covers every event.",
    })
  return issues
}

/** A Redis store's URL comes from one place, and a password is never written in the file. */
function storeRules(store: Record<string, unknown> | undefined): ConfigIssue[] {
  if (!store) return []
  const issues = oneOf(
    store,
    ['store'],
    ['redis', 'redisEnv'],
    '`redis` (a redis:// URL) or `redisEnv` (the name of an environment variable that holds it)',
  )
  if (typeof store.redis === 'string' && /^rediss?:\/\/[^/@]*:[^/@]+@/.test(store.redis))
    issues.push({
      path: ['store', 'redis'],
      message:
        '`store.redis` holds a password in the config file, where anyone who can read the file or its backups can use it. Use `redisEnv` (the name of an environment variable that holds the whole URL) instead.',
    })
  return issues
}
