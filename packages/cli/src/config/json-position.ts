/**
 * Where a JSON text stops being JSON. `JSON.parse` on Node 20 often says what it found but not where
 * ("Unexpected token ']', ..."), and a config file is edited by hand: a line and column save a search.
 */

/** Line and column (both from 1) of the first character that makes `text` invalid JSON, if it is. */
export function jsonErrorAt(text: string): { line: number; column: number; found: string } | undefined {
  let i = 0
  const fail = (): never => {
    throw i
  }
  const space = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i] ?? '')) i++
  }
  const expect = (char: string): void => {
    if (text[i] !== char) fail()
    i++
  }
  const string = (): void => {
    expect('"')
    while (text[i] !== '"') {
      if (i >= text.length || text.charCodeAt(i) < 0x20) fail()
      if (text[i] === '\\') {
        i++
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail()
          i += 4
        } else if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) fail()
      }
      i++
    }
    i++
  }
  const value = (): void => {
    space()
    const char = text[i]
    if (char === '{' || char === '[') {
      const close = char === '{' ? '}' : ']'
      i++
      space()
      if (text[i] === close) {
        i++
        return
      }
      for (;;) {
        if (close === '}') {
          space()
          string()
          space()
          expect(':')
        }
        value()
        space()
        if (text[i] === close) break
        expect(',')
      }
      i++
    } else if (char === '"') string()
    else {
      const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(
        text.slice(i),
      )?.[0]
      if (!literal) fail()
      i += literal?.length ?? 0
    }
  }
  try {
    value()
    space()
    if (i < text.length) fail()
    return undefined
  } catch (position) {
    if (typeof position !== 'number') throw position
    const before = text.slice(0, position).split('\n')
    const found = position >= text.length ? 'the end of the file' : `\`${text[position]}\``
    return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1, found }
  }
}
