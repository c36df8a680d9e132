/**
 * Resolves once `condition()` is true, checking after every macrotask turn;
 * rejects after `timeoutMs` with `message`. For outcomes that real Redis TTLs
 * and timers bring about; assertions are about what happened, not when.
 * The bound is generous (30 s, as test-utils' `until`): a machine busy with
 * other work may take seconds for what takes milliseconds alone.
 */
export async function until(
  condition: () => boolean | Promise<boolean>,
  message: string,
  timeoutMs = 30_000,
): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error(`Timed out waiting: ${message}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
