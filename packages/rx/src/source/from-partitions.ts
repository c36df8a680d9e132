import {
  ConfigError,
  type DedupeOption,
  type DedupeOverflow,
  findStreamEndpoint,
  type PartitionedStreamName,
  type PartitionSelection,
  resolvePartitions,
  type StreamParamsFor,
  type StreamResponseFor,
} from '@birdstream/core';
import { createPostDedupe, resolveDedupe } from '@birdstream/core/internal';
import {
  asyncScheduler,
  catchError,
  concat,
  defer,
  map,
  merge,
  mergeMap,
  type Observable,
  of,
  throwError,
} from 'rxjs';
import type { StreamEvent } from '../events/stream-event.js';
import { heartbeatTimeout } from '../operators/heartbeat-timeout.js';
import { type RetryStreamConfig, retryStream } from '../operators/retry-stream.js';
import { fromStream, type StreamConnector, type StreamSourceConfig } from './from-stream.js';

/** An event of one partition, tagged with its partition. */
export type PartitionStreamEvent<R> = StreamEvent<R> & {
  /** The partition whose connection the event is about. */
  partition: number;
};

/** Options of `fromPartitions`: the source's, plus the supervision each partition gets. */
export interface PartitionsSourceConfig extends StreamSourceConfig {
  /** Each partition's `retryStream` (reconnects, backfill). @default {} (X's policy, no backfill) */
  retry?: RetryStreamConfig;
  /** Each partition's `heartbeatTimeout({ stallTimeoutMs })`. @default 30_000 (core's `DEFAULT_STALL_TIMEOUT_MS`) */
  stallTimeoutMs?: number;
  /**
   * Drop a response whose dedupe key (core's endpoint table) another
   * partition, or a backfill, already delivered; each becomes a `duplicate`
   * event with its partition. Sized by time like core's streams
   * (`{ retainMs, maxIds }`, on the scheduler's clock); a memory that fills
   * before its keys are `retainMs` old is reported as a `dedupe-overflow`
   * event, never silently.
   * @default true (retainMs 6 minutes, maxIds 2,000,000)
   */
  dedupe?: DedupeOption;
}

/**
 * Several partitions of one partitioned stream as ONE Observable of events,
 * the rx twin of core's `client.partitions()`. Each partition is its own
 * pipeline — `fromStream` → `heartbeatTimeout` → `retryStream` — so it has
 * its own connection, reconnects and backfill; every event carries its
 * `partition`; a response another partition already delivered becomes a
 * `duplicate` event. Unsubscribing closes every connection.
 *
 * The failure rule is core's: a partition whose `retryStream` gives up (a
 * fatal error or `maxRetries` used up) emits an `error` event with its
 * `partition`, then the whole Observable errors with that typed error and
 * every other connection is closed. The selection is checked before any
 * request (`ConfigError` naming the valid range).
 *
 * @example
 * ```ts
 * fromPartitions(client, 'firehose', { partitions: 'all' }, { retry: { backfill: 'auto' } })
 *   .pipe(tweets())
 *   .subscribe(({ data }) => console.log(data.id));
 * ```
 */
export function fromPartitions<
  N extends PartitionedStreamName,
  const P extends Omit<StreamParamsFor<N>, 'partition'> = Omit<StreamParamsFor<N>, 'partition'>,
>(
  client: StreamConnector,
  endpoint: N,
  selection: PartitionSelection<N, P>,
  config: PartitionsSourceConfig = {},
): Observable<PartitionStreamEvent<StreamResponseFor<N, P>>> {
  type R = StreamResponseFor<N, P>;
  const row = findStreamEndpoint(endpoint);
  if (row === undefined) {
    throw new ConfigError(
      `fromPartitions() needs a stream of the endpoint table, got "${String(endpoint)}".`,
    );
  }
  const numbers = resolvePartitions(
    endpoint,
    selection as { partitions: readonly number[] | 'all' },
  );
  const { retry = {}, stallTimeoutMs, dedupe = true, ...sourceConfig } = config;
  const settings = resolveDedupe(dedupe);
  const scheduler = sourceConfig.scheduler ?? asyncScheduler;

  return defer(() => {
    let overflow: DedupeOverflow | undefined;
    const seen = createPostDedupe(settings, scheduler, (o) => {
      overflow = o;
    });
    const partitions = numbers.map((partition) =>
      fromStream<R>(
        client,
        endpoint,
        { ...(selection.params ?? {}), partition },
        sourceConfig,
      ).pipe(
        heartbeatTimeout<StreamEvent<R>>({
          ...(stallTimeoutMs === undefined ? {} : { stallTimeoutMs }),
          ...(sourceConfig.scheduler === undefined ? {} : { scheduler: sourceConfig.scheduler }),
        }),
        retryStream(retry),
        map((event) => ({ ...event, partition }) as PartitionStreamEvent<R>),
        catchError((error: unknown) =>
          concat(
            of({ type: 'error', error, partition } as PartitionStreamEvent<R>),
            throwError(() => error),
          ),
        ),
      ),
    );
    return merge(...partitions).pipe(
      mergeMap((event): PartitionStreamEvent<R>[] => {
        if (seen === undefined || event.type !== 'response') return [event];
        const key = row.dedupeKey(event.response);
        const duplicate = key !== undefined && seen.seen(key, scheduler.now());
        const out: PartitionStreamEvent<R>[] = [];
        if (overflow !== undefined) {
          out.push({ type: 'dedupe-overflow', ...overflow, partition: event.partition });
          overflow = undefined;
        }
        out.push(duplicate ? { type: 'duplicate', id: key, partition: event.partition } : event);
        return out;
      }),
    );
  });
}
