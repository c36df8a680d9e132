/**
 * Lets the event loop turn until `predicate` holds, then returns at once.
 * Bounded: after 5 s of wall time it fails the test with `what` instead of
 * hanging. Used to wait for the stream to reach a state (for example
 * "sleeping before a reconnect") before moving the virtual clock; it never
 * decides an outcome by waiting a fixed time.
 */
export async function until(predicate: () => boolean, what = 'the condition'): Promise<void> {
  const deadline = Date.now() + 5_000;
  for (let round = 0; ; round++) {
    if (predicate()) return;
    if (Date.now() > deadline) throw new Error(`Gave up waiting for ${what}.`);
    // Mostly macrotask turns; now and then a real timer tick, for I/O that waits on one.
    await new Promise<void>((resolve) =>
      round % 100 === 99 ? setTimeout(resolve, 1) : setImmediate(resolve),
    );
  }
}
