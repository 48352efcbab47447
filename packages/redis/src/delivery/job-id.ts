/**
 * Names BullMQ accepts: a queue name or a job id cannot contain `:` (its key separator), and a job id
 * cannot be a bare integer. `%` and `:` (and `/`, the separator below) are percent-encoded, so the
 * mapping is one-to-one and still readable: `webhook/sale%3Api_3Q…`.
 */

const encodePart = (text: string): string =>
  text.replace(/[%:/]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)

/** The queue of one notifier. */
export function queueName(notifier: string): string {
  return `deliver-${encodePart(notifier)}`
}

/** The notifier whose queue is named `name` (the inverse of {@link queueName}). */
export function notifierOfQueue(name: string): string {
  return name
    .slice(queueName('').length)
    .replace(/%([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
}

/**
 * The job of one notification for one notifier: the same every time, so enqueuing it again (a re-read
 * after a crash, another process) finds the job already there and adds nothing.
 */
export function deliveryJobId(notificationId: string, notifier: string): string {
  return `${encodePart(notifier)}/${encodePart(notificationId)}`
}
