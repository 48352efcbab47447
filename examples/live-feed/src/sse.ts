import type { IncomingMessage, ServerResponse } from 'node:http'

/** One server-sent event. */
export interface SseMessage {
  /** The event name the page listens to (`source.addEventListener(name, …)`); absent: `message`. */
  readonly event?: string
  /** The payload: a string as is, anything else as JSON. */
  readonly data: unknown
  /** The event id, which the browser sends back as `Last-Event-ID` when it reconnects. */
  readonly id?: string
  /** How long the browser waits before reconnecting, ms. */
  readonly retry?: number
}

/**
 * Frames one event in the `text/event-stream` format: `event:`, `id:`, `retry:`, one `data:` line per
 * line of the payload, and a blank line. A name or id with a line break could forge other fields, so it
 * is refused.
 *
 * @throws {TypeError} when `event` or `id` contains a line break, or `retry` is not a whole number ≥ 0.
 */
export function formatSseMessage(message: SseMessage): string {
  const lines: string[] = []
  for (const field of ['event', 'id'] as const) {
    const value = message[field]
    if (value === undefined) continue
    if (/[\r\n]/.test(value))
      throw new TypeError(`Expected the SSE ${field} to be one line, got a line break.`)
    lines.push(`${field}: ${value}`)
  }
  if (message.retry !== undefined) {
    if (!Number.isInteger(message.retry) || message.retry < 0) {
      throw new TypeError(`Expected the SSE retry to be a whole number of ms, got ${message.retry}.`)
    }
    lines.push(`retry: ${message.retry}`)
  }
  const data = typeof message.data === 'string' ? message.data : JSON.stringify(message.data)
  for (const line of data.split(/\r\n|\r|\n/)) lines.push(`data: ${line}`)
  return `${lines.join('\n')}\n\n`
}

/** A comment line: ignored by `EventSource`, it keeps proxies from closing an idle stream. */
export function formatSseComment(text: string): string {
  return `${text
    .split(/\r\n|\r|\n/)
    .map((line) => `: ${line}`)
    .join('\n')}\n\n`
}

/** Options of {@link SseHub}. */
export interface SseHubOptions {
  /** How often each stream gets a keep-alive comment, ms (0: never). @default 15000 */
  heartbeatMs?: number
  /** Called on each heartbeat, after the comment is sent. */
  onHeartbeat?: () => void
  /** A client whose unsent output grows past this many bytes is too slow and is dropped. @default 1 MiB */
  maxBufferedBytes?: number
  /** The reconnection delay sent to browsers, ms. @default 2000 */
  retryMs?: number
}

/**
 * The open event streams of one server: {@link SseHub.connect} turns a request into a stream,
 * {@link SseHub.broadcast} sends an event to every stream, {@link SseHub.close} ends them all.
 */
export class SseHub {
  readonly #clients = new Set<ServerResponse>()
  readonly #maxBuffered: number
  readonly #retryMs: number
  readonly #heartbeat: NodeJS.Timeout | undefined

  constructor(options: SseHubOptions = {}) {
    this.#maxBuffered = options.maxBufferedBytes ?? 1024 * 1024
    this.#retryMs = options.retryMs ?? 2000
    const every = options.heartbeatMs ?? 15_000
    if (every > 0) {
      this.#heartbeat = setInterval(() => {
        this.#sendAll(formatSseComment('keep-alive'))
        options.onHeartbeat?.()
      }, every)
      // The heartbeat alone never keeps the process alive.
      this.#heartbeat.unref()
    }
  }

  /** How many streams are open. */
  get size(): number {
    return this.#clients.size
  }

  /** Answers `request` with an event stream, sends it `initial`, and keeps it until either side closes. */
  connect(request: IncomingMessage, response: ServerResponse, initial: readonly SseMessage[] = []): void {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // Tells nginx and similar proxies not to buffer the stream.
      'x-accel-buffering': 'no',
    })
    this.#clients.add(response)
    const forget = (): void => void this.#clients.delete(response)
    request.once('close', forget)
    response.once('close', forget)
    this.#send(response, `retry: ${this.#retryMs}\n\n${initial.map(formatSseMessage).join('')}`)
  }

  /** Sends one event to every open stream. */
  broadcast(message: SseMessage): void {
    this.#sendAll(formatSseMessage(message))
  }

  /** Ends every stream and stops the heartbeat. */
  close(): void {
    clearInterval(this.#heartbeat)
    for (const response of this.#clients) response.end()
    this.#clients.clear()
  }

  #sendAll(frame: string): void {
    for (const response of this.#clients) this.#send(response, frame)
  }

  #send(response: ServerResponse, frame: string): void {
    if (response.writableEnded || response.destroyed) return
    if (response.writableLength > this.#maxBuffered) {
      // A stalled client would buffer every sale for ever: drop it, its browser reconnects.
      this.#clients.delete(response)
      response.destroy()
      return
    }
    response.write(frame)
  }
}
