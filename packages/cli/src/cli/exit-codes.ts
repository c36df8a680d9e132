/**
 * The exit codes of `birdstream`. CI scripts branch on them, so they are part
 * of the contract: 0 success, 1 the rules are invalid, 2 usage, credentials,
 * network or API errors; 130 / 143 when stopped by SIGINT / SIGTERM (the shell
 * convention 128 + signal number), after a clean shutdown.
 */
export const ExitCode = {
  ok: 0,
  invalid: 1,
  error: 2,
  interrupted: 130,
  terminated: 143,
} as const;
