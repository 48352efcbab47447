/**
 * A parser for dbus-monitor's text output: each message is a header line at column 0, then its
 * arguments, indented. Strings are printed between double quotes without escaping, so a string ends at a
 * `"` closing its line when the next line starts another value (or the message ends).
 */

/** A value as dbus-monitor prints it. */
export type DBusValue = string | number | boolean | DBusValue[] | DictEntry
/** One `dict entry(key value)`. */
export interface DictEntry {
  readonly key: DBusValue
  readonly value: DBusValue
}

/** One message: its kind, header fields and arguments. */
export interface DBusMessage {
  readonly kind: 'method call' | 'method return' | 'error' | 'signal'
  readonly sender: string
  readonly destination: string
  readonly serial: number | undefined
  readonly replySerial: number | undefined
  readonly interface: string | undefined
  readonly member: string | undefined
  readonly errorName: string | undefined
  readonly args: readonly DBusValue[]
}

const HEADER = /^(method call|method return|error|signal) time=\S+ sender=(\S+) -> destination=(\S+)(.*)$/
const VALUE_START =
  /^\s*(string "|object path "|signature "|u?int(16|32|64) |byte |double |boolean |array \[|\]|dict entry\(|\)|variant |struct \{|\}|file descriptor)/

/** How many arguments the messages the tests wait for carry: the last message is complete once it has them. */
const ARITY: Readonly<Record<string, number>> = {
  Notify: 8,
  NameOwnerChanged: 3,
  NameAcquired: 1,
  NameLost: 1,
  Marker: 1,
  Opened: 1,
}

/**
 * Splits the output read so far into complete messages. dbus-monitor writes a message line by line, so
 * the last one is complete only when the next header follows it, or when it has all the arguments its
 * member is known to carry; otherwise it is returned in `rest`, to be parsed again with more output.
 */
export function parseMessages(text: string): { messages: DBusMessage[]; rest: string } {
  const lines = text.split('\n')
  const starts: number[] = []
  lines.forEach((line, i) => {
    if (HEADER.test(line)) starts.push(i)
  })
  const messages: DBusMessage[] = []
  let consumedLines = 0
  starts.forEach((start, index) => {
    const next = starts[index + 1]
    const end = next ?? lines.length - 1 // the last line is '' when the text ends with \n
    const message = parseMessage(lines[start]!, lines.slice(start + 1, end).join('\n'))
    if (next === undefined) {
      const arity = message?.member === undefined ? undefined : ARITY[message.member]
      if (
        !text.endsWith('\n') ||
        message === undefined ||
        arity === undefined ||
        message.args.length < arity
      ) {
        consumedLines = start
        return
      }
    }
    if (message !== undefined) messages.push(message)
    consumedLines = end
  })
  return { messages, rest: lines.slice(consumedLines).join('\n') }
}

function parseMessage(header: string, body: string): DBusMessage | undefined {
  const match = HEADER.exec(header)
  if (!match) return undefined
  const fields = match[4] ?? ''
  const field = (name: string): string | undefined =>
    new RegExp(`(?:^|[ ;])${name}=([^ ;]+)`).exec(fields)?.[1]
  const args: DBusValue[] = []
  let position = 0
  for (;;) {
    while (position < body.length && /\s/.test(body[position]!)) position++
    if (position >= body.length) break
    const parsed = parseValue(body, position)
    if (!parsed) return undefined // incomplete, or not understood
    args.push(parsed.value)
    position = parsed.end
  }
  const number = (value: string | undefined): number | undefined =>
    value === undefined ? undefined : Number(value)
  return {
    kind: match[1] as DBusMessage['kind'],
    sender: match[2]!,
    destination: match[3]!,
    serial: number(field('serial')),
    replySerial: number(field('reply_serial')),
    interface: field('interface'),
    member: field('member'),
    errorName: field('error_name'),
    args,
  }
}

function parseValue(text: string, start: number): { value: DBusValue; end: number } | undefined {
  let position = start
  while (position < text.length && /\s/.test(text[position]!)) position++
  const rest = text.slice(position)
  const quoted = /^(string|object path|signature) "/.exec(rest)
  if (quoted) {
    const open = position + quoted[0].length
    for (let close = text.indexOf('"', open); close >= 0; close = text.indexOf('"', close + 1)) {
      const after = text.slice(close + 1)
      const lineEnd = after.indexOf('\n')
      if (after.slice(0, lineEnd < 0 ? after.length : lineEnd).trim() !== '') continue
      const next = lineEnd < 0 ? '' : after.slice(lineEnd + 1)
      if (next.trim() === '' || VALUE_START.test(next)) {
        return { value: text.slice(open, close), end: close + 1 }
      }
    }
    return undefined
  }
  const scalar = /^(u?int(?:16|32|64)|byte|double) (-?[\d.e+]+)/.exec(rest)
  if (scalar) return { value: Number(scalar[2]), end: position + scalar[0].length }
  const boolean = /^boolean (true|false)/.exec(rest)
  if (boolean) return { value: boolean[1] === 'true', end: position + boolean[0].length }
  const variant = /^variant\s+/.exec(rest)
  if (variant) return parseValue(text, position + variant[0].length)
  const container = /^(array \[|struct \{|dict entry\()/.exec(rest)
  if (container) {
    const closing = container[1] === 'array [' ? ']' : container[1] === 'struct {' ? '}' : ')'
    const items: DBusValue[] = []
    position += container[0].length
    for (;;) {
      while (position < text.length && /\s/.test(text[position]!)) position++
      if (position >= text.length) return undefined
      if (text[position] === closing) {
        position++
        break
      }
      const item = parseValue(text, position)
      if (!item) return undefined
      items.push(item.value)
      position = item.end
    }
    if (closing === ')') {
      if (items.length !== 2) return undefined
      return { value: { key: items[0]!, value: items[1]! }, end: position }
    }
    return { value: items, end: position }
  }
  return undefined
}
