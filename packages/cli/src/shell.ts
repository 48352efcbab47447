/** A word as a POSIX shell reads it back: as it is when that is safe, else in single quotes. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`
}

/** A command to paste: `program` as it is (it may be `npx cashnotify`), each argument quoted. */
export function commandLine(program: string, args: readonly string[]): string {
  return [program, ...args.map(shellQuote)].join(' ')
}
