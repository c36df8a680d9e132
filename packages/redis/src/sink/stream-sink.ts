/**
 * Where an ingest worker puts messages: a durable, deduplicating log. Redis
 * Streams implement it (`RedisStreamSink`); Kafka or NATS JetStream could too.
 */
export interface StreamSink<T> {
  /**
   * Queues one message. Resolves once the log accepted it durably:
   * `'written'` when appended, `'duplicate'` when a message with the same
   * identity was already in the dedupe window (nothing appended). Rejects
   * with `LeaseLostError` when `context.fence` no longer holds, and nothing
   * of the message was written.
   */
  write(message: T, context?: WriteContext): Promise<WriteOutcome>;
  /** Resolves once every message queued so far was accepted (or rejected). */
  flush(): Promise<void>;
  /**
   * The item time (epoch ms) of the newest message of `partition` the log
   * holds — a post's `created_at`, else when it was received — or
   * `undefined` if none: everything of the partition created before it (less
   * a margin for X's ordering) is in the log. The takeover anchor.
   */
  lastDeliveredAt(partition: number): Promise<number | undefined>;
  /**
   * Called when a worker starts reading `partition`: returns its last
   * delivered item time, and when there is none records `at` instead, so
   * that the next owner backfills from this start even if the worker stops
   * before writing anything (the posts it had in flight are then replayed).
   */
  openPartition(partition: number, at: number): Promise<number | undefined>;
  /** Flushes, then stops accepting writes. Does not close a connection it was given. */
  close(): Promise<void>;
}

/** Where a message comes from and under which lease it may be written. */
export interface WriteContext {
  /** The stream partition it was read from. */
  partition?: number;
  /** The lease the writer must still hold for the write to land. */
  fence?: Fence;
  /**
   * The message's item time (epoch ms): when the post was created. It moves
   * the partition's delivered time (the takeover anchor) once written.
   * @default core's `itemTime(message)` (`created_at`, an `event_at`, the time in a snowflake id), else the time `write` was called
   */
  itemAt?: number;
}

/** A lease as the sink checks it: `key` must still hold `value` when the batch is written. */
export interface Fence {
  readonly key: string;
  readonly value: string;
}

/** What became of a message: written to the stream, or dropped as already written (by its dedupe key). */
export type WriteOutcome = 'written' | 'duplicate';

/** The default identity of a message: the post's `data.id`. */
export function postIdentity(message: unknown): string | undefined {
  const data = (message as { data?: { id?: unknown } } | null)?.data;
  return typeof data?.id === 'string' ? data.id : undefined;
}
