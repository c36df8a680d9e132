import { ConfigError } from '../errors/config-error.js';

/** Options of `EndpointStream.tee()`. */
export interface TeeOptions {
  /**
   * How many posts a consumer may run ahead of the slowest one. When a
   * consumer is this far ahead it waits: the slowest consumer paces the
   * connection, nothing is dropped and memory stays bounded
   * (`consumers × buffer` posts at most).
   * @default 100
   */
  buffer?: number;
}

/** `tee(n)`'s consumers: a tuple of `n` iterables when `n` is a literal, else an array. */
export type TeeBranches<R, N extends number, Acc extends AsyncIterable<R>[] = []> = number extends N
  ? AsyncIterable<R>[]
  : Acc['length'] extends N
    ? Acc
    : Acc['length'] extends 16
      ? AsyncIterable<R>[]
      : TeeBranches<R, N, [...Acc, AsyncIterable<R>]>;

/** The default `buffer` of `tee()`. */
export const DEFAULT_TEE_BUFFER = 100;

/**
 * Splits one async iterator (opened by `open` once the arguments are checked) into `count` iterables that each get every
 * value, pulling the source once per value. A consumer that is `buffer`
 * values ahead of the slowest waits for it (the slowest paces the source).
 * The source's error reaches every consumer after the values it had
 * buffered. A consumer that stops (`break`) leaves the others running; when
 * the last one stops, `source.return()` is called.
 */
export function teeIterator<R>(
  open: () => AsyncIterator<R>,
  count: number,
  options: TeeOptions = {},
): AsyncIterable<R>[] {
  if (!Number.isInteger(count) || count < 1) {
    throw new ConfigError(`tee() needs a whole number of consumers ≥ 1, got ${String(count)}.`);
  }
  const buffer = options.buffer ?? DEFAULT_TEE_BUFFER;
  if (!Number.isInteger(buffer) || buffer < 1) {
    throw new ConfigError(`tee() buffer must be a whole number ≥ 1, got ${String(buffer)}.`);
  }
  const source = open();
  const queues: R[][] = Array.from({ length: count }, () => []);
  const active = new Array<boolean>(count).fill(true);
  const started = new Array<boolean>(count).fill(false);
  let end: { error?: unknown; failed: boolean } | undefined;
  let pulling: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let changed = new Promise<void>((resolve) => {
    wake = resolve;
  });
  const notify = () => {
    const resolve = wake;
    changed = new Promise<void>((r) => {
      wake = r;
    });
    resolve?.();
  };
  let returned = false;
  const detach = async (index: number) => {
    if (!active[index]) return;
    active[index] = false;
    queues[index] = [];
    notify();
    if (!returned && active.every((a) => !a)) {
      returned = true;
      await source.return?.();
    }
  };
  const pull = () => {
    pulling ??= (async () => {
      try {
        const result = await source.next();
        if (result.done) end = { failed: false };
        else for (let j = 0; j < count; j++) if (active[j]) queues[j]!.push(result.value);
      } catch (error) {
        end = { error, failed: true };
      } finally {
        pulling = undefined;
        notify();
      }
    })();
    return pulling;
  };

  const next = async (index: number): Promise<IteratorResult<R, undefined>> => {
    for (;;) {
      if (!active[index]) return { done: true, value: undefined };
      const queue = queues[index]!;
      if (queue.length > 0) {
        const value = queue.shift() as R;
        notify();
        return { done: false, value };
      }
      if (end !== undefined) {
        if (end.failed) throw end.error;
        return { done: true, value: undefined };
      }
      if (pulling !== undefined) {
        await pulling;
        continue;
      }
      // Pace by the slowest: never push a consumer past `buffer` waiting posts.
      if (queues.some((q, j) => active[j] && q.length >= buffer)) {
        await changed;
        continue;
      }
      await pull();
    }
  };

  return queues.map(
    (_, index): AsyncIterable<R> => ({
      [Symbol.asyncIterator]() {
        if (started[index]) {
          throw new ConfigError(
            'This branch of tee() is already being consumed; each branch can be iterated once.',
          );
        }
        started[index] = true;
        return {
          next: () => next(index),
          return: async () => {
            await detach(index);
            return { done: true, value: undefined };
          },
        };
      },
    }),
  );
}
