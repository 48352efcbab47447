import type { DeadLetter } from '@cashnotify/core'
import { printableText } from '../output.js'

function when(date: Date): string {
  return date.toISOString().replace('T', ' ').slice(0, 16)
}

const plain = (message: string): string => message.replace(/^\[cashnotify\] /, '')

/**
 * The dead letters as a person reads them, ending with the command that replays them. Titles and
 * errors come from buyers and receivers: every line is printable.
 */
export function formatDeadLetters(
  letters: readonly DeadLetter[],
  path: string,
  replay: string,
  clustered = false,
): string {
  if (letters.length === 0)
    return printableText(`No dead letters in ${path}: every notification was delivered.`)
  const out = [`${letters.length} dead letter${letters.length === 1 ? '' : 's'} in ${path}`, '']
  for (const letter of letters) {
    out.push(
      `${letter.id}`,
      `  ${letter.notification.title}`,
      `  ${letter.notifier}, ${letter.attempts} attempt${letter.attempts === 1 ? '' : 's'}, last at ${when(letter.failedAt)} UTC: ${letter.error.code}: ${plain(letter.error.message)}`,
      '',
    )
  }
  out.push(
    clustered
      ? 'Once the cause is fixed, queue them all again for the running `cashnotify watch` processes, or name some ids after --replay:'
      : 'Once the cause is fixed, send them all again (stop `cashnotify watch` first), or name some ids after --replay:',
    `  ${replay}`,
  )
  return printableText(out.join('\n'))
}
