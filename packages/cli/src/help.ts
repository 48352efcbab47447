/** `cashnotify --help`: every command, every flag and every exit code (the README's table says the same). */
export const HELP = `cashnotify — know the moment a Stripe account makes a sale

Usage:
  cashnotify watch --config FILE          watch the config's accounts and notify, until SIGINT/SIGTERM
        [--state FILE] [--stripe-url URL] [--log-format text|json] [--verbose]
  cashnotify accounts --config FILE       check each account's key: active, degraded, refused or invalid
        [--json] [--stripe-url URL]
  cashnotify dead-letters --config FILE   list the notifications that could not be delivered [--json]
        [--state FILE]
  cashnotify dead-letters --config FILE --replay [ID ...]
                                          send them (all, or these) again; stop the daemon first
  cashnotify check-key <key> [--json] [--stripe-url URL]
  cashnotify check-key --key-env NAME     read the key from environment variable NAME
  cashnotify check-key -                  read the key from standard input
  cashnotify demo [--duration SECONDS] [--seed N]
                                          a simulated Stripe business, watched and notified (no key
                                          needed); 60 s by default, --duration 0 runs until Ctrl-C
  cashnotify demo keys                    check keys against a local Stripe simulator

Exit codes:
  check-key     0 active: watch watches the key with every feature; 1 degraded: a required permission
                is missing, watch watches it without what that permission brings; 2 invalid key, or
                refused (it may not read events); 3 Stripe unreachable
  accounts      0 every account can be watched; 2 one is invalid or refused; 3 Stripe unreachable;
                78 bad config
  watch         0 stopped by SIGINT/SIGTERM after draining; 1 Stripe unreachable at start (a restart
                may help); 78 bad config, a key, secret or file it names that cannot be read, no account
                that can be watched, or a state file that cannot be used or is in use; 130 a second Ctrl-C
  dead-letters  0 listed, or every one replayed; 1 a replay failed; 78 bad config, no state file there,
                or (--replay) the state file in use
  demo          0 done; 130 a second Ctrl-C
  any command   64 a command line that cannot be run (unknown command or flag, bad value, no key,
                an unset --key-env variable); 70 an unexpected error (a bug: please report it)

A key given on the command line can end up in your shell history: prefer --key-env or -.`
