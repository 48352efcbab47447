/**
 * Config problems in the house style: the field, what was expected, what was got. A value is shown
 * redacted and cut short, so that an error message can never carry a key written in the file.
 */
import { redactSecrets } from '@cashnotify/core'
import type { z } from 'zod'
import { closest } from './suggest.js'

/** One problem of a config file. */
export interface ConfigIssue {
  /** Where: `['accounts', 0, 'keyEnv']`. */
  readonly path: ReadonlyArray<PropertyKey>
  /** What is wrong, in a sentence that names the field. */
  readonly message: string
}

/** `['accounts', 0, 'keyEnv']` → `accounts[0].keyEnv`. */
export function pathText(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((text, part) => {
    if (typeof part === 'number') return `${text}[${part}]`
    const name = String(part)
    return text ? `${text}.${name}` : name
  }, '')
}

/** A value as an error message shows it: redacted, short. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (value === null) return 'null'
  if (typeof value === 'string') {
    const safe = redactSecrets(value)
    return JSON.stringify(safe.length > 40 ? `${safe.slice(0, 40)}…` : safe)
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return Array.isArray(value) ? 'an array' : 'an object'
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  array: 'an array',
  object: 'an object',
}

function bound(
  issue: { origin: string; inclusive?: boolean },
  limit: unknown,
  side: 'least' | 'most',
): string {
  const n = Number(limit)
  if (issue.origin === 'array')
    return `${side === 'least' ? 'at least' : 'at most'} ${n} item${n === 1 ? '' : 's'}`
  if (issue.origin === 'string')
    return n === 1 && side === 'least'
      ? 'not empty'
      : `${side === 'least' ? 'at least' : 'at most'} ${n} characters`
  const word = issue.inclusive === false ? (side === 'least' ? 'greater than' : 'less than') : `at ${side}`
  return `${word} ${n}`
}

/** The fields the object at a path may have: what an unknown field is compared with. */
export type KnownFields = (path: ReadonlyArray<PropertyKey>) => readonly string[]

/** Fields an earlier version had under another name: an old config is told the new one. */
const RENAMED: Readonly<Record<string, string>> = { digestMinutes: 'batchMinutes' }

function unknownField(path: ReadonlyArray<PropertyKey>, key: string, known: readonly string[]): string {
  const field = `\`${pathText([...path, key])}\``
  const renamed = RENAMED[key]
  if (renamed !== undefined && known.includes(renamed))
    return `Unknown field ${field}: it is now \`${renamed}\` (the daily and weekly summaries are \`digests\`).`
  const near = closest(key, known)
  return near === undefined
    ? `Unknown field ${field}: check its spelling against the config reference.`
    : `Unknown field ${field}: did you mean \`${near}\`?`
}

/** One zod issue as a {@link ConfigIssue}; `known` tells the fields an unknown one may be a typo of. */
export function fromZodIssue(issue: z.core.$ZodIssue, known: KnownFields = () => []): ConfigIssue {
  const field = `\`${pathText(issue.path)}\``
  const got = describeValue(issue.input)
  const at = (message: string): ConfigIssue => ({ path: issue.path, message })
  switch (issue.code) {
    case 'invalid_type':
      return at(`Expected ${field} to be ${TYPE_NAMES[issue.expected] ?? issue.expected}, got ${got}.`)
    case 'too_small':
      return at(
        `Expected ${field} to be ${bound(issue, issue.minimum, 'least')}, got ${issue.origin === 'array' ? `${(issue.input as unknown[] | undefined)?.length ?? 0} items` : got}.`,
      )
    case 'too_big':
      return at(
        `Expected ${field} to be ${bound(issue, issue.maximum, 'most')}, got ${issue.origin === 'array' ? `${(issue.input as unknown[] | undefined)?.length ?? 0} items` : got}.`,
      )
    case 'invalid_value':
      return at(
        `Expected ${field} to be one of ${issue.values.map((v) => `\`${String(v)}\``).join(', ')}, got ${got}.`,
      )
    case 'unrecognized_keys':
      return {
        path: issue.path,
        message: issue.keys.map((key) => unknownField(issue.path, key, known(issue.path))).join('\n'),
      }
    case 'invalid_union': {
      const { discriminator, options } = issue as { discriminator?: string; options?: unknown[] }
      if (discriminator && options) {
        const value = (issue.input as Record<string, unknown> | undefined)?.[discriminator]
        return at(
          `Expected ${field} to be one of ${options.map((o) => `\`${String(o)}\``).join(', ')}, got ${describeValue(value)}.`,
        )
      }
      return at(`Expected ${field} to be ${issue.message}, got ${got}.`)
    }
    case 'invalid_format':
      return at(`Expected ${field} to be ${issue.message}, got ${got}.`)
    case 'invalid_key': {
      const inner = issue.issues[0]?.message ?? 'a valid key'
      return at(
        `Expected each key of \`${pathText(issue.path.slice(0, -1))}\` to be ${inner}, got ${describeValue(issue.path.at(-1))}.`,
      )
    }
    case 'custom':
      return at(issue.message)
    default:
      return at(`Invalid ${field}: ${issue.message}, got ${got}.`)
  }
}
