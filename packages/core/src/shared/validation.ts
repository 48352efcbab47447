/**
 * One way to say that an option is wrong, for core and every plugin: a zod issue or a hand check
 * becomes ``[cashnotify] [name] Expected `path` to be …, got ….``, with every problem listed at once.
 */
import type { z } from 'zod'
import { ConfigError } from './errors.js'

/** Options of {@link parseOptions}. */
export interface ParseOptionsSettings {
  /** Who owns the options, shown as `[name]`: a notifier's name, e.g. `webhook`. @default none (core) */
  readonly name?: string
  /** What one entry is called in "Unknown … `x`". @default 'option' */
  readonly what?: string
}

/** How a value reads in a message: short, never a whole secret (error constructors redact keys too). */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (value === null) return 'null'
  // An unset environment variable read with `?? ''` ends here: say so, not `""`.
  if (value === '') return 'an empty string'
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value)
  if (typeof value === 'function') return 'a function'
  if (Array.isArray(value)) return 'an array'
  if (value instanceof Date) return 'a date'
  return typeof value === 'object' ? 'an object' : typeof value
}

/** The house sentence: ``Expected `path` to be what, got value.`` */
export function expectedMessage(path: string, what: string, got: unknown): string {
  return `Expected \`${path}\` to be ${what}, got ${describeValue(got)}.`
}

/** Hand checks of options that are told all at once, like {@link parseOptions} tells a schema's issues. */
export interface OptionChecks {
  /** Records ``Expected `path` to be what, got ….`` unless `ok`; returns `ok`. */
  check(ok: boolean, path: string, what: string, got: unknown): boolean
  /** Throws one {@link ConfigError} holding every recorded problem, if there is one. */
  throwIfAny(): void
}

/**
 * Hand checks for an owner (a notifier's name): each failed check adds the house sentence, and
 * `throwIfAny()` throws them together, prefixed with the name.
 *
 * @example
 * ```ts
 * const checks = optionChecks('desktop')
 * checks.check(typeof options.appName === 'string', 'appName', 'a string', options.appName)
 * checks.throwIfAny()
 * ```
 */
export function optionChecks(name: string | undefined): OptionChecks {
  const sentences: string[] = []
  return {
    check(ok, path, what, got) {
      if (!ok) sentences.push(expectedMessage(path, what, got))
      return ok
    },
    throwIfAny() {
      if (sentences.length > 0) throw new ConfigError(`${name ? `[${name}] ` : ''}${sentences.join(' ')}`)
    },
  }
}

/** A {@link ConfigError} for a hand check, in the house sentence, prefixed with the owner's name. */
export function invalidOption(
  name: string | undefined,
  path: string,
  what: string,
  got: unknown,
): ConfigError {
  return new ConfigError(`${name ? `[${name}] ` : ''}${expectedMessage(path, what, got)}`)
}

const ARTICLE: Readonly<Record<string, string>> = {
  int: 'an integer',
  object: 'an object',
  array: 'an array',
  undefined: 'absent',
}

function typeName(expected: string): string {
  return ARTICLE[expected] ?? `a ${expected}`
}

function sizeWhat(issue: Extract<z.core.$ZodIssue, { code: 'too_small' | 'too_big' }>): string {
  const small = issue.code === 'too_small'
  const bound = String(small ? issue.minimum : issue.maximum)
  const relation =
    issue.inclusive === false ? (small ? 'greater than' : 'less than') : small ? 'at least' : 'at most'
  const unit = issue.origin === 'string' ? ' characters long' : issue.origin === 'array' ? ' items long' : ''
  return `${relation} ${bound}${unit}`
}

/** What a union expected: the deepest branch's own problem when one got further, else its types. */
function unionIssue(issue: Extract<z.core.$ZodIssue, { code: 'invalid_union' }>): z.core.$ZodIssue | string {
  const branches = issue.errors
  const deeper = branches.map((errors) => errors.find((e) => e.path.length > 0)).find(Boolean)
  if (deeper) return { ...deeper, path: [...issue.path, ...deeper.path] } as z.core.$ZodIssue
  const types = branches.flatMap((errors) =>
    errors.flatMap((e) =>
      e.code === 'invalid_type' ? [typeName(e.expected)] : e.code === 'custom' ? [e.message] : [],
    ),
  )
  return types.length > 0 ? [...new Set(types)].join(' or ') : 'valid'
}

/** `filter.types[0]`, as a reader writes it. */
function pathText(path: readonly PropertyKey[], root: string): string {
  if (path.length === 0) return root
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i > 0 ? '.' : ''}${String(key)}`))
    .join('')
}

function render(issue: z.core.$ZodIssue, root: string, what: string): string {
  const path = pathText(issue.path, root)
  switch (issue.code) {
    case 'unrecognized_keys': {
      const prefix = issue.path.length > 0 ? `${path}.` : ''
      return `Unknown ${what} ${issue.keys.map((key) => `\`${prefix}${key}\``).join(', ')}.`
    }
    case 'too_small':
    case 'too_big':
      return expectedMessage(path, sizeWhat(issue), issue.input)
    case 'invalid_type':
      return expectedMessage(path, typeName(issue.expected), issue.input)
    case 'invalid_value':
      return expectedMessage(
        path,
        issue.values.length === 1
          ? describeValue(issue.values[0])
          : `one of ${issue.values.map((v) => describeValue(v)).join(', ')}`,
        issue.input,
      )
    case 'invalid_format':
      return expectedMessage(path, `a valid ${issue.format}`, issue.input)
    case 'not_multiple_of':
      return expectedMessage(path, `a multiple of ${String(issue.divisor)}`, issue.input)
    case 'invalid_union': {
      const inner = unionIssue(issue)
      return typeof inner === 'string' ? expectedMessage(path, inner, issue.input) : render(inner, root, what)
    }
    default:
      // `custom` issues carry the expectation as their message (`a Keyv instance …`).
      return expectedMessage(path, issue.message, issue.input)
  }
}

/** One zod issue as the house sentence. */
export function issueMessage(issue: z.core.$ZodIssue, what = 'option', root = 'options'): string {
  return render(issue, root, what)
}

/**
 * Validates `input` with a zod schema and returns the parsed value, or throws one {@link ConfigError}
 * that lists every problem, prefixed with the owner's name. Its `cause` is the first zod issue, without
 * the value it was about (a value may be a secret).
 *
 * @example
 * ```ts
 * const options = parseOptions(schema, input, { name: 'webhook' })
 * // ConfigError: [cashnotify] [webhook] Expected `url` to be a string, got nothing.
 * ```
 */
export function parseOptions<S extends z.ZodType>(
  schema: S,
  input: unknown,
  settings: ParseOptionsSettings = {},
): z.output<S> {
  const result = schema.safeParse(input ?? {}, { reportInput: true })
  if (result.success) return result.data
  const { name, what = 'option' } = settings
  const issues = result.error.issues
  const text = issues.map((issue) => issueMessage(issue, what)).join(' ')
  const [first] = issues
  const cause = first ? (({ input: _input, ...issue }) => issue)(first) : undefined
  throw new ConfigError(`${name ? `[${name}] ` : ''}${text}`, cause ? { cause } : {})
}
