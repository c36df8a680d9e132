/**
 * Wall time after which {@link until} gives up: not a speed the test expects, only a bound so
 * that a condition that never comes fails with a message instead of the test's timeout (60 s).
 * Generous on purpose: a machine busy with other work may take seconds for real I/O.
 */
export const UNTIL_GIVE_UP_MS = 30_000;

/** Event-loop turns polled back to back before waiting 2 ms between checks. */
const FAST_TURNS = 1_000;

/**
 * Lets the event loop turn until `predicate` holds, then returns at once. For a state the code
 * under test reaches at any speed (a stream sleeping before a reconnect, a connection the server
 * has seen close): it never decides an outcome by waiting a fixed time. The first turns follow
 * each other immediately (work done in-process); after that it checks every 2 ms, so that a wait
 * on real I/O leaves the processor to the work it waits for.
 *
 * @example
 * await until(() => ctx.bodies.length === 1, 'the connection');
 */
export async function until(
  predicate: () => boolean,
  what = 'the condition',
  giveUpMs = UNTIL_GIVE_UP_MS,
): Promise<void> {
  const deadline = performance.now() + giveUpMs;
  for (let turn = 0; ; turn++) {
    if (predicate()) return;
    if (performance.now() > deadline) {
      throw new Error(`Gave up waiting for ${what} after ${giveUpMs / 1000} s.`);
    }
    await new Promise<void>((resolve) =>
      turn < FAST_TURNS ? setImmediate(resolve) : setTimeout(resolve, 2),
    );
  }
}
