/** An answer before the headers every response carries are added. */
export interface HttpReply {
  status: number
  body: string | Uint8Array<ArrayBuffer> | null
  headers: Record<string, string>
}

/** An answer, or `reset`: drop the connection without one. */
export type Reply = HttpReply | 'reset'

/** A JSON answer. */
export function json(status: number, body: string, headers: Record<string, string> = {}): HttpReply {
  return { status, body, headers: { 'Content-Type': 'application/json', ...headers } }
}

/** File bytes with their content type (API file contents and public links alike). */
export function bytesReply(file: { bytes: Uint8Array<ArrayBuffer>; mime: string }): HttpReply {
  return { status: 200, body: file.bytes.slice(), headers: { 'Content-Type': file.mime } }
}
