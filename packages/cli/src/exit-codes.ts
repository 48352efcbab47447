/**
 * The exit code of every command, in one table: the help, the README and the tests follow it. The codes
 * of `check-key` and `accounts` follow core's `PermissionReport.verdict`, what `watch` makes of a key.
 */
export const EXIT_CODES = {
  /** Done; a key `watch` watches with every feature; stopped by SIGINT/SIGTERM after draining. */
  ok: 0,
  /** `check-key`: a required permission is missing, so `watch` watches the key degraded. */
  degraded: 1,
  /** `watch`: Stripe could not be reached at start (a restart may help); `dead-letters --replay`: one failed. */
  failed: 1,
  /** `check-key`, `accounts`: a key is invalid (malformed, unknown, revoked) or refused (no `rak_event_read`). */
  invalid: 2,
  /** `check-key`, `accounts`: Stripe could not be reached, or kept answering 429. */
  unreachable: 3,
  /** A command line that cannot be run: an unknown command or flag, a bad value, an unset `--key-env`. */
  usage: 64,
  /** A bug: an error nobody expected (sysexits' EX_SOFTWARE). */
  software: 70,
  /**
   * The config is invalid; a key, secret or file it names cannot be read; no account can be watched; or
   * the state file is unusable or in use (sysexits' EX_CONFIG: restarting will not help).
   */
  config: 78,
  /** A second Ctrl-C: stopped at once, without waiting for sends in flight. */
  interrupted: 130,
} as const
