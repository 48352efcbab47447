/**
 * The lease scripts. A lease is a hash `{ holder, token }` that expires by itself; the fencing counter
 * beside it never expires, so every claim of a resource gets a token greater than any before it.
 */
import { LuaScript } from './lua-script.js'

/**
 * KEYS: lease, fence. ARGV: holder, ttl ms.
 * Returns `{1, token}` when the caller holds the lease (new, or already its own: renewed, same token),
 * or `{0, token, holder}` with the current holder's.
 */
export const CLAIM = new LuaScript(`
local holder = redis.call('HGET', KEYS[1], 'holder')
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return {1, tonumber(redis.call('HGET', KEYS[1], 'token'))}
end
if holder then
  return {0, tonumber(redis.call('HGET', KEYS[1], 'token')), holder}
end
local token = redis.call('INCR', KEYS[2])
redis.call('HSET', KEYS[1], 'holder', ARGV[1], 'token', token)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return {1, token}
`)

/** KEYS: lease. ARGV: holder, token, ttl ms. Extends the lease if it is still this holder's with this token: 1, else 0. */
export const RENEW = new LuaScript(`
if redis.call('HGET', KEYS[1], 'holder') == ARGV[1] and redis.call('HGET', KEYS[1], 'token') == ARGV[2] then
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  return 1
end
return 0
`)

/** KEYS: lease. ARGV: holder, token. Deletes the lease if it is still this holder's with this token: 1, else 0. */
export const RELEASE = new LuaScript(`
if redis.call('HGET', KEYS[1], 'holder') == ARGV[1] and redis.call('HGET', KEYS[1], 'token') == ARGV[2] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
`)

/**
 * KEYS: lease, target. ARGV: token, mode ('set' | 'del'), value, ttl ms (0: none).
 * Writes `target` only if `token` is the lease's current one: 1, else 0. The check and the write are one
 * step, so a holder paused past its lease cannot write once the next holder has claimed.
 */
export const FENCED_WRITE = new LuaScript(`
if redis.call('HGET', KEYS[1], 'token') ~= ARGV[1] then
  return 0
end
if ARGV[2] == 'del' then
  redis.call('DEL', KEYS[2])
elseif tonumber(ARGV[4]) > 0 then
  redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[4])
else
  redis.call('SET', KEYS[2], ARGV[3])
end
return 1
`)
