/**
 * One prefix, one cluster: the first process stores the cluster's configuration fingerprint under the
 * prefix, and a process started with a different configuration on the same prefix is refused, before it
 * could poll another cluster's accounts or deliver its notifications through the wrong notifiers.
 */
import type { Redis } from 'ioredis'
import { RedisClusterError } from './errors.js'
import type { ClusterKeys } from './keys.js'
import { LuaScript } from './lua-script.js'

/** What must be the same in every process of a cluster: flat, JSON-safe, never a secret. */
export type ClusterFingerprint = Readonly<Record<string, string | number | boolean>>

/** KEYS: config. ARGV: fingerprint JSON, replace ('1' | '0'). Nil when stored or equal, else the stored one. */
const CLAIM_CONFIG = new LuaScript(`
local stored = redis.call('GET', KEYS[1])
if stored and stored ~= ARGV[1] and ARGV[2] ~= '1' then return stored end
redis.call('SET', KEYS[1], ARGV[1])
return false
`)

/** The fingerprint as stored: keys sorted, so that equal configurations compare equal. */
export function canonical(fingerprint: ClusterFingerprint): string {
  return JSON.stringify(Object.fromEntries(Object.entries(fingerprint).sort(([a], [b]) => (a < b ? -1 : 1))))
}

/**
 * Stores this cluster's fingerprint under the prefix, or checks it against the one there.
 * @throws `RedisClusterError` (`prefix_conflict`, code `config_invalid`) naming what differs.
 */
export async function claimClusterConfig(
  redis: Redis,
  keys: ClusterKeys,
  fingerprint: ClusterFingerprint,
  options: { replace: boolean; maskedUrl: string },
): Promise<void> {
  const mine = canonical(fingerprint)
  const stored = await CLAIM_CONFIG.run(redis, [keys.config], [mine, options.replace ? '1' : '0'])
  if (stored === null || stored === undefined) return
  const theirs = parse(String(stored))
  const fields = [...new Set([...Object.keys(theirs), ...Object.keys(fingerprint)])].sort()
  const differ = fields
    .filter((field) => theirs[field] !== fingerprint[field])
    .map((field) => `${field}: ${shown(theirs[field])} there, ${shown(fingerprint[field])} here`)
  throw new RedisClusterError(
    `Another CashNotify cluster uses the key prefix \`${keys.prefix}\` on ${options.maskedUrl} with a different ` +
      `configuration (${differ.join('; ') || 'unreadable'}). Give this cluster its own \`prefix\`, or, if the ` +
      'configuration was changed on purpose, start one process with `replaceConfig: true`.',
    { reason: 'prefix_conflict' },
  )
}

function parse(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text)
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}

/** Numbers and booleans as they are; strings quoted and cut short, since they may name hosts or paths. */
function shown(value: unknown): string {
  if (value === undefined) return 'unset'
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)
  return String(value)
}
