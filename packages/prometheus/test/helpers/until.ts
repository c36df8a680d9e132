/**
 * Lets the event loop turn until `predicate` holds. Bounded (10 s of wall
 * time, generous for a busy machine) so a broken test fails instead of
 * hanging; it never decides an outcome by waiting a fixed time.
 */
export async function until(predicate: () => boolean, what = 'the condition'): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (let round = 0; ; round++) {
    if (predicate()) return;
    if (Date.now() > deadline) throw new Error(`Gave up waiting for ${what}.`);
    await new Promise<void>((resolve) =>
      round % 100 === 99 ? setTimeout(resolve, 1) : setImmediate(resolve),
    );
  }
}
