/** What a platform shows: the notification's text, its icon file and its dashboard link. */
export interface DesktopMessage {
  /** The notification's idempotency id (Linux: the `x-cashnotify-id` hint; elsewhere a group/tag). */
  readonly id: string
  /** The title: one line. */
  readonly title: string
  /** The body: plain text, one or two lines. */
  readonly body: string
  /** An absolute path to the icon file, when there is one. */
  readonly iconPath: string | undefined
  /** The page a click opens (http or https only), when there is one and clicks are wanted. */
  readonly url: string | undefined
}

/** One platform's way of showing notifications: the same shape on Linux, macOS and Windows. */
export interface PlatformDriver {
  /**
   * Checks, without showing anything, that the notification service can be reached at all.
   * @throws `NotifierError` saying what is missing and how to fix it.
   */
  check(): Promise<void>
  /**
   * Shows the message; resolves once the notification service accepted it.
   * @throws `NotifierError` when it did not; `CommandFailure('aborted')` when the signal fired.
   */
  show(message: DesktopMessage, signal: AbortSignal): Promise<void>
  /** Ends whatever the driver still runs (Linux: the processes waiting for clicks). */
  close(): Promise<void>
}
