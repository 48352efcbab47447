import { printable } from '@cashnotify/core'

/** Where a command writes: `out` for results and the console notifier, `err` for logs and errors. */
export interface Output {
  out: (text: string) => void
  err: (text: string) => void
}

/**
 * Text for a person, each line through core's `printable`: a customer's name, a product or a message
 * from elsewhere cannot move the cursor, rewrite a line or recolour the terminal. The line breaks are
 * the text's own. JSON does not go through here: it escapes control characters by itself.
 */
export function printableText(text: string): string {
  return text.split('\n').map(printable).join('\n')
}
