import type { Clock } from '@birdstream/core';
import { ExitCode } from '../cli/exit-codes.js';
import { CliError } from '../cli/usage-error.js';

/** The birdstream emulator's control endpoint that tells its emulated time. */
const CLOCK_PATH = '/_emulator/clock';

/**
 * `--emulator-clock`: a clock that follows the emulated time of the
 * birdstream emulator at `baseUrl` (its `GET /_emulator/clock`), so a
 * stream in this process sees outages, back-offs and stalls as long as the
 * emulator does: with `birdstream-emulator --time-scale 60`, an 8-minute
 * outage passes in 8 seconds and takes the recovery path, from the command line.
 */
export async function emulatorClock(baseUrl: string): Promise<Clock> {
  const url = new URL(CLOCK_PATH, baseUrl);
  let answer: { now?: unknown; timeScale?: unknown };
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    answer = (await response.json()) as typeof answer;
  } catch (error) {
    throw new CliError(
      `--emulator-clock needs the birdstream emulator at --base-url, but ${url.origin}${CLOCK_PATH} did not answer (${(error as Error).message}): start birdstream-emulator there, or drop --emulator-clock.`,
      ExitCode.error,
    );
  }
  const { now, timeScale } = answer;
  if (typeof now !== 'number' || typeof timeScale !== 'number' || !(timeScale > 0)) {
    throw new CliError(
      `--emulator-clock: ${url.origin}${CLOCK_PATH} did not answer { now, timeScale }; is --base-url a birdstream emulator?`,
      ExitCode.error,
    );
  }
  const startedAt = performance.now();
  return {
    now: () => now + (performance.now() - startedAt) * timeScale,
    setTimeout: (callback, ms) => setTimeout(callback, ms / timeScale),
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
}
