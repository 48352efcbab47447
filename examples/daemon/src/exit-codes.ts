/**
 * Exit codes of every command. `check-key` keeps its own documented set (`EXIT` in
 * check-key-command.ts), which these agree with.
 */
export const EXIT_CODES = {
  /** Done, or stopped by SIGINT/SIGTERM after draining. */
  ok: 0,
  /** Something failed (a replay that failed again, an unexpected error). */
  failed: 1,
  /** `accounts`: at least one key is invalid or refused. */
  invalid: 2,
  /** `accounts`: Stripe could not be reached. */
  unreachable: 3,
  /** A command line that cannot be understood. */
  usage: 64,
  /** The config is invalid, or a key or secret cannot be read (sysexits' EX_CONFIG: do not restart). */
  config: 78,
  /** A second Ctrl-C: stopped at once, without waiting for sends in flight. */
  interrupted: 130,
} as const
