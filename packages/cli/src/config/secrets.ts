/**
 * Secrets come from where the config says they are: an environment variable (`keyEnv`) or a file
 * (`keyFile`, trimmed). They are read here, once, and a Stripe key becomes core's `ApiKey` at once, so
 * that printing or logging it can only ever show `rk_live_…abcd`.
 */
import { readFile, stat } from 'node:fs/promises'
import { type ApiKey, ConfigError, parseKey } from '@cashnotify/core'
import { resolvePath } from './load.js'
import { ConfigProblems, problemsOf, settleAll } from './problems.js'
import type { AccountConfig } from './schema.js'

/** Where secrets are read from. */
export interface SecretContext {
  /** The environment (injected: the demo passes its own). */
  readonly env: Readonly<Record<string, string | undefined>>
  /** The directory relative paths are resolved against. */
  readonly dir: string
  /** Receives warnings for a person, e.g. a key file others can read. */
  readonly warn: (message: string) => void
}

/** Where one secret is: the name of an environment variable, or a file. */
export interface SecretSource {
  /** The variable's name. */
  readonly env?: string | undefined
  /** The file's path. */
  readonly file?: string | undefined
}

/**
 * Reads a secret. A file others can read is used, with a warning saying how to fix it.
 * @param field - the config field, for messages (`accounts[0].keyEnv`)
 * @throws {@link ConfigError} when the variable is unset or empty, or the file unreadable or empty.
 */
export async function readSecret(
  source: SecretSource,
  field: string,
  context: SecretContext,
): Promise<string> {
  if (source.env !== undefined) {
    const value = context.env[source.env]?.trim()
    if (value === undefined)
      throw new ConfigError(`Environment variable ${source.env} (\`${field}Env\`) is not set.`)
    if (value === '') throw new ConfigError(`Environment variable ${source.env} (\`${field}Env\`) is empty.`)
    return value
  }
  if (source.file === undefined)
    throw new ConfigError(`\`${field}\` has no source: give \`${field}Env\` or \`${field}File\`.`)
  const path = resolvePath(context.dir, source.file)
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new ConfigError(
      code === 'ENOENT'
        ? `File ${path} (\`${field}File\`) does not exist.`
        : `Could not read ${path} (\`${field}File\`): ${(error as Error).message}`,
      { cause: error },
    )
  }
  const value = text.trim()
  if (value === '') throw new ConfigError(`File ${path} (\`${field}File\`) is empty.`)
  if (process.platform !== 'win32') {
    const { mode } = await stat(path)
    if ((mode & 0o077) !== 0) {
      const octal = (mode & 0o777).toString(8).padStart(4, '0')
      context.warn(
        `${path} (\`${field}File\`) can be read by other users (mode ${octal}): run \`chmod 600 ${path}\` so that only you can read it.`,
      )
    }
  }
  return value
}

/** One account of the config, its key read. */
export interface ResolvedAccount {
  /** Where it is in the config: `accounts[0]`. */
  readonly label: string
  /** Where its key comes from, for a person: `keyEnv STRIPE_KEY_SHOP`. */
  readonly keySource: string
  /** The key, or why it is unusable (malformed, publishable). */
  readonly key: { readonly ok: true; readonly value: ApiKey } | { readonly ok: false; readonly error: Error }
  /** The account's config. */
  readonly config: AccountConfig
  /**
   * Its webhook signing secrets, when the config names them: one, or several separated by commas or
   * white space while a secret is being rolled.
   */
  readonly webhookSecret?: readonly string[] | undefined
}

/** The webhook secrets of one account, when its config says where they are. */
async function webhookSecretsOf(
  config: AccountConfig,
  label: string,
  context: SecretContext,
): Promise<string[] | undefined> {
  if (config.webhookSecretEnv === undefined && config.webhookSecretFile === undefined) return undefined
  const source = { env: config.webhookSecretEnv, file: config.webhookSecretFile }
  const text = await readSecret(source, `${label}.webhookSecret`, context)
  return text.split(/[\s,]+/).filter((secret) => secret !== '')
}

/**
 * Reads the key of one account. A key that is there but malformed (or publishable) is returned as
 * unusable, for the caller to report like a key Stripe refuses.
 * @throws {@link ConfigError} when the key cannot be read at all.
 */
export async function resolveAccount(
  config: AccountConfig,
  index: number,
  context: SecretContext,
): Promise<ResolvedAccount> {
  const label = `accounts[${index}]`
  const keySource =
    config.keyEnv !== undefined ? `keyEnv ${config.keyEnv}` : `keyFile ${config.keyFile ?? ''}`
  // Both read, so that both problems are listed at once.
  const [key, webhook] = await Promise.allSettled([
    readSecret({ env: config.keyEnv, file: config.keyFile }, `${label}.key`, context),
    webhookSecretsOf(config, label, context),
  ])
  const failures = [key, webhook].flatMap((r) => (r.status === 'rejected' ? [r.reason] : []))
  if (failures.length === 1) throw failures[0]
  if (key.status === 'rejected' || webhook.status === 'rejected')
    throw new ConfigProblems(SETUP_PROBLEMS, problemsOf(failures))
  const webhookSecret = webhook.value
  const found = { label, keySource, config, ...(webhookSecret?.length ? { webhookSecret } : {}) }
  try {
    return { ...found, key: { ok: true, value: parseKey(key.value) } }
  } catch (error) {
    return { ...found, key: { ok: false, error: error as Error } }
  }
}

/** The title of the list of what keeps the config's accounts and notifiers from being set up. */
export const SETUP_PROBLEMS =
  "Cannot set up the config's accounts and notifiers; fix each of these, then start again:"

/**
 * Reads the key of every account: one that cannot be read stops everything (a deployment mistake), and
 * every one that cannot be read is listed at once.
 * @throws {@link ConfigProblems} naming each field.
 */
export async function resolveAccounts(
  accounts: readonly AccountConfig[],
  context: SecretContext,
): Promise<ResolvedAccount[]> {
  return settleAll(
    SETUP_PROBLEMS,
    accounts.map((config, i) => resolveAccount(config, i, context)),
  )
}
